import { describe, expect, it } from 'vitest'
import { AppError, toAppError } from '@/bindings/errors'

describe('toAppError', () => {
  const cases: { name: string; raw: unknown; code: string; message: string }[] = [
    { name: 'json string from Go', raw: '{"code":"no_session","message":"没有会话"}', code: 'no_session', message: '没有会话' },
    { name: 'json with spaces', raw: '  {"code":"locked","message":"已锁定"} ', code: 'locked', message: '已锁定' },
    { name: 'unknown code becomes internal', raw: '{"code":"brand_new","message":"x"}', code: 'internal', message: 'x' },
    { name: 'plain string', raw: 'dial tcp: refused', code: 'internal', message: 'dial tcp: refused' },
    { name: 'broken json', raw: '{"code":', code: 'internal', message: '{"code":' },
    { name: 'json without code', raw: '{"message":"m"}', code: 'internal', message: '{"message":"m"}' },
    { name: 'object', raw: { code: 'not_found', message: '无' }, code: 'not_found', message: '无' },
    { name: 'Error', raw: new TypeError('boom'), code: 'internal', message: 'boom' },
    { name: 'undefined', raw: undefined, code: 'internal', message: 'undefined' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const e = toAppError(c.raw)
      expect(e).toBeInstanceOf(AppError)
      expect(e.code).toBe(c.code)
      expect(e.message).toBe(c.message)
    })
  }

  it('keeps the parameters of a known code', () => {
    const e = toAppError('{"code":"text_too_long","message":"text_too_long (max=1000)","params":{"max":"1000","bad":3}}')
    expect(e.code).toBe('text_too_long')
    expect(e.params).toEqual({ max: '1000' })
    expect(toAppError('{"code":"brand_new","params":{"x":"y"}}').params).toEqual({})
  })

  it('keeps an AppError as it is', () => {
    const e = new AppError('store_failed', 'disk full')
    expect(toAppError(e)).toBe(e)
  })
})
