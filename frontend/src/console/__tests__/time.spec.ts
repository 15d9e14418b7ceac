import { describe, expect, it } from 'vitest'
import { addDays, endOfStationDay, formatDate, formatDateTime, stationMonth, stationPreviousMonth, stationToday } from '../time'
import { FONT_FAMILY, comparisonOption, departmentOption, topicOption } from '../components/charts'

// 2026-11-05T17:30:00Z is already 01:30 on 6 November in Shanghai.
const LATE = '2026-11-05T17:30:00Z'

describe('console times', () => {
  it('reads instants in the station zone whatever the browser zone', () => {
    expect(formatDateTime(LATE)).toBe('2026-11-06 01:30')
    expect(formatDate(LATE)).toBe('2026-11-06')
    expect(formatDateTime('2026-11-06T01:30:00+08:00')).toBe('2026-11-06 01:30')
    expect(stationToday(new Date(LATE))).toBe('2026-11-06')
    expect(stationMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12')
    expect(stationPreviousMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2026-12') // 1 January in Shanghai
    expect(stationPreviousMonth(new Date('2026-03-10T00:00:00Z'))).toBe('2026-02')
    expect(formatDateTime('2026-11-05T16:00:00Z')).toBe('2026-11-06 00:00') // midnight is 00
  })

  it('tolerates missing and malformed times', () => {
    for (const bad of [undefined, null, '', 'soon']) {
      expect(formatDateTime(bad)).toBe('')
      expect(formatDate(bad)).toBe('')
    }
  })

  it('does date arithmetic on the calendar and ends a due day in the station', () => {
    expect(addDays('2026-11-28', 5)).toBe('2026-12-03')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('nope', 1)).toBe('')
    expect(endOfStationDay('2026-11-20')).toBe('2026-11-20T23:59:59+08:00')
    expect(endOfStationDay('2026-07-01', 'America/New_York')).toBe('2026-07-01T23:59:59-04:00')
    expect(endOfStationDay('2026-07-01', 'Asia/Kolkata')).toBe('2026-07-01T23:59:59+05:30')
  })
})

describe('report charts', () => {
  it('name the bundled CJK font in every text they draw', () => {
    const opts = [
      comparisonOption([{ code: 'road', name: '道路交通', received: 3, closed: 2, overdue: 1, prev_received: 5, change: -2 }], { current: '2026年11月', previous: '2026年10月' }),
      topicOption([{ word: '路灯', cases: 3, prev_cases: 1, change: 2 }], { current: '2026年11月', previous: '2026年10月' }),
      departmentOption([{ code: 'd1', name: '市政所', assigned: 4, on_time: 3, returned: 1, supervised: 0, avg_rating: 2.5 }], {
        assigned: '交办',
        onTime: '按时办结',
        returned: '退单',
        supervised: '督办',
      }),
    ] as Record<string, unknown>[]
    for (const o of opts) {
      expect((o.textStyle as { fontFamily: string }).fontFamily).toBe(FONT_FAMILY)
      expect(FONT_FAMILY.startsWith("'Noto Sans SC'")).toBe(true)
      expect((o.legend as { textStyle: { fontFamily: string } }).textStyle.fontFamily).toBe(FONT_FAMILY)
      expect((o.yAxis as { axisLabel: { fontFamily: string } }).axisLabel.fontFamily).toBe(FONT_FAMILY)
    }
    const seriesOf = (o: Record<string, unknown> | undefined) =>
      ((o?.series ?? []) as { name: string; data: number[] }[]).map((s) => [s.name, s.data])
    expect(seriesOf(opts[0])).toEqual([['2026年11月', [3]], ['2026年10月', [5]]])
    expect(seriesOf(opts[1])).toEqual([['2026年11月', [3]], ['2026年10月', [1]]])
    expect(seriesOf(opts[2])).toEqual([['交办', [4]], ['按时办结', [3]], ['退单', [1]], ['督办', [0]]])
  })
})
