import { stationMonth } from '../time'

// The record's periods as the hub names them: a year "2026", a quarter "2026-Q2", a month
// "2026-05". The picker edits a PeriodPick; the hub is sent its key.

export type PeriodKind = 'year' | 'quarter' | 'month'

export interface PeriodPick {
  kind: PeriodKind
  year: number
  /** The quarter (1–4) or the month (1–12); ignored for a year. */
  part: number
}

export function periodKey(p: PeriodPick): string {
  if (p.kind === 'quarter') return `${p.year}-Q${p.part}`
  if (p.kind === 'month') return `${p.year}-${String(p.part).padStart(2, '0')}`
  return String(p.year)
}

/** parsePeriod reads a key back; null for anything the hub would refuse. */
export function parsePeriod(key: string | null | undefined): PeriodPick | null {
  const m = /^(\d{4})(?:-(Q[1-4]|\d{2}))?$/.exec(key ?? '')
  if (!m) return null
  const year = Number(m[1])
  if (year < 2000 || year > 2100) return null
  if (!m[2]) return { kind: 'year', year, part: 1 }
  if (m[2].startsWith('Q')) return { kind: 'quarter', year, part: Number(m[2].slice(1)) }
  const month = Number(m[2])
  return month >= 1 && month <= 12 ? { kind: 'month', year, part: month } : null
}

/** The period of the given kind running now in the station. */
export function currentPeriod(kind: PeriodKind, now: Date = new Date()): PeriodPick {
  const [y, m] = stationMonth(now).split('-').map(Number) as [number, number]
  if (kind === 'quarter') return { kind, year: y, part: Math.ceil(m / 3) }
  if (kind === 'month') return { kind, year: y, part: m }
  return { kind, year: y, part: 1 }
}

/** Changing the kind keeps the year and picks the part of it holding the old one's start. */
export function withKind(p: PeriodPick, kind: PeriodKind): PeriodPick {
  const month = p.kind === 'quarter' ? p.part * 3 - 2 : p.kind === 'month' ? p.part : 1
  if (kind === 'quarter') return { kind, year: p.year, part: Math.ceil(month / 3) }
  if (kind === 'month') return { kind, year: p.year, part: month }
  return { kind, year: p.year, part: 1 }
}

/** "★★★☆☆": stars earned of the scale's max. */
export function starText(n: number, max: number): string {
  return '★'.repeat(Math.max(0, n)) + '☆'.repeat(Math.max(0, max - n))
}
