import { afterEach, describe, expect, it, vi } from 'vitest'
import { call } from '@/bindings/transport'
import { AppError } from '@/bindings/errors'

type Bridge = { go?: unknown }

afterEach(() => {
  delete (globalThis as Bridge).go
})

describe('call', () => {
  it('finds a method on whichever service binds it and passes arguments', async () => {
    const rate = vi.fn().mockResolvedValue({ ok: 1 })
    ;(globalThis as Bridge).go = { app: { System: { Info: vi.fn() }, Kiosk: { RateCase: rate } } }
    await expect(call('RateCase', 'c1', 'satisfied', '')).resolves.toEqual({ ok: 1 })
    expect(rate).toHaveBeenCalledWith('c1', 'satisfied', '')
  })

  it('turns a Go rejection into AppError', async () => {
    ;(globalThis as Bridge).go = {
      app: { Kiosk: { SubmitCase: () => Promise.reject('{"code":"invalid_input","message":"内容太短"}') } },
    }
    const err = await call('SubmitCase', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('invalid_input')
  })

  it('reports a missing bridge as internal', async () => {
    const err = await call('Info').catch((e: unknown) => e)
    expect((err as AppError).code).toBe('internal')
  })
})
