// The duty roster as a week: which representatives are on duty at a station each day, and
// when. A day is one reference item (ref.duty_roster, key "STATION:YYYY-MM-DD").
import type { RefItem } from '../api/types'
import { addDays, stationToday } from '../time'
import { dateInputOf, inputOf, timeOf } from './when'
import { isRefId } from './schema'

export interface DutyShift {
  station: string
  day: string
  rep_ids: string[]
  starts: string
  ends: string
}

/** A day of the week being edited: its reps and hours as typed, and what the hub has. */
export interface DutyDay {
  day: string
  reps: string[]
  /** "HH:mm" in the station. */
  from: string
  to: string
  /** The stored shift, null for a day with none. */
  saved: DutyShift | null
}

export const DEFAULT_FROM = '09:00'
export const DEFAULT_TO = '17:00'

/** mondayOf is the Monday of the week a date ("YYYY-MM-DD") is in. */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay() // 0 = Sunday
  return addDays(date, wd === 0 ? -6 : 1 - wd)
}

export function thisMonday(now: Date = new Date()): string {
  return mondayOf(stationToday(now))
}

export function isMonday(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && mondayOf(date) === date
}

export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i))
}

/** dutyKey is a duty day's key in the hub. */
export function dutyKey(station: string, day: string): string {
  return `${station}:${day}`
}

function hhmm(iso: string): string {
  return inputOf(iso).slice(11, 16)
}

function asShift(it: RefItem): DutyShift {
  return {
    station: String(it.station ?? ''),
    day: String(it.day ?? ''),
    rep_ids: Array.isArray(it.rep_ids) ? it.rep_ids.map(String) : [],
    starts: String(it.starts ?? ''),
    ends: String(it.ends ?? ''),
  }
}

/** weekOf lays a station's stored shifts out on the seven days from monday. */
export function weekOf(station: string, monday: string, items: RefItem[]): DutyDay[] {
  const shifts = items.map(asShift).filter((s) => s.station === station)
  return weekDays(monday).map((day) => {
    const saved = shifts.find((s) => s.day === day) ?? null
    return {
      day,
      reps: saved ? [...saved.rep_ids] : [],
      from: saved ? hhmm(saved.starts) || DEFAULT_FROM : DEFAULT_FROM,
      to: saved ? hhmm(saved.ends) || DEFAULT_TO : DEFAULT_TO,
      saved,
    }
  })
}

/** shiftOf is the item a day is saved as. */
export function shiftOf(station: string, d: DutyDay): DutyShift {
  return { station, day: d.day, rep_ids: [...d.reps], starts: timeOf(`${d.day}T${d.from}`), ends: timeOf(`${d.day}T${d.to}`) }
}

/**
 * changed tells a day that needs saving: its reps or hours differ from the stored shift. A day
 * with no shift and nobody on duty needs nothing.
 */
export function changed(station: string, d: DutyDay): boolean {
  if (!d.saved) return d.reps.length > 0
  const now = shiftOf(station, d)
  const was = d.saved
  return (
    now.rep_ids.join(',') !== was.rep_ids.join(',') ||
    dateInputOf(was.starts) !== d.day ||
    hhmm(was.starts) !== d.from ||
    hhmm(was.ends) !== d.to
  )
}

/** The problems of a day the hub would refuse: hours out of order, a malformed id. */
export function dayProblems(d: DutyDay): { field: string; code: string }[] {
  const out: { field: string; code: string }[] = []
  if (!/^\d{2}:\d{2}$/.test(d.from)) out.push({ field: 'starts', code: 'field_required' })
  if (!/^\d{2}:\d{2}$/.test(d.to)) out.push({ field: 'ends', code: 'field_required' })
  else if (d.to <= d.from) out.push({ field: 'ends', code: 'ref_ends_before_starts' })
  d.reps.forEach((id, i) => {
    if (!isRefId(id)) out.push({ field: `rep_ids[${i}]`, code: 'field_bad_code' })
  })
  return out
}
