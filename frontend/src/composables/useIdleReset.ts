import { onScopeDispose, ref, watch, type Ref } from 'vue'

export interface IdleOptions {
  /** Seconds without a touch before the warning shows. */
  idleSeconds: Ref<number> | number
  /** Seconds the warning stays before onExpire. */
  warnSeconds: number
  /** Only counts while this is true (a resident is using the kiosk). */
  enabled: Ref<boolean>
  onExpire: () => void
  /**
   * Tells Go the person is still here, so its backstop timer and the other windows showing
   * the kiosk start over too. Called on the first touch and then at most every reportEveryMs
   * (the last touch of a burst is always reported), and at once by stay().
   */
  report?: () => void
  reportEveryMs?: number
  target?: EventTarget
}

const activityEvents = ['pointerdown', 'touchstart', 'keydown', 'wheel'] as const

/**
 * useIdleReset watches for touches. After idleSeconds of quiet it raises
 * `warning` and starts counting `remaining` down; any touch or stay() puts it
 * back to quiet; at zero it calls onExpire. activity() counts as a touch (a
 * change of screen); heard() restarts the quiet period without reporting (the
 * person was active in another window).
 */
export function useIdleReset(opts: IdleOptions) {
  const warning = ref(false)
  const remaining = ref(opts.warnSeconds)
  const target = opts.target ?? globalThis.document
  const every = opts.reportEveryMs ?? 5000
  let idleTimer: ReturnType<typeof setTimeout> | null = null
  let tick: ReturnType<typeof setInterval> | null = null
  let pending: ReturnType<typeof setTimeout> | null = null
  let lastReport = -Infinity

  const idleMs = () => {
    const v = typeof opts.idleSeconds === 'number' ? opts.idleSeconds : opts.idleSeconds.value
    return Math.max(1, v) * 1000
  }

  function clear() {
    if (idleTimer !== null) clearTimeout(idleTimer)
    if (tick !== null) clearInterval(tick)
    idleTimer = null
    tick = null
  }

  function cancelReport() {
    if (pending !== null) clearTimeout(pending)
    pending = null
  }

  function sendReport() {
    cancelReport()
    lastReport = Date.now()
    if (opts.enabled.value) opts.report?.()
  }

  function reportSoon() {
    if (!opts.report) return
    const wait = lastReport + every - Date.now()
    if (wait <= 0) sendReport()
    else if (pending === null) pending = setTimeout(sendReport, wait)
  }

  function expire() {
    clear()
    cancelReport()
    warning.value = false
    opts.onExpire()
  }

  function warn() {
    warning.value = true
    remaining.value = opts.warnSeconds
    tick = setInterval(() => {
      remaining.value -= 1
      if (remaining.value <= 0) expire()
    }, 1000)
  }

  function arm() {
    clear()
    warning.value = false
    remaining.value = opts.warnSeconds
    if (opts.enabled.value) idleTimer = setTimeout(warn, idleMs())
  }

  // A touch while the warning is up counts as "still here" too.
  const activity = () => {
    if (!opts.enabled.value) return
    arm()
    reportSoon()
  }

  function heard() {
    if (opts.enabled.value) arm()
  }

  function stay() {
    arm()
    sendReport()
  }

  for (const e of activityEvents) target?.addEventListener(e, activity, { passive: true })
  const stopWatch = watch(
    opts.enabled,
    (on) => {
      if (!on) cancelReport()
      arm()
    },
    { immediate: true },
  )

  onScopeDispose(() => {
    stopWatch()
    clear()
    cancelReport()
    for (const e of activityEvents) target?.removeEventListener(e, activity)
  })

  return { warning, remaining, stay, activity, heard }
}
