// Every time the station shows is formatted here, in the station's zone (Info().timeZone, the
// zone Go decides "today" and deadlines in), never in the zone the machine happens to be set
// to: a kiosk whose clock is set to UTC must show the same due date as Go's timeline and the
// hub's page. A test keeps machine-zone date calls out of the rest of src/.
import { ref } from 'vue'

/** The zone shown until Info() names one; Go's default station zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

// Reactive so screens rendered before Info() arrived re-render in the right zone.
const zone = ref(DEFAULT_TIME_ZONE)

/** isTimeZone reports whether the platform's Intl knows tz as a zone name. */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/**
 * setStationTimeZone makes tz the zone of every formatted time. An unknown or missing name
 * keeps the current zone (false), so a bad setting can never fall back to the machine's.
 */
export function setStationTimeZone(tz: unknown): boolean {
  if (!isTimeZone(tz)) return false
  zone.value = tz
  return true
}

/** stationTimeZone is the zone times are shown in now. */
export function stationTimeZone(): string {
  return zone.value
}

/** The calendar and clock fields of an instant as read on a wall clock in the station. */
export interface StationTime {
  year: number
  month: number // 1..12
  day: number
  hour: number // 0..23
  minute: number
  second: number
  weekday: number // 0 = Sunday
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    // en-US with numeric fields: only the numbers are read, never the locale's wording.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    })
    formatters.set(tz, f)
  }
  return f
}

/** stationTime reads d in the station's zone (or tz when given). */
export function stationTime(d: Date, tz: string = zone.value): StationTime {
  const out: StationTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 }
  for (const p of formatterFor(tz).formatToParts(d)) {
    switch (p.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'minute':
      case 'second':
        out[p.type] = Number(p.value)
        break
      case 'hour':
        // Some engines still write midnight as 24 under h23.
        out.hour = Number(p.value) % 24
        break
      case 'weekday':
        out.weekday = WEEKDAY_INDEX[p.value] ?? 0
        break
    }
  }
  return out
}

/** parseTime reads an RFC3339 string; null for null, empty or unparsable input. */
export function parseTime(iso: string | null | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

const pad2 = (n: number): string => String(n).padStart(2, '0')
const ymd = (t: StationTime): string => `${t.year}-${pad2(t.month)}-${pad2(t.day)}`
const hm = (t: StationTime): string => `${pad2(t.hour)}:${pad2(t.minute)}`

function read(iso: string | null | undefined): StationTime | null {
  const d = parseTime(iso)
  return d ? stationTime(d) : null
}

/** "2024-05-01 09:30", or "" when the time is missing or malformed. */
export function formatDateTime(iso: string | null | undefined): string {
  const t = read(iso)
  return t ? `${ymd(t)} ${hm(t)}` : ''
}

/** "2024-05-01". */
export function formatDate(iso: string | null | undefined): string {
  const t = read(iso)
  return t ? ymd(t) : ''
}

/** "09:30". */
export function formatTime(iso: string | null | undefined): string {
  const t = read(iso)
  return t ? hm(t) : ''
}

/** "hh:mm:ss" of an instant, for running clocks. */
export function formatClock(d: Date): string {
  const t = stationTime(d)
  return `${hm(t)}:${pad2(t.second)}`
}

/** "hh:mm" of an instant, for running clocks. */
export function formatClockHM(d: Date): string {
  return hm(stationTime(d))
}

const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'] as const
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'] as const

/** "2025年3月7日 星期五" (the wall's header). */
export function formatDateZh(d: Date): string {
  const t = stationTime(d)
  return `${t.year}年${t.month}月${t.day}日 星期${WEEKDAYS_ZH[t.weekday] ?? ''}`
}

/** "3月7日 星期五" or "Friday, March 7" (the attract screen). */
export function formatMonthDayWeekday(d: Date, locale: string): string {
  const t = stationTime(d)
  if (locale.startsWith('en')) return `${WEEKDAYS_EN[t.weekday] ?? ''}, ${MONTHS_EN[t.month - 1] ?? ''} ${t.day}`
  return `${t.month}月${t.day}日 星期${WEEKDAYS_ZH[t.weekday] ?? ''}`
}

/** sameStationDay reports whether a and b fall on the same day in the station. */
export function sameStationDay(a: Date, b: Date): boolean {
  return ymd(stationTime(a)) === ymd(stationTime(b))
}

/** "hh:mm" for a time on today's date in the station, "M月D日 hh:mm" otherwise. */
export function formatWhen(iso: string | null | undefined, today: Date): string {
  const d = parseTime(iso)
  if (!d) return ''
  const t = stationTime(d)
  return sameStationDay(d, today) ? hm(t) : `${t.month}月${t.day}日 ${hm(t)}`
}
