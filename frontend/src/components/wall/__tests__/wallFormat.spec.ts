// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  formatDayShort,
  formatRate,
  progressPercent,
  ratePercent,
  truncate,
} from '../format'
import { burnInOffset, digitCount, layoutHotWords, odometerPositions, tickerPhase } from '../motion'

describe('formatRate', () => {
  const cases: { name: string; in: number | null | undefined; out: string }[] = [
    { name: 'null has no rate', in: null, out: '—' },
    { name: 'undefined has no rate', in: undefined, out: '—' },
    { name: 'NaN has no rate', in: Number.NaN, out: '—' },
    { name: 'rounds to one decimal', in: 0.8765, out: '87.7%' },
    { name: 'zero is a rate', in: 0, out: '0.0%' },
    { name: 'one', in: 1, out: '100.0%' },
    { name: 'half', in: 0.5, out: '50.0%' },
  ]
  for (const c of cases) it(c.name, () => expect(formatRate(c.in)).toBe(c.out))

  it('gives the gauge value in percent', () => {
    expect(ratePercent(0.8765)).toBe(87.7)
    expect(ratePercent(null)).toBeNull()
  })
})

describe('trend days', () => {
  it('shortens trend days', () => {
    expect(formatDayShort('2025-03-07')).toBe('3/7')
    expect(formatDayShort('junk')).toBe('junk')
  })
})

describe('progressPercent and truncate', () => {
  it('takes whole percentages, clamped', () => {
    expect(progressPercent(1)).toBe(1)
    expect(progressPercent(45)).toBe(45)
    expect(progressPercent(140)).toBe(100)
    expect(progressPercent(-3)).toBe(0)
    expect(progressPercent(Number.NaN)).toBe(0)
  })
  it('truncates by characters', () => {
    expect(truncate('楼道堆放杂物影响通行', 5)).toBe('楼道堆放…')
    expect(truncate('短', 5)).toBe('短')
  })
})

describe('odometer', () => {
  it('shows whole values as whole digits', () => {
    expect(odometerPositions(1234, 4)).toEqual([1, 2, 3, 4])
    expect(odometerPositions(7, 3)).toEqual([0, 0, 7])
  })
  it('rolls higher digits only while lower digits roll over', () => {
    const p = odometerPositions(19.5, 2)
    expect(p[0]).toBeCloseTo(1.5)
    expect(p[1]).toBeCloseTo(9.5)
    const q = odometerPositions(15.5, 2)
    expect(q[0]).toBeCloseTo(1)
  })
  it('counts digits', () => {
    expect(digitCount(0)).toBe(1)
    expect(digitCount(999, 1000)).toBe(4)
  })
})

describe('burn-in and ticker motion', () => {
  it('moves a few pixels per period and returns home', () => {
    expect(burnInOffset(0)).toEqual({ x: 0, y: 0 })
    const p = burnInOffset(4 * 60 * 1000)
    expect(Math.abs(p.x) + Math.abs(p.y)).toBeGreaterThan(0)
    expect(Math.max(Math.abs(p.x), Math.abs(p.y))).toBeLessThanOrEqual(3)
    expect(burnInOffset(9 * 4 * 60 * 1000)).toEqual({ x: 0, y: 0 })
  })
  it('holds then slides one row', () => {
    expect(tickerPhase(1000, 5, 4000, 600)).toEqual({ index: 0, frac: 0 })
    expect(tickerPhase(4600, 5, 4000, 600)).toEqual({ index: 1, frac: 0 })
    expect(tickerPhase(4300, 5, 4000, 600).frac).toBeGreaterThan(0)
    expect(tickerPhase(5 * 4600, 5, 4000, 600).index).toBe(0)
    expect(tickerPhase(100, 0, 4000, 600)).toEqual({ index: 0, frac: 0 })
  })
})

describe('layoutHotWords', () => {
  it('maps weights to sizes with the heaviest largest and in the middle', () => {
    const out = layoutHotWords(
      [
        { word: '停车', weight: 9 },
        { word: '电梯', weight: 4 },
        { word: '垃圾', weight: 1 },
        { word: '', weight: 100 },
        { word: '噪音', weight: 0 },
      ],
      20,
      80,
    )
    expect(out.map((w) => w.word).sort()).toEqual(['停车', '垃圾', '电梯'])
    const big = out.find((w) => w.word === '停车')!
    const small = out.find((w) => w.word === '垃圾')!
    expect(big.size).toBe(80)
    expect(small.size).toBe(20)
    expect(out[1]!.word).toBe('停车')
  })
  it('shows a repeated word once, at its heaviest', () => {
    const out = layoutHotWords([{ word: '停车', weight: 2 }, { word: '停车', weight: 9 }, { word: '电梯', weight: 1 }], 20, 80)
    expect(out.filter((w) => w.word === '停车')).toEqual([{ word: '停车', weight: 9, size: 80, rank: 0 }])
  })
  it('limits the count', () => {
    const words = Array.from({ length: 100 }, (_, i) => ({ word: `词${i}`, weight: i + 1 }))
    expect(layoutHotWords(words, 10, 50, 25)).toHaveLength(25)
  })
})
