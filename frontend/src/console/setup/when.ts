// The setup forms' times, typed and shown in the stations' zone whatever the browser's zone
// (an office PC set to UTC must not move an activity by eight hours).
import { parseTime, stationOffsetMinutes, stationParts } from '../time'

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** The hub's zero time (Go's time.Time{}) stands for "not set". */
function isZero(iso: string): boolean {
  return iso.startsWith('0001-01-01')
}

/** inputOf is an RFC3339 time as a datetime-local input's value, "YYYY-MM-DDTHH:mm" in the station. */
export function inputOf(iso: unknown): string {
  if (typeof iso !== 'string' || !iso || isZero(iso)) return ''
  const d = parseTime(iso)
  if (!d) return ''
  const p = stationParts(d)
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}`
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
}

/** timeOf is a datetime-local value read in the station as RFC3339 with its offset; "" when empty or malformed. */
export function timeOf(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local)
  if (!m) return ''
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number]
  const off = stationOffsetMinutes(new Date(Date.UTC(y, mo - 1, d, h, mi)))
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${offsetText(off)}`
}

/** dateInputOf is a time's station date, "YYYY-MM-DD", for a date input. */
export function dateInputOf(iso: unknown): string {
  return inputOf(iso).slice(0, 10)
}

/** dayTimeOf is the start of a station date as RFC3339 (a milestone's due day). */
export function dayTimeOf(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? timeOf(`${date}T00:00`) : ''
}
