// The monthly report's figures as the page prints them. Pure functions, tested without
// rendering; the view and the wall sheet only lay them out.
import type { GroupFigures, HotTopic, Monthly } from './api/types'
import { parseTime } from './time'

/** "86.5%" of a 0..1 rate; "—" when there is nothing to divide. */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—'
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}

/** A share of a whole as a percentage, "—" for an empty whole. */
export function share(part: number, whole: number): string {
  return whole > 0 ? percent(part / whole) : '—'
}

/** A change against last month: "+3", "−2" (a real minus sign), "0". */
export function signed(n: number): string {
  if (n > 0) return `+${n}`
  if (n < 0) return `−${-n}`
  return '0'
}

/** The direction of a change, for its colour and arrow. */
export function trend(n: number): 'up' | 'down' | 'flat' {
  return n > 0 ? 'up' : n < 0 ? 'down' : 'flat'
}

/** Whole days from a missed deadline to the report's time (0 within the first day). */
export function daysOverdue(deadline: string, asOf: string): number {
  const d = parseTime(deadline)
  const now = parseTime(asOf)
  if (!d || !now) return 0
  return Math.max(0, Math.floor((now.getTime() - d.getTime()) / 86_400_000))
}

/** "2026年11月" of "2026-11". */
export function monthTitle(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  return m ? `${m[1]}年${Number(m[2])}月` : month
}

/** The groups with cases this month, at most n: the wall shows what residents raised now. */
export function topGroups(rows: GroupFigures[], n: number): GroupFigures[] {
  return rows.filter((r) => r.received > 0).slice(0, n)
}

/** Bar lengths in percent of the largest value, for the wall's bars drawn in CSS. */
export function barWidths(values: number[]): number[] {
  const max = Math.max(0, ...values)
  return values.map((v) => (max > 0 ? Math.round((v / max) * 100) : 0))
}

/** A report with every list present, whatever an older hub left out. */
export function normalized(r: Monthly): Monthly {
  return {
    ...r,
    by_area: r.by_area ?? [],
    by_category: r.by_category ?? [],
    by_community: r.by_community ?? [],
    by_department: r.by_department ?? [],
    hot_topics: r.hot_topics ?? [],
    overdue_cases: r.overdue_cases ?? [],
  }
}

/** The wall's topics: the month's top words. */
export function wallTopics(topics: HotTopic[], n: number): HotTopic[] {
  return topics.slice(0, n)
}
