// Text formatting for the wall. Pure functions: the wall shows what Go sends, and these only
// decide how a number or a time reads from five metres away.

/** The one placeholder for a figure that does not exist (a rate with a zero denominator). */
export const NO_VALUE = '—'

/** A rate for a gauge's value: percent with one decimal, or null when there is no rate. */
export function ratePercent(rate: number | null | undefined): number | null {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return null
  // 0.8765 * 100 is 87.64999… in binary floating point; trimming to 12 significant digits
  // first makes the half round up as a person reading the definition expects.
  return Math.round(Number((rate * 100).toPrecision(12)) * 10) / 10
}

/** A 0..1 rate as a percentage with one decimal: 0.8765 → "87.7%", null → "—". */
export function formatRate(rate: number | null | undefined): string {
  const pct = ratePercent(rate)
  return pct === null ? NO_VALUE : `${pct.toFixed(1)}%`
}

/** A count as a whole, non-negative number; anything else reads as 0 rather than NaN. */
export function safeCount(n: unknown): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return 0
  return Math.floor(n)
}

/** "3/7" from "YYYY-MM-DD" for the trend axis; the input is returned unchanged if malformed. */
export function formatDayShort(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m || m[2] === undefined || m[3] === undefined) return day
  return `${Number(m[2])}/${Number(m[3])}`
}

/** A project's progress (Go sends a whole percentage, 0..100) clamped so no bar overflows. */
export function progressPercent(p: number | null | undefined): number {
  if (p === null || p === undefined || !Number.isFinite(p)) return 0
  return Math.min(100, Math.max(0, Math.round(p)))
}

/** Text shortened to max characters (code points, so a CJK or emoji character is not split). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text ?? '')
  if (chars.length <= max) return chars.join('')
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}
