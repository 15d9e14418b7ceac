import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createAppI18n } from '@/i18n'
import type { Board, DeviceStatus } from '@/bindings/models'
import { sampleBoard, sampleRanking, sampleStatus } from './wallFixtures'

const mocks = vi.hoisted(() => ({
  board: vi.fn<() => Promise<Board>>(),
  status: vi.fn<() => Promise<DeviceStatus>>(),
  rendered: vi.fn<(view: string) => Promise<void>>(),
  reportError: vi.fn<(view: string, msg: string) => Promise<void>>(),
  boardChanged: [] as (() => void)[],
  statusChanged: [] as ((s: DeviceStatus) => void)[],
}))

vi.mock('@/bindings/wall', () => ({ GetBoard: () => mocks.board() }))
vi.mock('@/bindings/system', () => ({
  Status: () => mocks.status(),
  ReportRendered: (v: string) => mocks.rendered(v),
  ReportError: (v: string, m: string) => mocks.reportError(v, m),
  Info: vi.fn(),
}))
vi.mock('@/events', () => ({
  onBoardChanged: (cb: () => void) => {
    mocks.boardChanged.push(cb)
    return () => (mocks.boardChanged = mocks.boardChanged.filter((c) => c !== cb))
  },
  onStatusChanged: (cb: (s: DeviceStatus) => void) => {
    mocks.statusChanged.push(cb)
    return () => (mocks.statusChanged = mocks.statusChanged.filter((c) => c !== cb))
  },
}))

// Imported after the mocks so the store's default dependencies are the mocked bindings.
const { default: WallView } = await import('../WallView.vue')

/** Waits for a DOM condition, letting animation frames and promises run meanwhile. */
async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => requestAnimationFrame(() => r(undefined)))
    await flushPromises()
  }
}

function mountWall(pinned = true) {
  return mount(WallView, {
    props: pinned ? { now: () => new Date('2025-03-07T09:30:15+08:00') } : {},
    // jsdom has no canvas to measure text or layout sizes for ECharts; the chart wrapper has
    // its own test (wallChart.spec.ts), here it is a stub.
    global: { plugins: [createPinia(), createAppI18n('zh-CN')], stubs: { EChart: true } },
    attachTo: document.body,
  })
}

describe('WallView', () => {
  beforeEach(() => {
    mocks.board.mockReset()
    mocks.status.mockReset()
    mocks.rendered.mockReset().mockResolvedValue(undefined)
    mocks.reportError.mockReset().mockResolvedValue(undefined)
    mocks.boardChanged = []
    mocks.statusChanged = []
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it("puts a published ranking in the trend chart's place, hidden until its turn", async () => {
    mocks.board.mockResolvedValue(sampleBoard({ ranking: sampleRanking() }))
    mocks.status.mockResolvedValue(sampleStatus('connected'))
    const w = mountWall()
    await until(() => mocks.rendered.mock.calls.length > 0, 'ReportRendered')
    const panel = w.get('[data-panel="ranking"]')
    expect(panel.text()).toContain('承办单位评议排名 · 2025年2月')
    expect(panel.text()).toContain('街道城管科')
    expect(panel.classes()).toContain('turns__item--hidden')
    expect(w.get('[data-panel="trend"]').classes()).not.toContain('turns__item--hidden')
  })

  it('has no ranking panel while none is published', async () => {
    mocks.board.mockResolvedValue(sampleBoard())
    mocks.status.mockResolvedValue(sampleStatus('connected'))
    const w = mountWall()
    await until(() => mocks.rendered.mock.calls.length > 0, 'ReportRendered')
    expect(w.find('[data-panel="ranking"]').exists()).toBe(false)
    expect(w.find('[data-panel="trend"]').exists()).toBe(true)
  })

  it('shows the figures Board() returns and reports rendered once', async () => {
    mocks.board.mockResolvedValue(sampleBoard())
    mocks.status.mockResolvedValue(sampleStatus('connected'))
    const w = mountWall()
    await until(() => mocks.rendered.mock.calls.length > 0, 'ReportRendered')
    const text = w.text()
    expect(text).toContain('测试街道人大代表联络站')
    expect(w.find('[data-total="year"] [aria-label]').attributes('aria-label')).toBe('1234')
    expect(w.find('[data-total="today"] [aria-label]').attributes('aria-label')).toBe('6')
    expect(w.find('[data-total="overdue"]').classes()).toContain('totals__item--alarm')
    expect(w.find('[data-rate="response"]').text()).toContain('87.7%')
    expect(w.find('[data-rate="completion"]').text()).toContain('50.0%')
    expect(w.find('[data-rate="satisfaction"]').text()).toContain('—')
    expect(w.find('[data-rate="response"]').text()).toContain('按时受理数 ÷ 提交数')
    expect(text).toContain('楼道堆放杂物')
    expect(text).toContain('张*')
    expect(text).toContain('测试代表甲')
    expect(text).toContain('已到岗')
    expect(text).toContain('代表接待日')
    expect(text).toContain('到场 8/20')
    expect(text).toContain('老旧小区加装电梯')
    expect(text).toContain('60%')
    expect(text).toContain('停车')
    expect(text).toContain('09:30:15')
    expect(w.find('[data-test="offline-banner"]').exists()).toBe(false)
    expect(mocks.rendered.mock.calls).toEqual([['wall']])
    expect(w.findAll('.wall-panel--failed')).toHaveLength(0)
    expect(mocks.reportError).not.toHaveBeenCalled()
    w.unmount()
  })

  it('shows the offline banner with the last known data', async () => {
    mocks.board.mockResolvedValue(sampleBoard({ offlineSince: '2025-03-07T01:05:00Z' }))
    mocks.status.mockResolvedValue(sampleStatus('offline', '2025-03-07T01:05:00Z'))
    const w = mountWall()
    await until(() => w.find('[data-test="offline-banner"]').exists(), 'banner')
    // shown in the station's zone (Asia/Shanghai until Info names another), not the machine's
    expect(w.find('[data-test="offline-banner"]').text()).toBe('数据截至 08:00 · 离线')
    expect(w.find('[data-total="year"] [aria-label]').attributes('aria-label')).toBe('1234')
    w.unmount()
  })

  it('shows the read-only banner while the store refuses writes, and drops it when it writes again', async () => {
    mocks.board.mockResolvedValue(sampleBoard())
    mocks.status.mockResolvedValue({ ...sampleStatus('connected'), store: { ok: true, path: '', error: '', readOnly: 'disk_full' } })
    const w = mountWall()
    await until(() => w.find('[data-testid="read-only-banner"]').exists(), 'read-only banner')
    const banner = w.find('[data-testid="read-only-banner"]').text()
    expect(banner).toContain('本机暂时无法保存，请联系工作人员')
    expect(banner).toContain('存储空间已满')
    // the board is still shown from what the store can read
    expect(w.find('[data-total="year"] [aria-label]').attributes('aria-label')).toBe('1234')
    for (const cb of mocks.statusChanged) cb(sampleStatus('connected'))
    await until(() => !w.find('[data-testid="read-only-banner"]').exists(), 'banner gone')
    w.unmount()
  })

  it('refetches after board:changed and shows the new figures', async () => {
    let year = 1234
    mocks.board.mockImplementation(async () => sampleBoard({ totals: { year, month: 87, today: 6, open: 42, overdue: 0 } }))
    mocks.status.mockResolvedValue(sampleStatus('connected'))
    // The real clock this time: the default time source must work too.
    const w = mountWall(false)
    await until(() => w.find('[data-total="year"]').exists(), 'first board')
    expect(w.find('[data-test="clock"]').text()).toMatch(/^\d\d:\d\d:\d\d$/)
    expect(w.find('[data-test="clock"]').text()).not.toBe('09:30:15')
    year = 1235
    for (const cb of mocks.boardChanged) cb()
    await until(() => w.find('[data-total="year"] [aria-label]').attributes('aria-label') === '1235', 'new total')
    expect(mocks.board).toHaveBeenCalledTimes(2)
    expect(mocks.rendered.mock.calls).toEqual([['wall']]) // once, not per refetch
    expect(w.find('[data-total="overdue"]').classes()).not.toContain('totals__item--alarm')
    expect(w.findAll('.wall-panel--failed')).toHaveLength(0)
    expect(mocks.reportError).not.toHaveBeenCalled()
    w.unmount()
    expect(mocks.boardChanged).toHaveLength(0)
  })
})
