import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useIdleReset } from '@/composables/useIdleReset'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function setup(idleSeconds = 60, enabled = true) {
  const target = new EventTarget()
  const onExpire = vi.fn()
  const report = vi.fn()
  const on = ref(enabled)
  const scope = effectScope()
  const idle = scope.run(() =>
    useIdleReset({ idleSeconds, warnSeconds: 10, enabled: on, onExpire, report, reportEveryMs: 5000, target }),
  )!
  return { target, onExpire, report, on, scope, idle }
}

describe('useIdleReset', () => {
  it('warns after the idle time and expires after the countdown', () => {
    const { idle, onExpire, scope } = setup()
    vi.advanceTimersByTime(59_999)
    expect(idle.warning.value).toBe(false)
    vi.advanceTimersByTime(1)
    expect(idle.warning.value).toBe(true)
    expect(idle.remaining.value).toBe(10)
    vi.advanceTimersByTime(9_000)
    expect(idle.remaining.value).toBe(1)
    expect(onExpire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1_000)
    expect(onExpire).toHaveBeenCalledOnce()
    expect(idle.warning.value).toBe(false)
    scope.stop()
  })

  it('a touch restarts the idle period', () => {
    const { idle, target, onExpire, scope } = setup()
    vi.advanceTimersByTime(50_000)
    target.dispatchEvent(new Event('pointerdown'))
    vi.advanceTimersByTime(50_000)
    expect(idle.warning.value).toBe(false)
    vi.advanceTimersByTime(10_000)
    expect(idle.warning.value).toBe(true)
    target.dispatchEvent(new Event('touchstart'))
    expect(idle.warning.value).toBe(false)
    vi.advanceTimersByTime(65_000)
    expect(onExpire).not.toHaveBeenCalled()
    scope.stop()
  })

  it('stay() dismisses the warning', () => {
    const { idle, onExpire, scope } = setup(5)
    vi.advanceTimersByTime(5_000)
    expect(idle.warning.value).toBe(true)
    idle.stay()
    expect(idle.warning.value).toBe(false)
    vi.advanceTimersByTime(14_000)
    expect(onExpire).not.toHaveBeenCalled()
    scope.stop()
  })

  it('does nothing while no one is using the kiosk', async () => {
    const { idle, on, onExpire, scope } = setup(5, false)
    vi.advanceTimersByTime(60_000)
    expect(idle.warning.value).toBe(false)
    on.value = true
    await nextTick()
    vi.advanceTimersByTime(15_000)
    expect(onExpire).toHaveBeenCalledOnce()
    scope.stop()
  })

  it('stops counting when its scope ends', () => {
    const { onExpire, scope } = setup(5)
    scope.stop()
    vi.advanceTimersByTime(60_000)
    expect(onExpire).not.toHaveBeenCalled()
  })

  it('reports activity to Go at most every 5 s, the last touch of a burst included', () => {
    const { target, report, scope } = setup()
    target.dispatchEvent(new Event('pointerdown'))
    expect(report).toHaveBeenCalledTimes(1)
    // a key every 500 ms for 12 s: reports at 5 s and 10 s, then the trailing one at 15 s
    for (let i = 0; i < 24; i++) {
      vi.advanceTimersByTime(500)
      target.dispatchEvent(new Event('keydown'))
    }
    expect(report).toHaveBeenCalledTimes(3)
    vi.advanceTimersByTime(5_000)
    expect(report).toHaveBeenCalledTimes(4)
    vi.advanceTimersByTime(60_000)
    expect(report).toHaveBeenCalledTimes(4)
    scope.stop()
  })

  it('stay() reports at once and heard() restarts the countdown without reporting', () => {
    const { idle, report, onExpire, scope } = setup(30)
    vi.advanceTimersByTime(30_000)
    expect(idle.warning.value).toBe(true)
    idle.stay()
    expect(report).toHaveBeenCalledTimes(1)
    // another window reports the person's touches: this one never warns meanwhile
    for (let i = 0; i < 18; i++) {
      vi.advanceTimersByTime(10_000)
      idle.heard()
    }
    expect(idle.warning.value).toBe(false)
    expect(onExpire).not.toHaveBeenCalled()
    expect(report).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(40_000)
    expect(onExpire).toHaveBeenCalledOnce()
    scope.stop()
  })

  it('does not report while no session is open', () => {
    const { target, report, scope } = setup(60, false)
    target.dispatchEvent(new Event('pointerdown'))
    vi.advanceTimersByTime(10_000)
    expect(report).not.toHaveBeenCalled()
    scope.stop()
  })
})
