import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { ApiClient, ApiError, api, login, me } from '../api'
import { errorText } from '../composables/useErrorText'
import { createConsoleI18n } from '../i18n'
import { createConsoleRouter, installUnauthorized, safeNext } from '../router'
import { useSessionStore } from '../stores/session'
import { fakeHub, json, staffUser } from './helpers'
// The routes load their views lazily; loading them here keeps compile time out of the tests.
import '../views/CaseView.vue'
import '../views/LoginView.vue'
import '../views/ReportView.vue'

beforeEach(() => {
  api.csrf = ''
  api.onUnauthorized = null
})

describe('api client', () => {
  it('sends the CSRF token on unsafe requests only, with credentials', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/login', () => json({ user: staffUser, csrf: 'tok-1' }))
    hub.on('GET', '/api/v1/cases', () => json({ cases: [], total: 0, page: 1, per_page: 50, counts: {} }))
    hub.on('POST', '/api/v1/cases/c1/supervise', () => json({}))

    await login('wang', 'secret-pass')
    await api.get('/cases')
    await api.post('/cases/c1/supervise', { version: 3 })

    const [loginCall, listCall, actCall] = hub.calls
    expect(loginCall?.headers['X-CSRF-Token']).toBeUndefined() // no token before logging in
    expect(listCall?.headers['X-CSRF-Token']).toBeUndefined()
    expect(actCall?.headers['X-CSRF-Token']).toBe('tok-1')
    expect(actCall?.headers['Content-Type']).toBe('application/json')
    expect(actCall?.body).toEqual({ version: 3 })
    for (const c of hub.calls) expect(c.credentials).toBe('include')
  })

  it('renews a refused CSRF token once from /me and retries', async () => {
    const hub = fakeHub()
    api.csrf = 'old'
    hub.on('GET', '/api/v1/me', () => json({ user: staffUser, csrf: 'new' }))
    hub.on('POST', '/api/v1/cases/c1/close', (c) =>
      c.headers['X-CSRF-Token'] === 'new' ? json({}) : json({ code: 'csrf', message: '需要令牌' }, 403),
    )

    await api.post('/cases/c1/close', { version: 1 })

    expect(hub.callsTo('/api/v1/cases/c1/close').map((c) => c.headers['X-CSRF-Token'])).toEqual(['old', 'new'])
    expect(api.csrf).toBe('new')
  })

  it('does not retry a second CSRF refusal', async () => {
    const hub = fakeHub()
    api.csrf = 'old'
    hub.on('GET', '/api/v1/me', () => json({ user: staffUser, csrf: 'still-bad' }))
    hub.on('POST', '/api/v1/logout', () => json({ code: 'csrf', message: '' }, 403))

    await expect(api.post('/logout')).rejects.toMatchObject({ code: 'csrf', status: 403 })
    expect(hub.callsTo('/api/v1/logout')).toHaveLength(2)
  })

  it('maps the hub errors to ApiError {code, message}', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/cases/c1/assign', () => json({ code: 'stale', message: '已由 王主任（街道人大工委） 处理，请刷新' }, 409))
    hub.on('GET', '/api/v1/ref', () => new Response('<html>bad gateway</html>', { status: 502 }))

    const stale = await api.post('/cases/c1/assign', { version: 1 }).catch((e: unknown) => e)
    expect(stale).toBeInstanceOf(ApiError)
    expect(stale).toMatchObject({ code: 'stale', status: 409, message: '已由 王主任（街道人大工委） 处理，请刷新' })

    await expect(api.get('/ref')).rejects.toMatchObject({ code: 'http_502', status: 502 })
  })

  it('reports a hub it cannot reach as network', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    }))
    await expect(new ApiClient().get('/me')).rejects.toMatchObject({ code: 'network', status: 0 })
  })

  it('reads Retry-After of too_many_attempts and words it in Chinese', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/login', () => json({ code: 'too_many_attempts', message: '' }, 429, { 'Retry-After': '30' }))
    const err = await login('wang', 'x').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'too_many_attempts', retryAfter: 30 })

    const { t, te } = createConsoleI18n().global
    expect(errorText(t, te, err)).toBe('尝试次数过多，请 30 秒后再试')
    expect(errorText(t, te, new ApiError('bad_credentials', 'x', 401))).toBe('用户名或密码错误')
    expect(errorText(t, te, new ApiError('transition_state', '事项已办结，不能交办', 409))).toBe('事项已办结，不能交办')
    expect(errorText(t, te, new Error('boom'))).toBe('操作失败，请稍后再试')
  })

  it('treats a 401 from login and the start-up check as an answer, not an expiry', async () => {
    const hub = fakeHub()
    const expired = vi.fn()
    api.onUnauthorized = expired
    hub.on('POST', '/api/v1/login', () => json({ code: 'bad_credentials', message: '用户名或密码错误' }, 401))
    hub.on('GET', '/api/v1/me', () => json({ code: 'unauthorized', message: '' }, 401))

    await expect(login('wang', 'wrong')).rejects.toMatchObject({ code: 'bad_credentials' })
    await expect(me()).rejects.toMatchObject({ code: 'unauthorized' })
    expect(expired).not.toHaveBeenCalled()
  })
})

describe('an ended session', () => {
  it('goes to login and keeps the address to come back to', async () => {
    setActivePinia(createPinia())
    const hub = fakeHub()
    hub.on('GET', '/api/v1/me', () => json({ user: staffUser, csrf: 'tok' }))
    hub.on('GET', '/api/v1/cases/c9', () => json({ code: 'unauthorized', message: '' }, 401))
    const router = createConsoleRouter(createMemoryHistory())
    installUnauthorized(api, router)

    await router.push('/cases/c9?from=inbox')
    expect(router.currentRoute.value.name).toBe('case')

    await expect(api.get('/cases/c9')).rejects.toMatchObject({ code: 'unauthorized' })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
    expect(router.currentRoute.value.query).toEqual({ next: '/cases/c9?from=inbox', expired: '1' })
    expect(useSessionStore().user).toBeNull()
    expect(api.csrf).toBe('')
  })

  it('sends a visitor without a session to login with the target', async () => {
    setActivePinia(createPinia())
    const hub = fakeHub()
    hub.on('GET', '/api/v1/me', () => json({ code: 'unauthorized', message: '' }, 401))
    const router = createConsoleRouter(createMemoryHistory())
    await router.push('/reports')
    expect(router.currentRoute.value.fullPath).toBe('/login?next=/reports')
  })

  it('only ever returns to a path inside the console', () => {
    expect(safeNext('/cases/c1?tab=overdue')).toBe('/cases/c1?tab=overdue')
    expect(safeNext('//evil.example/x')).toBe('/cases')
    expect(safeNext('https://evil.example')).toBe('/cases')
    expect(safeNext('/login?next=/x')).toBe('/cases')
    expect(safeNext(undefined)).toBe('/cases')
  })
})
