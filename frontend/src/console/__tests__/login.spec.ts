import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import LoginView from '../views/LoginView.vue'
import '../views/InboxView.vue'
import { api } from '../api'
import { consolePage, fakeHub, json, staffUser } from './helpers'

afterEach(() => {
  vi.useRealTimers()
})
const page = consolePage(null, { csrf: '' })
const mountLogin = (path = '/login') => page.open(LoginView, path, { attach: false })

async function submit(w: VueWrapper, name: string, password: string) {
  await w.get('[data-testid="login-name"]').setValue(name)
  await w.get('[data-testid="login-password"]').setValue(password)
  await w.get('[data-testid="login-form"]').trigger('submit')
  await flushPromises()
}

describe('login', () => {
  it('says plainly that the name or password is wrong', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/login', () => json({ code: 'bad_credentials', message: 'bad' }, 401))
    const w = await mountLogin()
    await submit(w, 'wang', 'wrong-pass')
    expect(w.get('[data-testid="login-error"]').text()).toBe('用户名或密码错误')
    expect((w.get('[data-testid="login-password"]').element as HTMLInputElement).value).toBe('')
  })

  it('counts down the wait the hub asks for after too many attempts', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/login', () => json({ code: 'too_many_attempts', message: '' }, 429, { 'Retry-After': '3' }))
    const w = await mountLogin()
    vi.useFakeTimers()
    await submit(w, 'wang', 'x')
    expect(w.get('[data-testid="login-error"]').text()).toBe('尝试次数过多，请 3 秒后再试')
    expect(w.get('[data-testid="login-submit"]').attributes('disabled')).toBeDefined()
    await vi.advanceTimersByTimeAsync(1000)
    expect(w.get('[data-testid="login-error"]').text()).toBe('尝试次数过多，请 2 秒后再试')
    await vi.advanceTimersByTimeAsync(2000)
    expect(w.find('[data-testid="login-error"]').exists()).toBe(false)
    expect(w.get('[data-testid="login-submit"]').attributes('disabled')).toBeUndefined()
  })

  it('signs in, keeps the CSRF token and returns to where the user was', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/login', () => json({ user: staffUser, csrf: 'tok-9' }))
    hub.on('GET', '/api/v1/cases', () => json({ cases: [], total: 0, page: 1, per_page: 50, counts: {} }))
    hub.on('GET', '/api/v1/ref', () => json({ stations: [], departments: [], categories: [], representatives: [] }))
    const w = await mountLogin('/login?next=/cases%3Ftab%3Doverdue&expired=1')
    expect(w.get('[data-testid="login-expired"]').text()).toBe('登录已过期，请重新登录')
    await submit(w, ' wang ', 'right-pass')
    expect(hub.callsTo('/api/v1/login')[0]?.body).toEqual({ login: 'wang', password: 'right-pass' })
    expect(api.csrf).toBe('tok-9')
    expect(page.router.currentRoute.value.fullPath).toBe('/cases?tab=overdue')
  })
})

describe('a wall screen account', () => {
  const wallUser = { ...staffUser, login: 'hall', name: '区大厅大屏', role: 'display' as const, node: 'SFQ', unit: '示范区人大常委会' }
  const wallPage = consolePage(wallUser)

  it('opens on the area overview in large type whatever address it is given, and keeps a drill-down', async () => {
    const hub = fakeHub()
    await wallPage.router.push('/cases?tab=overdue')
    expect(wallPage.router.currentRoute.value.name).toBe('board-wall')
    await wallPage.router.push('/reports')
    expect(wallPage.router.currentRoute.value.fullPath).toBe('/board/wall')
    await wallPage.router.push('/board?node=HX')
    expect(wallPage.router.currentRoute.value.fullPath).toBe('/board/wall?node=HX')
    await wallPage.router.push('/board/wall?node=HP')
    expect(wallPage.router.currentRoute.value.fullPath).toBe('/board/wall?node=HP')
    expect(hub.callsTo('/api/v1/cases')).toHaveLength(0)
  })
})
