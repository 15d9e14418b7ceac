import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import * as rep from '@/bindings/rep'
import { AppError } from '@/bindings/errors'
import type { RepLoginQR } from '@/bindings/models'
import { createAppI18n } from '@/i18n'
import PhoneLoginQR from '../PhoneLoginQR.vue'

vi.mock('@/bindings/rep', () => ({ LoginQR: vi.fn() }))
const r = vi.mocked(rep)

const t0 = new Date('2026-11-23T02:00:00Z')

function qr(n: number, issued: Date): RepLoginQR {
  const expires = new Date(issued.getTime() + 120_000)
  return {
    url: `https://hub.test/m/login?t=ticket-${n}`,
    qrDataUrl: `data:image/png;base64,${n}`,
    expires: expires.toISOString(),
    refreshAt: new Date(expires.getTime() - 30_000).toISOString(),
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
  vi.useFakeTimers()
  vi.setSystemTime(t0)
})
afterEach(() => vi.useRealTimers())

function mountQR() {
  return mount(PhoneLoginQR, { global: { plugins: [createAppI18n('zh-CN')] } })
}

describe('PhoneLoginQR', () => {
  it('shows the signed ticket and replaces it before it expires, until it is closed', async () => {
    let n = 0
    r.LoginQR.mockImplementation(async () => qr(++n, new Date()))
    const w = mountQR()
    await flushPromises()
    expect(w.find('[data-testid="phone-login-qr"]').attributes('data-url')).toBe('https://hub.test/m/login?t=ticket-1')

    await vi.advanceTimersByTimeAsync(89_000)
    expect(r.LoginQR).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_000) // 90 s: 30 s before the first one expires
    expect(r.LoginQR).toHaveBeenCalledTimes(2)
    expect(w.find('[data-testid="phone-login-qr"]').attributes('data-url')).toBe('https://hub.test/m/login?t=ticket-2')

    w.unmount()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(r.LoginQR).toHaveBeenCalledTimes(2)
  })

  it('says why there is no code, and tries again', async () => {
    r.LoginQR.mockRejectedValueOnce(new AppError('rep_login_unpaired', 'unpaired'))
    r.LoginQR.mockImplementation(async () => qr(1, new Date()))
    const w = mountQR()
    await flushPromises()
    expect(w.find('[data-testid="phone-login-problem"]').text()).toContain('本机尚未接入服务中心')
    expect(w.find('[data-testid="phone-login-qr"]').exists()).toBe(false)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(w.find('[data-testid="phone-login-qr"]').exists()).toBe(true)
  })
})
