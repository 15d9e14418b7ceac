import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import ReportView from '../views/ReportView.vue'
import { RoutedPage, consolePage, fakeHub, json, staffUser } from './helpers'
import type { Monthly } from '../api/types'
import { PENDING_RETRY_MS } from '../stores/report'
import { barWidths, daysOverdue, monthTitle, percent, signed, topGroups } from '../report'

const nov: Monthly = {
  month: '2026-11',
  node: '',
  area: '',
  as_of: '2026-12-05T02:00:00Z',
  received: 12,
  accepted_on_time: 10,
  handled_on_time: 6,
  response_rate: 10 / 11,
  completion_rate: 0.5,
  satisfaction_rate: 0.75,
  closed: 6,
  rated: 4,
  overdue: 2,
  previous: {
    month: '2026-10', received: 9, accepted_on_time: 8, handled_on_time: 5, response_rate: 8 / 9,
    completion_rate: 0.6, satisfaction_rate: 1, closed: 7, rated: 3, overdue: 3,
  },
  by_area: [{ code: 'HX01', name: '和谐街道联络站', received: 12, closed: 6, overdue: 2, prev_received: 9, change: 3 }],
  by_category: [
    { code: 'env', name: '环境卫生', received: 7, closed: 4, overdue: 1, prev_received: 4, change: 3 },
    { code: 'traffic', name: '交通出行', received: 5, closed: 2, overdue: 1, prev_received: 3, change: 2 },
    { code: 'other', name: '其他', received: 0, closed: 0, overdue: 0, prev_received: 2, change: -2 },
  ],
  by_community: [
    { code: '幸福里社区', name: '幸福里社区', received: 12, closed: 6, overdue: 2, prev_received: 9, change: 3 },
  ],
  by_department: [{ code: 'JD-CG', name: '街道城管科', assigned: 5, on_time: 3, returned: 1, supervised: 2, avg_rating: 2.5 }],
  hot_topics_pending: false,
  hot_topics: [
    { word: '路灯', cases: 5, prev_cases: 2, change: 3 },
    { word: '停车位', cases: 3, prev_cases: 0, change: 3 },
    { word: '垃圾', cases: 2, prev_cases: 4, change: -2 },
  ],
  overdue_cases: [
    {
      id: 'c1', number: 'HX01-K1-20261103-0001', category: '环境卫生', community: '幸福里社区', state: 'in_progress',
      turn: 'handle', rep_name: '张三', dept_code: 'JD-CG', dept_name: '街道城管科', since: '2026-11-03T03:00:00Z',
      deadline: '2026-11-10T10:00:00Z', supervised: 2,
      latest_note: { at: '2026-11-20T02:00:00Z', label: '督办', actor: '王主任（街道人大工委）', text: '请本周内答复' },
    },
    {
      id: 'c2', number: 'HX01-K1-20261128-0002', category: '交通出行', community: '幸福里社区', state: 'submitted',
      turn: 'accept', rep_name: '', dept_code: '', dept_name: '', since: '2026-11-28T01:00:00Z',
      deadline: '2026-11-30T10:00:00Z', supervised: 0, latest_note: null,
    },
  ],
}

describe('report figures', () => {
  it('print changes, rates and days the way the report reads', () => {
    expect([signed(3), signed(-2), signed(0)]).toEqual(['+3', '−2', '0'])
    expect([percent(10 / 11), percent(0), percent(Number.NaN)]).toEqual(['90.9%', '0.0%', '—'])
    expect(monthTitle('2026-01')).toBe('2026年1月')
    // 2026-11-10 18:00 to 2026-12-05 10:00 in the station: 24 whole days and some hours
    expect(daysOverdue('2026-11-10T10:00:00Z', '2026-12-05T02:00:00Z')).toBe(24)
    expect(daysOverdue('2026-12-05T01:00:00Z', '2026-12-05T02:00:00Z')).toBe(0)
    expect(topGroups(nov.by_category, 6).map((g) => g.code)).toEqual(['env', 'traffic'])
    expect(barWidths([7, 5, 0])).toEqual([100, 71, 0])
    expect(barWidths([])).toEqual([])
  })
})

describe('report page', () => {
  const page = consolePage(staffUser)
  let hub: ReturnType<typeof fakeHub>
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-05T02:00:00Z'))
    hub = fakeHub()
    hub.on('GET', '/api/v1/reports/monthly', (c) => json({ ...nov, month: c.url.searchParams.get('month') }))
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('opens on last month and shows every figure against the month before', async () => {
    const w = await page.open(RoutedPage, '/reports')
    expect(hub.callsTo('/api/v1/reports/monthly').map((c) => c.url.searchParams.get('month'))).toEqual(['2026-11'])
    expect(w.find('h1').text()).toContain('民情报告 · 2026年11月')
    expect(w.find('[data-testid="kpi-received"]').text()).toMatch(/受理事项\s*12\s*上月 9\s*\+3/)
    expect(w.find('[data-testid="kpi-overdue"]').text()).toMatch(/超期\s*2\s*上月 3\s*−1/)
    expect(w.find('[data-testid="kpi-satisfaction"]').text()).toMatch(/75\.0%\s*上月 100\.0%/)

    const cats = w.findAll('[data-testid="category-row"]').map((r) => r.findAll('td').map((d) => d.text()))
    expect(cats).toEqual([
      ['环境卫生', '7', '4', '+3', '4', '1'],
      ['交通出行', '5', '3', '+2', '2', '1'],
      ['其他', '0', '2', '−2', '0', '0'],
    ])
    const topics = w.findAll('[data-testid="topic-row"]').map((r) => r.findAll('td').map((d) => d.text()))
    expect(topics).toEqual([
      ['路灯', '5', '2', '+3'],
      ['停车位', '3', '0', '新增'],
      ['垃圾', '2', '4', '−2'],
    ])

    const overdue = w.findAll('[data-testid="overdue-row"]')
    expect(w.find('[data-testid="report-overdue"] h2').text()).toBe('逾期事项（2 件）及原因')
    const first = overdue[0]!.text()
    expect(first).toContain('承办单位办理')
    expect(first).toContain('街道城管科')
    expect(first).toContain('2026-11-03') // since
    expect(first).toContain('已超 24 天')
    expect(first).toContain('督办 · 王主任（街道人大工委）')
    expect(first).toContain('请本周内答复')
    expect(overdue[1]!.text()).toContain('待受理（代表领办）')
    expect(overdue[1]!.text()).toContain('暂无记录')

    // the printable and wall versions open the bare print page of the month shown
    expect(w.find('[data-testid="report-printable"]').attributes('href')).toBe('/reports/print?month=2026-11')
    expect(w.find('[data-testid="report-wall-link"]').attributes('href')).toBe('/reports/print?month=2026-11&wall=1')
  })

  it('loads the month picked and prints with the browser', async () => {
    const print = vi.fn()
    vi.stubGlobal('print', print)
    const w = await page.open(RoutedPage, '/reports')
    await w.find('[data-testid="report-month"]').setValue('2026-09') // sets the value and sends change
    await flushPromises()
    expect(hub.callsTo('/api/v1/reports/monthly').map((c) => c.url.searchParams.get('month'))).toEqual(['2026-11', '2026-09'])
    expect(w.find('h1').text()).toContain('2026年9月')
    await w.find('[data-testid="report-print"]').trigger('click')
    expect(print).toHaveBeenCalledOnce()
  })

  it('shows the wall sheet without case numbers, names or notes', async () => {
    const w = await page.open(RoutedPage, '/reports/print?month=2026-11&wall=1')
    const sheet = w.find('[data-testid="report-wall"]')
    expect(sheet.exists()).toBe(true)
    expect(w.find('[data-testid="report-document"]').exists()).toBe(false)
    expect(sheet.find('h1').text()).toBe('2026年11月民情报告')
    expect(sheet.find('[data-testid="wall-received"]').text()).toMatch(/12\s*较上月 \+3 件/)
    expect(sheet.findAll('[data-testid="wall-topic"]').map((t) => t.text().replace(/\s+/g, ''))).toEqual(['路灯5件+3', '停车位3件新增', '垃圾2件−2'])
    const text = sheet.text()
    for (const hidden of ['HX01-K1', '张三', '王主任', '请本周内答复', '其他']) expect(text).not.toContain(hidden)
  })

  it('asks again while the hub is still loading its word dictionary', async () => {
    vi.useRealTimers()
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] })
    vi.setSystemTime(new Date('2026-12-05T02:00:00Z'))
    let n = 0
    hub.on('GET', '/api/v1/reports/monthly', () =>
      json(n++ === 0 ? { ...nov, hot_topics: [], hot_topics_pending: true } : nov),
    )
    const w = await page.open(RoutedPage, '/reports/print?month=2026-11&wall=1')
    expect(w.text()).toContain('热词词典正在加载')
    expect(w.find('[data-testid="report-print-page"]').attributes('data-ready')).toBe('no')
    expect(w.findAll('[data-testid="wall-topic"]')).toHaveLength(0)
    vi.advanceTimersByTime(PENDING_RETRY_MS)
    await flushPromises()
    expect(hub.callsTo('/api/v1/reports/monthly')).toHaveLength(2)
    expect(w.findAll('[data-testid="wall-topic"]')).toHaveLength(3)
    expect(w.find('[data-testid="report-print-page"]').attributes('data-ready')).toBe('yes')
  })

  it('reports on an area picked or opened beneath, and prints that area', async () => {
    const nodes = [
      { code: 'SFQ', name: '示范区', level: 'district' },
      { code: 'HX', name: '和谐街道', level: 'street', parent: 'SFQ' },
      { code: 'HP', name: '和平街道', level: 'street', parent: 'SFQ' },
    ]
    hub.on('GET', '/api/v1/ref', () => json({ nodes, stations: [], departments: [], categories: [], representatives: [] }))
    const areas = {
      '': { node: 'SFQ', area: '示范区', by_area: [
        { code: 'HX', name: '和谐街道', received: 8, closed: 4, overdue: 1, prev_received: 5, change: 3 },
        { code: 'HP', name: '和平街道', received: 4, closed: 2, overdue: 1, prev_received: 4, change: 0 },
      ] },
      HP: { node: 'HP', area: '和平街道', by_area: [
        { code: 'HP01', name: '和平街道联络站', received: 4, closed: 2, overdue: 1, prev_received: 4, change: 0 },
      ] },
    } as Record<string, Partial<Monthly>>
    hub.on('GET', '/api/v1/reports/monthly', (c) => json({ ...nov, ...areas[c.url.searchParams.get('node') ?? ''] }))
    const w = await page.open(RoutedPage, '/reports')
    await vi.waitFor(() => expect(w.find('[data-testid="report-area"]').exists()).toBe(true))
    expect(w.find('h1').text()).toContain('民情报告 · 示范区 · 2026年11月')
    const rows = w.findAll('[data-testid="area-row"]').map((r) => r.findAll('td').map((d) => d.text()))
    expect(rows).toEqual([
      ['和谐街道', '8', '5', '+3', '4', '1'],
      ['和平街道', '4', '4', '0', '2', '1'],
    ])

    // open 和平街道 from its row: its own report, whose one station is not opened further
    await w.get('[data-testid="area-drill-HP"]').trigger('click')
    await flushPromises()
    expect(hub.callsTo('/api/v1/reports/monthly').map((c) => c.url.searchParams.get('node'))).toEqual([null, 'HP'])
    expect(w.find('h1').text()).toContain('民情报告 · 和平街道 · 2026年11月')
    expect((w.get('[data-testid="report-area"]').element as HTMLSelectElement).value).toBe('HP')
    expect(w.find('[data-testid="report-by-area"]').exists()).toBe(false) // one station: nothing to break down
    expect(w.find('[data-testid="report-printable"]').attributes('href')).toBe('/reports/print?month=2026-11&node=HP')

    // back to the account's own area with the picker
    await w.get('[data-testid="report-area"]').setValue('')
    await flushPromises()
    expect(hub.callsTo('/api/v1/reports/monthly').map((c) => c.url.searchParams.get('node'))).toEqual([null, 'HP', null])
    expect(w.find('h1').text()).toContain('示范区')
  })

  it('titles the wall sheet of an area with its name', async () => {
    hub.on('GET', '/api/v1/reports/monthly', (c) =>
      json({ ...nov, node: c.url.searchParams.get('node'), area: c.url.searchParams.get('node') === 'HP' ? '和平街道' : '' }),
    )
    const w = await page.open(RoutedPage, '/reports/print?month=2026-11&node=HP&wall=1')
    expect(hub.callsTo('/api/v1/reports/monthly').map((c) => c.url.searchParams.get('node'))).toEqual(['HP'])
    expect(w.get('[data-testid="report-wall"] h1').text()).toBe('和平街道2026年11月民情报告')
  })

  it('shows the whole report on the print page', async () => {
    const w = await page.open(RoutedPage, '/reports/print?month=2026-10')
    expect(hub.callsTo('/api/v1/reports/monthly').map((c) => c.url.searchParams.get('month'))).toEqual(['2026-10'])
    expect(w.find('[data-testid="report-document"]').exists()).toBe(true)
    expect(w.find('[data-testid="report-wall"]').exists()).toBe(false)
    expect(w.find('[data-testid="report-print-page"]').attributes('data-ready')).toBe('yes')
  })
})
