// The wall's data: the last known Board() and the sync status. Board changes arrive as a
// stream of `board:changed` events (one per local write and per applied page of hub events,
// bursts after a reconnect); the Go side sends them at once and paces nothing, so this store
// is the one place that folds them into at most about one refetch per second: the wall
// repaints calmly and the Go side is not asked for the same figures over and over.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { GetBoard } from '@/bindings/wall'
import { ReportError, ReportRendered, Status } from '@/bindings/system'
import { toAppError, type AppError } from '@/bindings/errors'
import { syncState as readSyncState, type Board, type DeviceStatus } from '@/bindings/models'
import { onBoardChanged, onStatusChanged, type Off } from '@/events'

/** Trailing quiet time before a lone change is fetched. */
export const BOARD_DEBOUNCE_MS = 250
/** Longest a change waits while changes keep coming. */
export const BOARD_MAX_WAIT_MS = 1000
/** Least time between the starts of two fetches. */
export const BOARD_MIN_INTERVAL_MS = 1000
/** The ticker is bounded whatever Go sends: the wall runs for weeks. */
export const MAX_TICKER_ITEMS = 40
/** Other lists are bounded too, by what fits on the canvas. */
export const MAX_LIST_ITEMS = 60

export interface BatcherOptions {
  /** Trailing debounce: fire this long after the last trigger… */
  wait: number
  /** …but no later than this long after the first trigger of a batch. */
  maxWait: number
  /** …and never sooner than this long after the previous run started. */
  minInterval: number
  run: () => Promise<void> | void
  onError?: (err: unknown) => void
  now?: () => number
}

export interface Batcher {
  trigger(): void
  /** Runs now (still one at a time); resolves when that run is done. */
  flush(): Promise<void>
  dispose(): void
  readonly pending: boolean
  readonly running: boolean
}

/**
 * A trailing debounce with max-wait and a minimum interval, which never runs two at once:
 * a trigger during a run marks the batch dirty and schedules one more run after it.
 */
export function createBatcher(opts: BatcherOptions): Batcher {
  const now = opts.now ?? (() => Date.now())
  let timer: ReturnType<typeof setTimeout> | null = null
  let firstAt: number | null = null
  let lastRunAt: number | null = null
  let inFlight: Promise<void> | null = null
  let dirty = false
  let disposed = false

  const clear = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  const execute = async (): Promise<void> => {
    clear()
    firstAt = null
    lastRunAt = now()
    try {
      await opts.run()
    } catch (err) {
      opts.onError?.(err)
    }
  }

  const start = (): Promise<void> => {
    const p = execute().finally(() => {
      inFlight = null
      if (dirty && !disposed) {
        dirty = false
        trigger()
      }
    })
    inFlight = p
    return p
  }

  const trigger = (): void => {
    if (disposed) return
    if (inFlight) {
      dirty = true
      return
    }
    const t = now()
    if (firstAt === null) firstAt = t
    let due = Math.min(t + opts.wait, firstAt + opts.maxWait)
    if (lastRunAt !== null) due = Math.max(due, lastRunAt + opts.minInterval)
    clear()
    timer = setTimeout(() => {
      timer = null
      void start()
    }, Math.max(0, due - t))
  }

  return {
    trigger,
    async flush() {
      if (disposed) return
      if (inFlight) {
        dirty = true
        await inFlight
        return
      }
      await start()
    },
    dispose() {
      disposed = true
      clear()
    },
    get pending() {
      return timer !== null
    },
    get running() {
      return inFlight !== null
    },
  }
}

const list = <T>(v: T[] | null | undefined, max: number): T[] => (Array.isArray(v) ? v.slice(0, max) : [])
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
const rate = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/**
 * A board safe to render: Go encodes an empty slice as null and an older Go side may lack a
 * field, so every list becomes a bounded array and every figure a finite number (rates stay
 * null when they have no denominator).
 */
export function normalizeBoard(raw: Partial<Board> | null | undefined): Board {
  const b = raw ?? {}
  const t = b.totals
  const r = b.rates
  const d = b.rateDefs
  const f = b.funnel
  return {
    generatedAt: str(b.generatedAt),
    stationName: str(b.stationName),
    offlineSince: typeof b.offlineSince === 'string' && b.offlineSince !== '' ? b.offlineSince : null,
    totals: { year: num(t?.year), month: num(t?.month), today: num(t?.today), open: num(t?.open), overdue: num(t?.overdue) },
    rates: { response: rate(r?.response), completion: rate(r?.completion), satisfaction: rate(r?.satisfaction) },
    rateDefs: { response: str(d?.response), completion: str(d?.completion), satisfaction: str(d?.satisfaction) },
    funnel: {
      submitted: num(f?.submitted),
      accepted: num(f?.accepted),
      assigned: num(f?.assigned),
      replied: num(f?.replied),
      closed: num(f?.closed),
    },
    categories: list(b.categories, MAX_LIST_ITEMS),
    trend: list(b.trend, MAX_LIST_ITEMS),
    ticker: list(b.ticker, MAX_TICKER_ITEMS),
    onDuty: list(b.onDuty, MAX_LIST_ITEMS),
    activities: list(b.activities, MAX_LIST_ITEMS),
    projects: list(b.projects, MAX_LIST_ITEMS).map((p) => ({ ...p, milestones: list(p.milestones, 12) })),
    hotWords: list(b.hotWords, MAX_LIST_ITEMS),
    ranking:
      b.ranking && typeof b.ranking === 'object'
        ? { title: str(b.ranking.title), period: str(b.ranking.period), rows: list(b.ranking.rows, MAX_LIST_ITEMS) }
        : null,
  }
}

/** What the store needs from the outside world; tests pass fakes. */
export interface BoardDeps {
  fetchBoard(): Promise<Board>
  fetchStatus(): Promise<DeviceStatus>
  onBoardChanged(cb: () => void): Off
  onStatusChanged(cb: (s: DeviceStatus) => void): Off
  reportRendered(view: string): Promise<void>
  reportError(view: string, message: string): Promise<void>
}

export const defaultBoardDeps: BoardDeps = {
  fetchBoard: GetBoard,
  fetchStatus: Status,
  onBoardChanged,
  onStatusChanged,
  reportRendered: ReportRendered,
  reportError: ReportError,
}

export const WALL_VIEW = 'wall'

export const useBoardStore = defineStore('board', () => {
  const board = shallowRef<Board | null>(null)
  const status = shallowRef<DeviceStatus | null>(null)
  const error = shallowRef<AppError | null>(null)
  /** Increments on every applied board; panels repaint on it. */
  const revision = ref(0)
  const fetches = ref(0)
  const rendered = ref(false)

  let deps: BoardDeps = defaultBoardDeps
  let offs: Off[] = []
  let batcher: Batcher | null = null
  let lastSyncState: string | null = null

  const offline = computed(() => {
    const s = status.value?.sync
    if (board.value?.offlineSince) return true
    if (!s) return false
    // 'error' means the link is not delivering either; the kiosk's badge reads it the same way.
    return s.state === 'offline' || s.state === 'error' || (s.state !== 'connected' && s.offlineSince !== null)
  })

  /** The hub link's state, or null before the first status. */
  const syncState = computed(() => readSyncState(status.value?.sync.state))

  /**
   * The time the shown figures are current as of: the last successful sync, else the moment
   * the link went away, else when the station computed the board.
   */
  const asOf = computed<string | null>(() => {
    const s = status.value?.sync
    return s?.lastSyncAt ?? s?.offlineSince ?? board.value?.offlineSince ?? (board.value?.generatedAt || null)
  })

  async function load(): Promise<void> {
    fetches.value++
    try {
      const b = await deps.fetchBoard()
      board.value = normalizeBoard(b)
      error.value = null
      revision.value++
    } catch (err) {
      // Keep the last known board on screen; the banner and the log say what went wrong.
      error.value = toAppError(err)
      void deps.reportError(WALL_VIEW, `board: ${error.value.code}: ${error.value.message}`).catch(() => {})
    }
  }

  function applyStatus(s: DeviceStatus | null | undefined): void {
    if (!s || typeof s !== 'object' || !s.sync) return
    status.value = s
    // A change of link state changes the board's offlineSince too: fetch it soon.
    if (lastSyncState !== null && lastSyncState !== s.sync.state) batcher?.trigger()
    lastSyncState = s.sync.state
  }

  /** Subscribes to events and loads the first board. Calling it again restarts cleanly. */
  async function start(d: BoardDeps = defaultBoardDeps): Promise<void> {
    stop()
    deps = d
    const b = createBatcher({
      wait: BOARD_DEBOUNCE_MS,
      maxWait: BOARD_MAX_WAIT_MS,
      minInterval: BOARD_MIN_INTERVAL_MS,
      run: load,
    })
    batcher = b
    offs = [deps.onBoardChanged(() => b.trigger()), deps.onStatusChanged(applyStatus)]
    const st = deps.fetchStatus().then(applyStatus, () => {})
    await Promise.all([b.flush(), st])
  }

  /** Called periodically by the wall: a failed fetch is tried again even if no event comes. */
  function retryIfFailed(): void {
    if (error.value !== null || board.value === null) batcher?.trigger()
  }

  function stop(): void {
    for (const off of offs) off()
    offs = []
    batcher?.dispose()
    batcher = null
  }

  /** Once per store lifetime: the first real board has reached the screen. */
  function markRendered(): void {
    if (rendered.value || board.value === null) return
    rendered.value = true
    void deps.reportRendered(WALL_VIEW).catch(() => {})
  }

  /** A panel failed to render; the Go log gets the reason, the wall shows the panel's fallback. */
  function reportPanelError(panel: string, err: unknown): void {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    void deps.reportError(WALL_VIEW, `panel ${panel}: ${msg}`).catch(() => {})
  }

  return {
    board,
    status,
    error,
    revision,
    fetches,
    rendered,
    offline,
    syncState,
    asOf,
    start,
    stop,
    retryIfFailed,
    markRendered,
    reportPanelError,
  }
})
