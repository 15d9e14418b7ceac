import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import App from '../App.vue'
import { api } from '../api'
import { createConsoleI18n } from '../i18n'
import { setupPages, visiblePages, type SetupPage } from '../setup/pages'
import { useSessionStore } from '../stores/session'
// The routes load their views lazily; loading them here keeps compile time out of the tests.
import '../setup/SetupLayout.vue'
import '../setup/RefKindView.vue'
import '../views/InboxView.vue'
import { consolePage, fakeHub, json, staffUser } from './helpers'

const adminUser = { ...staffUser, login: 'admin', name: '李管理', role: 'admin' as const }

const page = consolePage(null, { csrf: '' })

function hub() {
  const h = fakeHub()
  h.on('GET', '/api/v1/cases', () => json({ cases: [], total: 0, page: 1, per_page: 50, counts: {} }))
  h.on('GET', '/api/v1/ref', () => json({ stations: [], departments: [], categories: [], representatives: [] }))
  h.on('GET', /^\/api\/v1\/admin\/ref\/\w+$/, () => json({ items: [] }))
  return h
}

function mountAs(user: typeof staffUser, path: string) {
  useSessionStore().user = user
  return page.open(App, path, { attach: false })
}

describe('setup pages', () => {
  it('lists the pages a role may open, in menu order', () => {
    const pages: SetupPage[] = [
      { path: 'b', titleKey: 'x', component: async () => ({}), order: 20 },
      { path: 'a', titleKey: 'x', component: async () => ({}), order: 10 },
      { path: 'c', titleKey: 'x', component: async () => ({}), order: 5, roles: ['admin', 'staff'] },
    ]
    expect(visiblePages('admin', pages).map((p) => p.path)).toEqual(['c', 'a', 'b'])
    expect(visiblePages('staff', pages).map((p) => p.path)).toEqual(['c'])
    expect(visiblePages(null, pages)).toEqual([])
  })

  it('gives every page a route and a unique path', () => {
    const paths = setupPages.map((p) => p.path)
    expect(new Set(paths).size).toBe(paths.length)
    for (const p of setupPages) expect(page.router.resolve(`/setup/${p.path}`).name).toBe(`setup-${p.path}`)
  })
})

describe('setup area', () => {
  it('shows admins a 设置 link and a menu made from the pages', async () => {
    hub()
    const w = await mountAs(adminUser, '/setup')
    expect(page.router.currentRoute.value.path).toBe('/setup/org') // the first page of the menu: the tree the stations hang from
    expect(w.get('[data-testid="nav-setup"]').text()).toBe('设置')
    const links = w.findAll('[data-testid="setup-menu"] a')
    expect(links.map((a) => a.text())).toEqual(visiblePages('admin').map((p) => createConsoleI18n().global.t(p.titleKey)))
    expect(links[0]?.text()).toBe('区域（组织）')
    expect(links[1]?.text()).toBe('联络站')
    expect(w.get('[data-testid="setup-org_node"] h1').text()).toBe('区域（组织）')

    await w.get('[data-testid="setup-link-departments"]').trigger('click')
    await flushPromises()
    expect(page.router.currentRoute.value.path).toBe('/setup/departments')
    expect(w.get('[data-testid="setup-department"] h1').text()).toBe('承办单位')
  })

  it('shows staff only the pages open to them, and keeps others out', async () => {
    hub()
    const w = await mountAs(staffUser, '/setup/representatives')
    expect(page.router.currentRoute.value.path).toBe('/cases')
    expect(visiblePages('staff').map((p) => p.path)).toEqual(['duty-swaps'])
    expect(w.find('[data-testid="nav-setup"]').exists()).toBe(true)
    expect(visiblePages('department')).toEqual([])
  })
})
