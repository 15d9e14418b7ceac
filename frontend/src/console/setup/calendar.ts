// The working-day calendar page's model: a year's holidays and make-up working days (调休上班)
// as the admin edits them, and the month grids the page draws. Dates are "YYYY-MM-DD" days of
// the stations, computed with UTC arithmetic so the browser's own zone never shifts a day.
import type { CalendarDay, CalendarEdit, CalendarYearView } from '../api/types'

export type DayKind = 'holiday' | 'workday' | 'weekend' | 'weekday'

/** What a click can make of a day: an ordinary day, a holiday, or a make-up working day. */
export type DayChoice = 'normal' | 'holiday' | 'workday'

export interface CalendarDraft {
  year: number
  holidays: CalendarDay[]
  workdays: CalendarDay[]
  provisional: boolean
  source: string
}

/** A day cell of a month grid; null cells pad the first and last week. */
export interface GridDay {
  date: string
  day: number
  weekend: boolean
}

export function draftOf(v: CalendarYearView): CalendarDraft {
  return {
    year: v.year,
    holidays: v.holidays.map((d) => ({ ...d })),
    workdays: v.workdays.map((d) => ({ ...d })),
    provisional: v.provisional,
    source: v.source,
  }
}

export function editOf(d: CalendarDraft): CalendarEdit {
  return { holidays: sorted(d.holidays), workdays: sorted(d.workdays), provisional: d.provisional, source: d.source.trim() }
}

function sorted(days: CalendarDay[]): CalendarDay[] {
  return [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

/** sameDraft says whether two drafts would save the same year. */
export function sameDraft(a: CalendarDraft, b: CalendarDraft): boolean {
  return JSON.stringify(editOf(a)) === JSON.stringify(editOf(b))
}

const pad = (n: number) => String(n).padStart(2, '0')

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`
}

/** weekday of a date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).getUTCDay()
}

export function isWeekend(date: string): boolean {
  const w = weekday(date)
  return w === 0 || w === 6
}

/** monthGrid lays a month (1–12) out in weeks from Monday to Sunday. */
export function monthGrid(year: number, month: number): (GridDay | null)[][] {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7 // Monday first
  const cells: (GridDay | null)[] = Array.from({ length: lead }, () => null)
  for (let d = 1; d <= days; d++) {
    const date = isoDate(year, month, d)
    cells.push({ date, day: d, weekend: isWeekend(date) })
  }
  while (cells.length % 7) cells.push(null)
  const weeks: (GridDay | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** dayKind is how deadlines count a day of the draft. */
export function dayKind(d: CalendarDraft, date: string): DayKind {
  if (d.workdays.some((x) => x.date === date)) return 'workday'
  if (d.holidays.some((x) => x.date === date)) return 'holiday'
  return isWeekend(date) ? 'weekend' : 'weekday'
}

/** dayName is the name the draft gives a day, "" for an ordinary one. */
export function dayName(d: CalendarDraft, date: string): string {
  return (d.workdays.find((x) => x.date === date) ?? d.holidays.find((x) => x.date === date))?.name ?? ''
}

/** choiceOf is what the editor shows as selected for a day. */
export function choiceOf(d: CalendarDraft, date: string): DayChoice {
  const k = dayKind(d, date)
  return k === 'holiday' || k === 'workday' ? k : 'normal'
}

/**
 * setDay makes a day of the draft an ordinary day, a holiday or a make-up working day with a
 * name; it returns a new draft. The hub checks the rest (make-up days on weekends, names).
 */
export function setDay(d: CalendarDraft, date: string, choice: DayChoice, name: string): CalendarDraft {
  const holidays = d.holidays.filter((x) => x.date !== date)
  const workdays = d.workdays.filter((x) => x.date !== date)
  const day = { date, name: name.trim() }
  if (choice === 'holiday') holidays.push(day)
  if (choice === 'workday') workdays.push(day)
  return { ...d, holidays: sorted(holidays), workdays: sorted(workdays) }
}

/** counts of the draft's days, for the page's summary. */
export function counts(d: CalendarDraft): { holidays: number; workdays: number } {
  return { holidays: d.holidays.length, workdays: d.workdays.length }
}

/** problemDate finds the date a refusal's field ("holidays[3].date") names in the sent edit. */
export function problemDate(edit: CalendarEdit, field: string): string {
  const m = /^(holidays|workdays)\[(\d+)\]/.exec(field)
  if (!m) return ''
  const list = m[1] === 'holidays' ? edit.holidays : edit.workdays
  return list[Number(m[2])]?.date ?? ''
}
