import { afterEach, describe, expect, it, vi } from 'vitest'
import { RateCase, SubmitCase, MyCases } from '@/bindings/kiosk'
import { Info } from '@/bindings/system'
import { AppError } from '@/bindings/errors'

// The wrappers call the bindings Wails generates (window.go.app.<Service>.<Method>).
type Bridge = { go?: unknown }

afterEach(() => {
  delete (globalThis as Bridge).go
})

describe('bindings', () => {
  it('call the method of their service with the arguments', async () => {
    const rate = vi.fn().mockResolvedValue({ ok: 1 })
    ;(globalThis as Bridge).go = { app: { Kiosk: { RateCase: rate } } }
    await expect(RateCase('c1', 'satisfied', '')).resolves.toEqual({ ok: 1 })
    expect(rate).toHaveBeenCalledWith('c1', 'satisfied', '')
  })

  it('turn a Go rejection into AppError', async () => {
    ;(globalThis as Bridge).go = {
      app: { Kiosk: { SubmitCase: () => Promise.reject('{"code":"invalid_input","message":"内容太短"}') } },
    }
    const input = { category: '', text: '', community: '', building: '', phone: '', anonymous: false }
    const err = await SubmitCase(input).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('invalid_input')
  })

  it('give an empty list for Go nil slice', async () => {
    ;(globalThis as Bridge).go = { app: { Kiosk: { MyCases: () => Promise.resolve(null) } } }
    await expect(MyCases()).resolves.toEqual([])
  })

  it('report a missing bridge as internal', async () => {
    const err = await Info().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('internal')
  })
})
