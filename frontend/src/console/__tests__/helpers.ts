import { afterEach, beforeEach, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { defineComponent, h, type Component } from 'vue'
import { RouterView, createMemoryHistory, type Router } from 'vue-router'
import { api } from '../api'
import type { CaseDetail, CaseList, CaseRow, User } from '../api/types'
import { createConsoleI18n } from '../i18n'
import { createConsoleRouter } from '../router'
import { useSessionStore } from '../stores/session'

export interface Call {
  method: string
  url: URL
  headers: Record<string, string>
  body: unknown
  credentials: RequestCredentials | undefined
}

type Reply = Response | (() => Response | Promise<Response>)
type Route = { method: string; path: string | RegExp; reply: (call: Call) => Reply }

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

/**
 * fakeHub stubs fetch with the given routes (first match wins) and records every call, so a
 * test can assert what the console sent. An unrouted request fails the test loudly (404).
 */
export function fakeHub() {
  const routes: Route[] = []
  const calls: Call[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://hub.test')
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>))
    const call: Call = {
      method: init.method ?? 'GET',
      url,
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      credentials: init.credentials,
    }
    calls.push(call)
    for (const r of routes) {
      const hit = typeof r.path === 'string' ? url.pathname === r.path : r.path.test(url.pathname)
      if (hit && r.method === call.method) {
        const reply = r.reply(call)
        return typeof reply === 'function' ? reply() : reply
      }
    }
    return json({ code: 'not_routed', message: `${call.method} ${url.pathname}` }, 404)
  })
  vi.stubGlobal('fetch', fetchMock)
  const on = (method: string, path: string | RegExp, reply: (call: Call) => Reply) => {
    routes.unshift({ method, path, reply })
  }
  return { calls, on, fetchMock, callsTo: (path: string) => calls.filter((c) => c.url.pathname === path) }
}

export const staffUser: User = {
  login: 'wang',
  name: '王主任',
  role: 'staff',
  unit: '街道人大工委',
  disabled: false,
  created: '2026-01-05T02:00:00Z',
}

export const adminUser: User = { ...staffUser, login: 'admin', role: 'admin' }

/** The routed page inside a router view, as the console's shell shows it (leave guards need one). */
export const RoutedPage = defineComponent({ render: () => h(RouterView) })

interface OpenOptions {
  props?: Record<string, unknown>
  /** Mount into document.body (dialogs teleport there); true unless told. */
  attach?: boolean
}

/**
 * consolePage gives every test of the file a fresh store and router with `user` signed in and
 * the given CSRF token (null leaves it alone), and unmounts what the test opened afterwards.
 * A file's own hooks that must run around these are registered before calling it.
 */
export function consolePage(user: User | null, { csrf = 'tok' as string | null } = {}) {
  let pinia: Pinia
  let router: Router
  let wrapper: VueWrapper | null = null
  beforeEach(() => {
    pinia = createPinia()
    setActivePinia(pinia)
    const session = useSessionStore()
    session.user = user
    session.checked = true
    router = createConsoleRouter(createMemoryHistory())
    if (csrf !== null) api.csrf = csrf
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
  })
  return {
    get router() {
      return router
    },
    /** open goes to `path` and mounts `component` there, once its first fetches are answered. */
    async open(component: Component, path: string, { props, attach = true }: OpenOptions = {}) {
      await router.push(path)
      wrapper = mount(component, {
        props,
        attachTo: attach ? document.body : undefined,
        global: { plugins: [pinia, router, createConsoleI18n()] },
      })
      await flushPromises()
      return wrapper
    },
  }
}

export function row(id: string, extra: Partial<CaseRow> = {}): CaseRow {
  return {
    id,
    number: `JD-2026-${id}`,
    token: `tok${id}`,
    station: 'st1',
    category: 'road',
    category_name: '道路交通',
    text: '小区门口路灯坏了三天',
    summary: '小区门口路灯坏了三天',
    state: 'submitted',
    submitted_at: '2026-11-03T01:00:00Z',
    updated_at: '2026-11-03T01:00:00Z',
    version: 1,
    community: '东风社区',
    sla: 'ok',
    deadline: '2026-11-04T01:00:00Z',
    ...extra,
  }
}

export function list(rows: CaseRow[], counts: CaseList['counts'] = {}, total = rows.length): CaseList {
  return { cases: rows, total, page: 1, per_page: 50, counts }
}

export function detail(extra: Partial<CaseDetail> = {}): CaseDetail {
  return {
    case: { ...row('0001'), state: 'assigned', dept_code: 'd1', dept_name: '市政所', version: 4 },
    timeline: [
      { at: '2026-11-03T01:00:00Z', kind: 'case.submitted', label: '提交', actor: '张*', role: 'resident', text: '', effective: true },
      { at: '2026-11-03T02:00:00Z', kind: 'case.accepted', label: '代表领办', actor: '王主任（街道人大工委）', role: 'staff', text: '由代表 李四 领办', effective: true },
    ],
    status_url: 'https://hub.test/c/abc',
    level: 'HX',
    level_name: '和谐街道',
    departments: [{ code: 'd1', name: '市政所' }, { code: 'd2', name: '城管中队' }],
    escalate_targets: [],
    allowed: [
      { action: 'reply', allowed: true },
      { action: 'supervise', allowed: true },
      { action: 'accept', allowed: false, reason: '事项已受理' },
      { action: 'return', allowed: false, reason: '只有承办单位可以退单' },
    ],
    ...extra,
  }
}
