// The wall's one animation clock: a single requestAnimationFrame loop that drives every
// counter, ticker, scroller, the header clock and the burn-in shift. A screen that runs for
// weeks must not accumulate timers; with one loop there is one thing to start and stop, and
// the loop sleeps whenever nobody is subscribed.
import { getCurrentInstance, inject, onUnmounted, provide, type InjectionKey } from 'vue'

/** Called once per frame with the frame time (ms, monotonic) and the time since the last frame. */
export type FrameCallback = (now: number, dt: number) => void

export interface AnimationClock {
  /** Adds a per-frame callback; the returned function removes it (idempotent). */
  subscribe(cb: FrameCallback): () => void
  /** Like subscribe, but calls cb at most once per periodMs (on the first frame after it elapses). */
  every(periodMs: number, cb: FrameCallback): () => void
  /** Number of live subscriptions. */
  readonly size: number
  /** True while a frame is requested. */
  readonly running: boolean
  /** Time of the latest frame (or of the scheduler's clock before the first one). */
  now(): number
  /** Removes every subscription and cancels the pending frame. */
  stop(): void
}

export interface ClockScheduler {
  request(cb: (t: number) => void): number
  cancel(handle: number): void
  now(): number
}

/** onError receives exceptions thrown by subscribers; the loop itself keeps going. */
export interface ClockOptions {
  scheduler?: ClockScheduler
  onError?: (err: unknown) => void
  /** dt is capped so a hidden tab or a stalled frame does not make animations jump. */
  maxDtMs?: number
}

export const DEFAULT_MAX_DT_MS = 250

function browserScheduler(): ClockScheduler {
  return {
    request: (cb) => window.requestAnimationFrame(cb),
    cancel: (h) => window.cancelAnimationFrame(h),
    now: () => performance.now(),
  }
}

export function createAnimationClock(opts: ClockOptions = {}): AnimationClock {
  const sched = opts.scheduler ?? browserScheduler()
  const maxDt = opts.maxDtMs ?? DEFAULT_MAX_DT_MS
  // A Set keyed by a wrapper object, so the same function can be subscribed twice
  // and each off() removes exactly its own entry.
  const subs = new Set<{ cb: FrameCallback }>()
  let handle: number | null = null
  let last: number | null = null
  let lastNow = sched.now()

  const frame = (t: number): void => {
    handle = null
    const dt = last === null ? 0 : Math.min(Math.max(t - last, 0), maxDt)
    last = t
    lastNow = t
    // Copy first: a callback may unsubscribe itself or others during the frame.
    for (const s of [...subs]) {
      if (!subs.has(s)) continue
      try {
        s.cb(t, dt)
      } catch (err) {
        opts.onError?.(err)
      }
    }
    if (subs.size > 0 && handle === null) handle = sched.request(frame)
  }

  const ensureRunning = (): void => {
    if (handle === null && subs.size > 0) handle = sched.request(frame)
  }

  const halt = (): void => {
    if (handle !== null) sched.cancel(handle)
    handle = null
    last = null
  }

  const subscribe = (cb: FrameCallback): (() => void) => {
    const entry = { cb }
    subs.add(entry)
    ensureRunning()
    return () => {
      if (!subs.delete(entry)) return
      if (subs.size === 0) halt()
    }
  }

  const every = (periodMs: number, cb: FrameCallback): (() => void) => {
    let acc = 0
    return subscribe((now, dt) => {
      acc += dt
      if (acc < periodMs) return
      acc = periodMs > 0 ? acc % periodMs : 0
      cb(now, dt)
    })
  }

  return {
    subscribe,
    every,
    get size() {
      return subs.size
    },
    get running() {
      return handle !== null
    },
    now: () => lastNow,
    stop() {
      subs.clear()
      halt()
    },
  }
}

export const animationClockKey: InjectionKey<AnimationClock> = Symbol('animationClock')

/**
 * In the root of a screen: creates the clock, provides it to descendants and stops it when
 * the root unmounts. Elsewhere: returns the clock provided by an ancestor.
 */
export function provideAnimationClock(opts: ClockOptions = {}): AnimationClock {
  const clock = createAnimationClock(opts)
  provide(animationClockKey, clock)
  onUnmounted(() => clock.stop())
  return clock
}

export function useAnimationClock(): AnimationClock {
  const clock = inject(animationClockKey, null)
  if (clock === null) {
    throw new Error('useAnimationClock: no clock provided by an ancestor (call provideAnimationClock in the screen root)')
  }
  return clock
}

/** Subscribes for the lifetime of the calling component. */
export function useFrame(cb: FrameCallback): () => void {
  const off = useAnimationClock().subscribe(cb)
  if (getCurrentInstance()) onUnmounted(off)
  return off
}

/** Periodic callback for the lifetime of the calling component. */
export function useEvery(periodMs: number, cb: FrameCallback): () => void {
  const off = useAnimationClock().every(periodMs, cb)
  if (getCurrentInstance()) onUnmounted(off)
  return off
}
