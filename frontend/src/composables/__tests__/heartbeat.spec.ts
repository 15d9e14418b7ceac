import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HEARTBEAT_MS, startHeartbeat } from '../useHeartbeat'

describe('startHeartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('beats at once and every few seconds until stopped, also after a failed call', async () => {
    const send = vi.fn<() => Promise<void>>()
    send.mockRejectedValueOnce(new Error('bridge not ready')).mockResolvedValue()
    const stop = startHeartbeat(send)
    expect(send).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS - 1)
    expect(send).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(send).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS * 10)
    expect(send).toHaveBeenCalledTimes(12)
    stop()
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS * 10)
    expect(send).toHaveBeenCalledTimes(12)
  })
})
