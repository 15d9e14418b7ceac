import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { api } from '@/console/api'
import { RECORD_ACTS, type RepRecord } from '@/console/api/types'
import { fakeHub, json } from '@/console/__tests__/helpers'
import { repPage, repUser } from './helpers'
import { nav } from '../router'
import RecordView from '../views/RecordView.vue'

function record(points: number, counts: Partial<Record<string, [number, number, number]>>): RepRecord {
  return {
    rep: { id: 'HX01-R01', name: '张三', level: '区', stations: ['HX01'] },
    period: { key: '2026-11', from: '2026-10-31T16:00:00Z', to: '2026-11-30T16:00:00Z', months: 1 },
    thresholds: [3, 7, 13, 21, 34],
    max_stars: 5,
    reply_target_hours: 24,
    activities: { 'ACT-9': '社区议事会' },
    record: {
      rep_id: 'HX01-R01',
      points,
      stars: [3, 7, 13, 21, 34].filter((p) => points >= p).length,
      totals: RECORD_ACTS.map((act) => {
        const [count, raw, pts] = counts[act] ?? [0, 0, 0]
        return { act, count, raw, points: pts }
      }),
      replies: 2,
      replies_on_time: 1,
      avg_reply_minutes: 1530,
      entries: [
        { act: 'claim', at: '2026-11-02T01:00:00Z', points: 3, station: 'HX01', case_id: 'c1', case_number: 'HX01-K1-20261102-0001' },
        { act: 'reply_late', at: '2026-11-03T03:00:00Z', points: 0, station: 'HX01', case_id: 'c1', case_number: 'HX01-K1-20261102-0001', delay_minutes: 1560 },
        { act: 'activity', at: '2026-11-20T01:00:00Z', points: 2, station: 'HX01', activity: 'ACT-9' },
      ],
    },
  }
}

const page = repPage()

beforeEach(() => {
  page.setup(repUser)
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-11-23T02:00:00Z'))
})

afterEach(() => {
  vi.useRealTimers()
})

const open = () => page.open(RecordView, '/record')

describe('履职 on the phone', () => {
  it('is an entry of the bottom bar', () => {
    expect(nav.some((n) => n.name === 'record' && n.labelKey === 'record.nav')).toBe(true)
    expect(page.router.resolve('/record').name).toBe('record')
  })

  it('shows my points, stars and acts of this month, and the year when asked', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/record/me', (call) =>
      json(call.url.searchParams.get('period') === '2026' ? record(40, { claim: [12, 36, 30] }) : record(10, { claim: [1, 3, 3], reply_late: [1, 0, 0], activity: [1, 2, 2], duty: [3, 6, 5] })),
    )
    const w = await open()
    expect(hub.callsTo('/api/v1/record/me')[0]?.url.searchParams.get('period')).toBe('2026-11')
    expect(w.get('[data-testid="record-points"]').text()).toBe('10')
    expect(w.get('[data-testid="record-stars"]').text()).toBe('★★☆☆☆')
    expect(w.get('[data-testid="record-next"]').text()).toBe('再得 3 分可达 3 星')
    expect(w.get('[data-testid="record-replies"]').text()).toBe('首次答复 2 次，24 小时内 1 次，平均用时 25 小时 30 分钟')
    const acts = w.findAll('[data-testid="record-act"]')
    expect(acts.map((a) => a.attributes('data-act'))).toEqual(['duty', 'claim', 'reply_late', 'activity'])
    expect(acts[0]?.text()).toContain('已封顶') // 6 points capped at 5
    expect(acts[1]?.text()).not.toContain('已封顶')
    const entries = w.findAll('[data-testid="record-entry"]')
    expect(entries[0]?.text()).toContain('社区议事会') // newest first
    expect(entries[1]?.text()).toContain('26 小时 0 分钟')
    expect(entries[2]?.text()).toContain('2026-11-02 09:00')
    expect(entries[2]?.get('a').attributes('href')).toContain('/cases/c1')
    expect(w.get('[data-testid="record-pdf"]').attributes('href')).toBe('/api/v1/record/reps/HX01-R01/annual.pdf?year=2026')

    await w.get('[data-testid="record-kind-year"]').trigger('click')
    await flushPromises()
    expect(hub.callsTo('/api/v1/record/me').at(-1)?.url.searchParams.get('period')).toBe('2026')
    expect(w.get('[data-testid="record-points"]').text()).toBe('40')
    expect(w.get('[data-testid="record-next"]').text()).toBe('已达最高星级')
  })

  it('says when the hub cannot answer and tries again', async () => {
    const hub = fakeHub()
    let fail = true
    hub.on('GET', '/api/v1/record/me', () => (fail ? json({ code: 'internal', message: '服务暂时不可用' }, 500) : json(record(0, {}))))
    const w = await open()
    expect(w.get('[role="alert"]').text()).toContain('服务暂时不可用')
    fail = false
    await w.get('[role="alert"] button').trigger('click')
    await flushPromises()
    expect(w.find('[role="alert"]').exists()).toBe(false)
    expect(w.text()).toContain('本期还没有履职记录')
  })
})
