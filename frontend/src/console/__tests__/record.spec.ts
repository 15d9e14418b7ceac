import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { RecordRanking, RecordRulesView, RecordTotal, RepRecord } from '../api/types'
import { RECORD_ACTS } from '../api/types'
import { currentPeriod, parsePeriod, periodKey, starText, withKind } from '../record/period'
import { draftOf, rulesOf } from '../record/rules'
import { RoutedPage, adminUser, consolePage, fakeHub, json, staffUser } from './helpers'

const defaults = {
  acts: RECORD_ACTS.map((act) => ({ act, points: act === 'claim' ? 3 : 2, cap: 20 })),
  cap_period: 'month' as const,
  stars: [30, 80, 150, 250, 400],
}

function totals(counts: Partial<Record<string, number>>): RecordTotal[] {
  return RECORD_ACTS.map((act) => ({ act, count: counts[act] ?? 0, raw: (counts[act] ?? 0) * 2, points: (counts[act] ?? 0) * 2 }))
}

const ranking: RecordRanking = {
  period: { key: '2026', from: '2025-12-31T16:00:00Z', to: '2026-12-31T16:00:00Z', months: 12 },
  station: '',
  thresholds: [30, 80, 150, 250, 400],
  rows: [
    { rank: 1, rep_id: 'HX01-R02', name: '李梅', level: '区', stations: ['HX01'], points: 96, stars: 2, totals: totals({ claim: 12, duty: 20 }), replies: 10, replies_on_time: 9 },
    { rank: 2, rep_id: 'HX01-R01', name: '张三', level: '区', stations: ['HX01'], points: 40, stars: 1, totals: totals({ claim: 3 }), replies: 2, replies_on_time: 1 },
  ],
}

const repRecord: RepRecord = {
  rep: { id: 'HX01-R01', name: '张三', level: '区人大代表', stations: ['HX01'] },
  period: { key: '2026-03', from: '2026-02-28T16:00:00Z', to: '2026-03-31T16:00:00Z', months: 1 },
  thresholds: [3, 7, 13, 21, 34],
  max_stars: 5,
  reply_target_hours: 24,
  activities: { 'ACT-1': '垃圾分类议事会' },
  record: {
    rep_id: 'HX01-R01',
    points: 9,
    stars: 2,
    totals: totals({ claim: 1, reply_on_time: 1, activity: 1 }),
    replies: 1,
    replies_on_time: 1,
    avg_reply_minutes: 95,
    entries: [
      { act: 'claim', at: '2026-03-02T01:00:00Z', points: 3, station: 'HX01', case_id: 'c1', case_number: 'HX01-K1-20260302-0001' },
      { act: 'reply_on_time', at: '2026-03-02T02:35:00Z', points: 2, station: 'HX01', case_id: 'c1', case_number: 'HX01-K1-20260302-0001', delay_minutes: 95 },
      { act: 'activity', at: '2026-03-20T01:00:00Z', points: 2, station: 'HX01', activity: 'ACT-1' },
    ],
  },
}

describe('record periods', () => {
  it('names years, quarters and months as the hub does and reads them back', () => {
    expect(periodKey({ kind: 'year', year: 2026, part: 1 })).toBe('2026')
    expect(periodKey({ kind: 'quarter', year: 2026, part: 2 })).toBe('2026-Q2')
    expect(periodKey({ kind: 'month', year: 2026, part: 5 })).toBe('2026-05')
    for (const k of ['2026', '2026-Q4', '2026-11']) expect(periodKey(parsePeriod(k)!)).toBe(k)
    for (const bad of ['', '26', '2026-13', '2026-Q5', '1999', '2026-5']) expect(parsePeriod(bad)).toBeNull()
  })

  it('keeps the year and the start when the kind changes', () => {
    expect(withKind({ kind: 'month', year: 2026, part: 8 }, 'quarter')).toEqual({ kind: 'quarter', year: 2026, part: 3 })
    expect(withKind({ kind: 'quarter', year: 2026, part: 3 }, 'month')).toEqual({ kind: 'month', year: 2026, part: 7 })
    expect(withKind({ kind: 'quarter', year: 2026, part: 3 }, 'year')).toEqual({ kind: 'year', year: 2026, part: 1 })
    // 31 December 2026, 20:00 UTC is already 2027 in the station
    expect(periodKey(currentPeriod('month', new Date('2026-12-31T20:00:00Z')))).toBe('2027-01')
    expect(starText(2, 5)).toBe('★★☆☆☆')
  })

  it('checks a rules draft before it is sent', () => {
    const d = draftOf(defaults)
    expect(d.stars).toEqual(['30', '80', '150', '250', '400'])
    expect(rulesOf(d)).toEqual(defaults)
    d.stars = ['10', '', '40', '', '']
    expect(rulesOf(d)).toMatchObject({ stars: [10, 40] })
    expect(rulesOf({ ...d, stars: ['10', '5', '', '', ''] })).toBe('badStars')
    expect(rulesOf({ ...d, stars: ['', '', '', '', ''] })).toBe('badStars')
    expect(rulesOf({ ...d, acts: [{ act: 'duty', points: '101', cap: '0' }] })).toBe('badPoints')
    expect(rulesOf({ ...d, acts: [{ act: 'duty', points: '-3', cap: '2.5' }] })).toBe('badCap')
  })
})

describe('record ranking page', () => {
  const page = consolePage(staffUser)

  it('ranks the representatives of a period and re-asks when the period changes', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json({ stations: [{ code: 'HX01', name: '花溪联络站', communities: [] }], departments: [], categories: [], representatives: [] }))
    hub.on('GET', '/api/v1/record/ranking', (call) => json({ ...ranking, period: { ...ranking.period, key: call.url.searchParams.get('period') } }))
    const w = await page.open(RoutedPage, '/record?period=2026')
    expect(hub.callsTo('/api/v1/record/ranking')[0]?.url.searchParams.get('period')).toBe('2026')
    const rows = w.findAll('[data-testid="record-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]?.text()).toContain('李梅')
    expect(rows[0]?.text()).toContain('花溪联络站')
    expect(rows[0]?.get('[data-testid="record-points"]').text()).toBe('96')
    expect(rows[0]?.text()).toContain('★★☆☆☆')
    expect(rows[0]?.text()).toContain('9/10')
    expect(w.get('[data-testid="record-thresholds"]').text()).toContain('1星 30分')
    expect(w.get('[data-testid="record-xlsx"]').attributes('href')).toBe('/api/v1/record/ranking.xlsx?period=2026')
    expect(w.find('[data-testid="record-rules-link"]').exists()).toBe(false) // staff do not edit the rules
    expect(w.get('[data-testid="record-rep-link"]').attributes('href')).toContain('/record/reps/HX01-R02')

    await w.get('[data-testid="period-kind"]').setValue('quarter')
    await flushPromises()
    expect(page.router.currentRoute.value.query.period).toBe('2026-Q1')
    await w.get('[data-testid="record-station"]').setValue('HX01')
    await flushPromises()
    const last = hub.callsTo('/api/v1/record/ranking').at(-1)
    expect(last?.url.searchParams.get('period')).toBe('2026-Q1')
    expect(last?.url.searchParams.get('station')).toBe('HX01')
    expect(w.get('[data-testid="record-xlsx"]').attributes('href')).toBe('/api/v1/record/ranking.xlsx?period=2026-Q1&station=HX01')
  })

  it('words a refused period', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json({ stations: [], departments: [], categories: [], representatives: [] }))
    hub.on('GET', '/api/v1/record/ranking', () => json({ code: 'record_bad_period', message: '期间有误' }, 400))
    const w = await page.open(RoutedPage, '/record')
    expect(w.get('[role="alert"]').text()).toBe('期间须为年份、季度或月份')
  })
})

describe('representative record page', () => {
  const page = consolePage(staffUser)

  it('shows the points, stars, acts and the annual PDF of the period', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/record/reps/HX01-R01', () => json(repRecord))
    const w = await page.open(RoutedPage, '/record/reps/HX01-R01?period=2026-03')
    expect(hub.callsTo('/api/v1/record/reps/HX01-R01')[0]?.url.searchParams.get('period')).toBe('2026-03')
    expect(w.get('[data-testid="record-rep-points"]').text()).toBe('9')
    expect(w.get('[data-testid="record-rep-stars"]').text()).toBe('★★☆☆☆')
    expect(w.get('[data-testid="record-rep-replies"]').text()).toBe('首次答复 1 次，24 小时内 1 次，平均用时 1 小时 35 分钟')
    const entries = w.findAll('[data-testid="record-entry"]')
    expect(entries).toHaveLength(3)
    expect(entries[0]?.text()).toContain('2026-03-02 09:00') // station time
    expect(entries[0]?.text()).toContain('领办事项')
    expect(entries[1]?.text()).toContain('1 小时 35 分钟')
    expect(entries[2]?.text()).toContain('垃圾分类议事会')
    expect(w.get('[data-testid="record-totals"] [data-act="claim"]').text()).toContain('领办事项')
    expect(w.get('[data-testid="record-pdf"]').attributes('href')).toBe('/api/v1/record/reps/HX01-R01/annual.pdf?year=2026')
  })
})

describe('record rules page', () => {
  const page = consolePage(adminUser)
  const view: RecordRulesView = {
    rules: defaults,
    defaults,
    edited: true,
    history: [{ version: 3, login: 'admin', name: '管理员', saved: '2026-11-20T02:00:00Z' }],
    reply_target_hours: 24,
  }

  it('saves edited points and thresholds, and refuses descending stars before sending', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/record/rules', () => json(view))
    hub.on('PUT', '/api/v1/record/rules', (call) => json({ ...view, rules: call.body, history: [{ version: 4, login: 'admin', name: '管理员', saved: '2026-12-01T02:00:00Z' }, ...view.history] }))
    const w = await page.open(RoutedPage, '/record/rules')
    expect(w.get('[data-testid="rules-history"]').text()).toContain('第 3 版 · 管理员（admin） · 2026-11-20 10:00')
    await w.get('[data-act="claim"] [data-testid="rule-points"]').setValue('10')
    const stars = w.findAll('[data-testid="rule-star"]')
    await stars[0]?.setValue('50')
    await stars[1]?.setValue('40')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="rules-problem"]').text()).toBe('星级门槛须为递增的正整数，至少一个')
    expect(hub.callsTo('/api/v1/record/rules').filter((c) => c.method === 'PUT')).toHaveLength(0)

    await stars[1]?.setValue('90')
    await w.get('[data-testid="rule-cap-period"]').setValue('quarter')
    await w.get('form').trigger('submit')
    await flushPromises()
    const put = hub.callsTo('/api/v1/record/rules').find((c) => c.method === 'PUT')
    expect(put?.headers['X-CSRF-Token']).toBe('tok')
    const body = put?.body as typeof defaults
    expect(body.acts.find((a) => a.act === 'claim')?.points).toBe(10)
    expect(body.stars).toEqual([50, 90, 150, 250, 400])
    expect(body.cap_period).toBe('quarter')
    expect(w.find('[data-testid="rules-problem"]').exists()).toBe(false)
    expect(w.get('[data-testid="rules-history"]').text()).toContain('第 4 版')
  })

  it('shows the hub refusal of the rules', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/record/rules', () => json(view))
    hub.on('PUT', '/api/v1/record/rules', () => json({ code: 'record_bad_points', message: '“领办事项”的分值须在 -100 至 100 之间' }, 400))
    const w = await page.open(RoutedPage, '/record/rules')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="rules-problem"]').text()).toBe('“领办事项”的分值须在 -100 至 100 之间')
  })
})

describe('record routes', () => {
  const page = consolePage(staffUser)

  it('keep the rules to admins', async () => {
    fakeHub()
    await page.router.push('/record/rules')
    expect(page.router.currentRoute.value.path).toBe('/cases')
  })
})
