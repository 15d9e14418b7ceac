// Splitting candidates into pages that fit the candidate bar, so a long phrase never gets
// clipped and every button keeps its full touch size.

export interface PageMetrics {
  /** width the candidate buttons of one page may take, px */
  width: number
  /** candidate font size, px (a CJK character is about one em wide) */
  fontSize: number
  /** smallest button width, px */
  minButton: number
  /** horizontal padding inside a button plus the gap after it, px */
  extra: number
  /** most candidates on one page, however short */
  maxPerPage: number
}

export function buttonWidth(text: string, m: PageMetrics): number {
  return Math.max(m.minButton, [...text].length * m.fontSize + m.extra)
}

/** paginate fills pages in order; a candidate wider than a page gets a page of its own. */
export function paginate<T extends { text: string }>(items: readonly T[], m: PageMetrics): T[][] {
  const pages: T[][] = []
  let page: T[] = []
  let used = 0
  for (const item of items) {
    const w = buttonWidth(item.text, m)
    if (page.length > 0 && (used + w > m.width || page.length >= m.maxPerPage)) {
      pages.push(page)
      page = []
      used = 0
    }
    page.push(item)
    used += w
  }
  if (page.length > 0) pages.push(page)
  return pages
}
