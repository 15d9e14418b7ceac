import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useCountdown } from '@/composables/useCountdown'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('useCountdown', () => {
  it('counts down whole seconds and fires once at zero', () => {
    const done = vi.fn()
    const scope = effectScope()
    const c = scope.run(() => useCountdown(3, done))!
    c.start()
    expect(c.remaining.value).toBe(3)
    vi.advanceTimersByTime(1000)
    expect(c.remaining.value).toBe(2)
    expect(c.fraction.value).toBeCloseTo(2 / 3)
    vi.advanceTimersByTime(2000)
    expect(c.remaining.value).toBe(0)
    expect(c.running.value).toBe(false)
    vi.advanceTimersByTime(5000)
    expect(done).toHaveBeenCalledOnce()
    scope.stop()
  })

  it('stop() and the end of its scope cancel it', () => {
    const done = vi.fn()
    const scope = effectScope()
    const c = scope.run(() => useCountdown(2, done))!
    c.start()
    c.stop()
    vi.advanceTimersByTime(5000)
    c.start()
    scope.stop()
    vi.advanceTimersByTime(5000)
    expect(done).not.toHaveBeenCalled()
  })
})
