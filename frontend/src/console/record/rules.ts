import type { CapPeriod, RecordAct, RecordRules } from '../api/types'

// The rules editor's draft: numbers as the inputs hold them, checked before saving with the
// hub's own bounds (record.MaxPoints, record.MaxCap, record.MaxStars).

export const MAX_POINTS = 100
export const MAX_CAP = 10000
export const MAX_STARS = 5

export interface RulesDraft {
  acts: { act: RecordAct; points: string; cap: string }[]
  capPeriod: CapPeriod
  /** MAX_STARS inputs; the empty ones are no star. */
  stars: string[]
}

export function draftOf(r: RecordRules): RulesDraft {
  const stars = r.stars.map(String)
  while (stars.length < MAX_STARS) stars.push('')
  return {
    acts: r.acts.map((a) => ({ act: a.act, points: String(a.points), cap: String(a.cap) })),
    capPeriod: r.cap_period,
    stars,
  }
}

function whole(s: string, min: number, max: number): number | null {
  if (!/^-?\d+$/.test(s.trim())) return null
  const n = Number(s.trim())
  return n >= min && n <= max ? n : null
}

export type DraftProblem = 'badPoints' | 'badCap' | 'badStars'

/** rulesOf turns a draft into rules, or says the first thing wrong with it. */
export function rulesOf(d: RulesDraft): RecordRules | DraftProblem {
  const acts = []
  for (const a of d.acts) {
    const points = whole(a.points, -MAX_POINTS, MAX_POINTS)
    if (points === null) return 'badPoints'
    const cap = whole(a.cap, 0, MAX_CAP)
    if (cap === null) return 'badCap'
    acts.push({ act: a.act, points, cap })
  }
  const stars: number[] = []
  for (const s of d.stars) {
    if (s.trim() === '') continue
    const n = whole(s, 1, 100000)
    if (n === null || (stars.length > 0 && n <= stars[stars.length - 1]!)) return 'badStars'
    stars.push(n)
  }
  if (stars.length === 0) return 'badStars'
  return { acts, cap_period: d.capPeriod, stars }
}
