import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useDataRefresh } from '@/composables/useDataRefresh'

type Bridge = { runtime?: unknown }
let emit: (() => void) | null = null

afterEach(() => {
  delete (globalThis as Bridge).runtime
  emit = null
  vi.useRealTimers()
})

function fakeRuntime() {
  ;(globalThis as Bridge).runtime = {
    EventsOnMultiple: (name: string, cb: () => void) => {
      if (name === 'board:changed') emit = cb
      return () => (emit = null)
    },
  }
}

describe('useDataRefresh', () => {
  it('folds a burst of changes into one refetch and stops with its scope', () => {
    vi.useFakeTimers()
    fakeRuntime()
    const fn = vi.fn()
    const scope = effectScope()
    scope.run(() => useDataRefresh(fn, 1000))
    for (let i = 0; i < 5; i++) emit?.()
    vi.advanceTimersByTime(999)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fn).toHaveBeenCalledOnce()
    emit?.()
    scope.stop()
    vi.advanceTimersByTime(2000)
    expect(fn).toHaveBeenCalledOnce()
    expect(emit).toBeNull()
  })
})
