// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import {
  BOARD_DEBOUNCE_MS,
  BOARD_MAX_WAIT_MS,
  MAX_TICKER_ITEMS,
  createBatcher,
  normalizeBoard,
  useBoardStore,
  type BoardDeps,
} from '../board'
import type { Board, DeviceStatus } from '@/bindings/models'
import { sampleBoard, sampleStatus as status } from '@/views/wall/__tests__/wallFixtures'

describe('createBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2025-03-07T09:00:00+08:00'))
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const make = (run: () => Promise<void> | void = () => {}) => {
    const calls: number[] = []
    const b = createBatcher({
      wait: 250,
      maxWait: 1000,
      minInterval: 1000,
      run: async () => {
        calls.push(Date.now())
        await run()
      },
    })
    return { b, calls }
  }

  it('runs a lone trigger once after the quiet time', async () => {
    const { b, calls } = make()
    b.trigger()
    await vi.advanceTimersByTimeAsync(249)
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls).toHaveLength(1)
  })

  it('folds a burst into one run', async () => {
    const { b, calls } = make()
    for (let i = 0; i < 500; i++) b.trigger()
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls).toHaveLength(1)
  })

  it('runs at the max wait while triggers keep coming', async () => {
    const { b, calls } = make()
    const t0 = Date.now()
    // A trigger every 100 ms keeps resetting the 250 ms debounce for 3.5 s.
    for (let i = 0; i < 35; i++) {
      b.trigger()
      await vi.advanceTimersByTimeAsync(100)
    }
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls.length).toBeGreaterThanOrEqual(3)
    expect(calls[0]! - t0).toBe(1000)
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(1000)
    }
  })

  it('keeps at most one run per second for sparse triggers', async () => {
    const { b, calls } = make()
    // Every 300 ms: a plain debounce would run after each one.
    for (let i = 0; i < 20; i++) {
      b.trigger()
      await vi.advanceTimersByTimeAsync(300)
    }
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls.length).toBeLessThanOrEqual(7)
    expect(calls.length).toBeGreaterThanOrEqual(5)
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(1000)
    }
  })

  it('never overlaps runs and runs once more after triggers during a run', async () => {
    let release: () => void = () => {}
    let active = 0
    let maxActive = 0
    const { b, calls } = make(async () => {
      active++
      maxActive = Math.max(maxActive, active)
      await new Promise<void>((r) => (release = r))
      active--
    })
    b.trigger()
    await vi.advanceTimersByTimeAsync(250)
    expect(calls).toHaveLength(1)
    b.trigger()
    b.trigger()
    await vi.advanceTimersByTimeAsync(3000)
    expect(calls).toHaveLength(1) // still waiting for the first run
    release()
    await vi.advanceTimersByTimeAsync(3000)
    expect(calls).toHaveLength(2)
    release()
    await vi.advanceTimersByTimeAsync(3000)
    expect(calls).toHaveLength(2)
    expect(maxActive).toBe(1)
  })

  it('reports a failing run and keeps working', async () => {
    const errors: unknown[] = []
    let fail = true
    const b = createBatcher({
      wait: 10,
      maxWait: 100,
      minInterval: 0,
      run: () => {
        if (fail) throw new Error('boom')
      },
      onError: (e) => errors.push(e),
    })
    b.trigger()
    await vi.advanceTimersByTimeAsync(10)
    expect(errors).toHaveLength(1)
    fail = false
    b.trigger()
    await vi.advanceTimersByTimeAsync(10)
    expect(errors).toHaveLength(1)
    expect(b.pending).toBe(false)
  })

  it('does nothing after dispose', async () => {
    const { b, calls } = make()
    b.trigger()
    b.dispose()
    b.trigger()
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls).toHaveLength(0)
  })
})

describe('normalizeBoard', () => {
  it('turns null lists and missing figures into empty, finite values', () => {
    const raw = { stationName: '测试站', categories: null, ticker: null, totals: { year: 5 } } as unknown as Partial<Board>
    const b = normalizeBoard(raw)
    expect(b.categories).toEqual([])
    expect(b.ticker).toEqual([])
    expect(b.totals).toEqual({ year: 5, month: 0, today: 0, open: 0, overdue: 0 })
    expect(b.rates).toEqual({ response: null, completion: null, satisfaction: null })
    expect(b.offlineSince).toBeNull()
  })

  it('bounds the ticker', () => {
    const one = sampleBoard().ticker[0]!
    const b = normalizeBoard(sampleBoard({ ticker: Array.from({ length: 500 }, () => one) }))
    expect(b.ticker).toHaveLength(MAX_TICKER_ITEMS)
  })

  it('keeps rates as given, including zero', () => {
    const b = normalizeBoard(sampleBoard({ rates: { response: 0, completion: 1, satisfaction: null } }))
    expect(b.rates).toEqual({ response: 0, completion: 1, satisfaction: null })
  })
})

function fakeDeps(boards: () => Board) {
  let boardCb: () => void = () => {}
  let statusCb: (s: DeviceStatus) => void = () => {}
  const deps: BoardDeps & { rendered: string[] } = {
    rendered: [],
    fetchBoard: vi.fn(async () => boards()),
    fetchStatus: vi.fn(async () => status('connected')),
    onBoardChanged: (cb) => {
      boardCb = cb
      return () => (boardCb = () => {})
    },
    onStatusChanged: (cb) => {
      statusCb = cb
      return () => (statusCb = () => {})
    },
    reportRendered: async (v) => {
      deps.rendered.push(v)
    },
    reportError: async () => {},
  }
  return { deps, fireBoard: () => boardCb(), fireStatus: (s: DeviceStatus) => statusCb(s) }
}

describe('useBoardStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('loads once on start and batches a burst of board:changed into one refetch', async () => {
    const { deps, fireBoard } = fakeDeps(() => sampleBoard())
    const store = useBoardStore()
    await store.start(deps)
    expect(store.board?.totals.year).toBe(1234)
    expect(deps.fetchBoard).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 200; i++) fireBoard()
    await vi.advanceTimersByTimeAsync(BOARD_MAX_WAIT_MS + BOARD_DEBOUNCE_MS)
    expect(deps.fetchBoard).toHaveBeenCalledTimes(2)
    store.stop()
    fireBoard()
    await vi.advanceTimersByTimeAsync(5000)
    expect(deps.fetchBoard).toHaveBeenCalledTimes(2)
  })

  it('shows offline from the status and from the board, with the time data is current as of', async () => {
    let board = sampleBoard()
    const { deps, fireStatus } = fakeDeps(() => board)
    const store = useBoardStore()
    await store.start(deps)
    expect(store.offline).toBe(false)
    fireStatus(status('offline', '2025-03-07T10:05:00+08:00'))
    expect(store.offline).toBe(true)
    expect(store.asOf).toBe('2025-03-07T08:00:00+08:00') // the last successful sync
    // The link state changed: the board is fetched again soon.
    board = sampleBoard({ offlineSince: '2025-03-07T10:05:00+08:00' })
    await vi.advanceTimersByTimeAsync(BOARD_MAX_WAIT_MS)
    expect(deps.fetchBoard).toHaveBeenCalledTimes(2)
    fireStatus(status('connected'))
    expect(store.offline).toBe(true) // the board still says so until it is refetched
    board = sampleBoard()
    await vi.advanceTimersByTimeAsync(BOARD_MAX_WAIT_MS)
    expect(store.offline).toBe(false)
  })

  it('keeps the last board when a refetch fails, and retries', async () => {
    let fail = false
    const { deps, fireBoard } = fakeDeps(() => {
      if (fail) throw '{"code":"store_failed","message":"数据库不可用"}'
      return sampleBoard()
    })
    const store = useBoardStore()
    await store.start(deps)
    fail = true
    fireBoard()
    await vi.advanceTimersByTimeAsync(BOARD_MAX_WAIT_MS)
    expect(store.error?.code).toBe('store_failed')
    expect(store.board?.totals.today).toBe(6)
    fail = false
    store.retryIfFailed()
    await vi.advanceTimersByTimeAsync(BOARD_MAX_WAIT_MS)
    expect(store.error).toBeNull()
  })

  it('reports rendered once, and only with a board', async () => {
    const { deps } = fakeDeps(() => sampleBoard())
    const store = useBoardStore()
    store.markRendered()
    expect(deps.rendered).toEqual([])
    await store.start(deps)
    store.markRendered()
    store.markRendered()
    await vi.advanceTimersByTimeAsync(0)
    expect(deps.rendered).toEqual(['wall'])
  })
})
