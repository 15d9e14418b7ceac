import { onScopeDispose, ref, watch, type Ref } from 'vue'

export interface IdleOptions {
  /** Seconds without a touch before the warning shows. */
  idleSeconds: Ref<number> | number
  /** Seconds the warning stays before onExpire. */
  warnSeconds: number
  /** Only counts while this is true (a resident is using the kiosk). */
  enabled: Ref<boolean>
  onExpire: () => void
  target?: EventTarget
}

const activityEvents = ['pointerdown', 'touchstart', 'keydown', 'wheel'] as const

/**
 * useIdleReset watches for touches. After idleSeconds of quiet it raises
 * `warning` and starts counting `remaining` down; any touch or stay() puts it
 * back to quiet; at zero it calls onExpire.
 */
export function useIdleReset(opts: IdleOptions) {
  const warning = ref(false)
  const remaining = ref(opts.warnSeconds)
  const target = opts.target ?? globalThis.document
  let idleTimer: ReturnType<typeof setTimeout> | null = null
  let tick: ReturnType<typeof setInterval> | null = null

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

  function expire() {
    clear()
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
  const onActivity = () => {
    if (opts.enabled.value) arm()
  }

  for (const e of activityEvents) target?.addEventListener(e, onActivity, { passive: true })
  const stopWatch = watch(opts.enabled, arm, { immediate: true })

  onScopeDispose(() => {
    stopWatch()
    clear()
    for (const e of activityEvents) target?.removeEventListener(e, onActivity)
  })

  return { warning, remaining, stay: arm }
}
