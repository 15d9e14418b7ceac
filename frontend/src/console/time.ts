import { parseTime, stationTime, type StationTime } from '@/time'

// Every time the console shows or sends is read in the stations' zone, never the zone of the
// browser: a handler in another zone (or a PC set to UTC) must see the same due dates and
// "today" as the hub. The contract names no zone field, so it is this constant; the reading
// itself is src/time.ts's, the one place that asks Intl for a zone.

/** The stations' zone (the hub decides "today" and deadlines in it). */
export const STATION_TIME_ZONE = 'Asia/Shanghai'

/** The calendar and clock fields of an instant as read in the station. */
export type StationParts = StationTime

/** stationParts reads d in the stations' zone through the one formatting module. */
export function stationParts(d: Date, tz: string = STATION_TIME_ZONE): StationParts {
  return stationTime(d, tz)
}

export { parseTime }

const pad2 = (n: number): string => String(n).padStart(2, '0')
const ymd = (p: StationParts): string => `${p.year}-${pad2(p.month)}-${pad2(p.day)}`
const hm = (p: StationParts): string => `${pad2(p.hour)}:${pad2(p.minute)}`

/** "2026-11-05 09:30", or "" for a missing or malformed time. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parseTime(iso)
  return d ? `${ymd(stationParts(d))} ${hm(stationParts(d))}` : ''
}

/** "2026-11-05". */
export function formatDate(iso: string | null | undefined): string {
  const d = parseTime(iso)
  return d ? ymd(stationParts(d)) : ''
}

/** today's date in the station, "YYYY-MM-DD". */
export function stationToday(now: Date = new Date()): string {
  return ymd(stationParts(now))
}

/** "YYYY-MM" of the month now running in the station. */
export function stationMonth(now: Date = new Date()): string {
  return stationToday(now).slice(0, 7)
}

/** "YYYY-MM" of the month before the one now running in the station (the month to report). */
export function stationPreviousMonth(now: Date = new Date()): string {
  const [y, m] = stationMonth(now).split('-').map(Number) as [number, number]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

function splitDate(date: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return null
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

/** addDays moves a calendar date ("YYYY-MM-DD") by n days; zone-free arithmetic on UTC. */
export function addDays(date: string, n: number): string {
  const p = splitDate(date)
  if (!p) return ''
  return new Date(Date.UTC(p[0], p[1] - 1, p[2] + n)).toISOString().slice(0, 10)
}

/** The station's offset from UTC in minutes at instant d (+480 in Shanghai). */
export function stationOffsetMinutes(d: Date, tz: string = STATION_TIME_ZONE): number {
  const p = stationParts(d, tz)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60000)
}

/**
 * endOfStationDay is the last second of a station date as RFC3339 with the station's offset
 * ("2026-11-20T23:59:59+08:00"): a due date picked as a day means "by the end of that day".
 */
export function endOfStationDay(date: string, tz: string = STATION_TIME_ZONE): string {
  const p = splitDate(date)
  if (!p) return ''
  const guess = new Date(Date.UTC(p[0], p[1] - 1, p[2], 23, 59, 59))
  const off = stationOffsetMinutes(guess, tz)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${date}T23:59:59${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
}
