import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router'
import { installUnauthorized, safeNextOr, sessionGate } from '@/console/sessionRoutes'

// The phone workspace's pages. Hash history, as the console: the hub serves rep.html for every
// path under /m/ and the address after # never reaches it.
//
// A page is one view file, one route below and one entry of `nav` (the bottom bar), in the
// order the bar shows them. labelKey is a key of the rep catalogues (src/rep/i18n), icon one
// of the glyphs of components/NavIcon.vue.

export interface NavEntry {
  /** the route's name */
  name: string
  labelKey: string
  icon: string
}

export const nav: NavEntry[] = [
  { name: 'new', labelKey: 'nav.new', icon: 'inbox' },
  { name: 'mine', labelKey: 'nav.mine', icon: 'list' },
  { name: 'activities', labelKey: 'nav.activities', icon: 'calendar' },
  { name: 'badge', labelKey: 'nav.badge', icon: 'qr' },
  { name: 'record', labelKey: 'record.nav', icon: 'star' },
  { name: 'duty', labelKey: 'duty.nav', icon: 'clock' },
]

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/', redirect: '/new' },
  { path: '/new', name: 'new', component: () => import('./views/CasesView.vue'), props: { view: 'new' } },
  { path: '/mine', name: 'mine', component: () => import('./views/CasesView.vue'), props: { view: 'mine' } },
  { path: '/done', name: 'done', component: () => import('./views/CasesView.vue'), props: { view: 'done' } },
  { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true },
  { path: '/activities', name: 'activities', component: () => import('./views/ActivitiesView.vue') },
  { path: '/badge', name: 'badge', component: () => import('./views/BadgeView.vue') },
  { path: '/record', name: 'record', component: () => import('./views/RecordView.vue') },
  { path: '/duty', name: 'duty', component: () => import('./views/DutyView.vue') },
  { path: '/ticket', name: 'ticket', component: () => import('./views/TicketView.vue'), meta: { public: true } },
  { path: '/:rest(.*)*', redirect: '/new' },
]

/** A "next" address is only ever a path inside the workspace, never another site. */
export const safeNext = safeNextOr('/new')

export { installUnauthorized }

export function createRepRouter(history: RouterHistory = createWebHashHistory()): Router {
  const router = createRouter({ history, routes })
  // only a representative's account works here; another account is shown the login page,
  // which says so
  router.beforeEach(async (to) => (await sessionGate(to, (session) => session.user?.role === 'representative', safeNext)) ?? true)
  return router
}
