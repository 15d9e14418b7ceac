import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router'
import type { Role } from './api/types'
import { rolesOf, setupPages, visiblePages } from './setup/pages'
import { installUnauthorized, safeNextOr, sessionGate } from './sessionRoutes'
import { useSessionStore } from './stores/session'

// Hash history: the hub serves the console under /console/ (the page is dist/console.html),
// and the address after # never reaches the server, so any path there reloads fine.
export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/', redirect: '/cases' },
  { path: '/cases', name: 'inbox', component: () => import('./views/InboxView.vue'), meta: { fixed: true } },
  { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true },
  // 区域总览, and the same in large type for a district's or a city's wall screen
  { path: '/board', name: 'board', component: () => import('./views/BoardView.vue'), meta: { desk: true } },
  { path: '/board/wall', name: 'board-wall', component: () => import('./views/BoardView.vue'), props: { wall: true }, meta: { desk: true, bare: true } },
  { path: '/reports', name: 'report', component: () => import('./views/ReportView.vue') },
  // the report to print (?month=YYYY-MM, &wall=1 for the notice wall's sheet), without the bar
  { path: '/reports/print', name: 'report-print', component: () => import('./views/ReportPrintView.vue'), meta: { bare: true } },
  { path: '/record', name: 'record', component: () => import('./views/RecordRankingView.vue'), meta: { desk: true } },
  { path: '/record/rules', name: 'record-rules', component: () => import('./views/RecordRulesView.vue'), meta: { admin: true } },
  { path: '/record/reps/:id', name: 'record-rep', component: () => import('./views/RecordRepView.vue'), props: true, meta: { desk: true } },
  { path: '/reviews', name: 'reviews', component: () => import('./views/ReviewView.vue'), meta: { desk: true } },
  // 'new' opens an empty session
  { path: '/reviews/:id', name: 'review-session', component: () => import('./views/ReviewSessionView.vue'), props: true, meta: { desk: true } },
  { path: '/users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { admin: true } },
  {
    // 员工设置 / 基础数据: one child route per entry of setup/pages.ts
    path: '/setup',
    component: () => import('./setup/SetupLayout.vue'),
    children: [
      // never shown: the guard sends #/setup to the first page of the user's menu
      { path: '', name: 'setup', component: { render: () => null } },
      ...setupPages.map(
        (p): RouteRecordRaw => ({
          path: p.path,
          name: `setup-${p.path}`,
          component: p.component,
          props: p.props ?? false,
          meta: { roles: rolesOf(p), titleKey: p.titleKey },
        }),
      ),
    ],
  },
  { path: '/:rest(.*)*', redirect: '/cases' },
]

/** A "next" address is only ever a path inside the console, never another site. */
export const safeNext = safeNextOr('/cases')

export { installUnauthorized }

export function createConsoleRouter(history: RouterHistory = createWebHashHistory()): Router {
  const router = createRouter({ history, routes })
  router.beforeEach(async (to) => {
    const gate = await sessionGate(to, (session) => session.user !== null, safeNext)
    if (gate !== null) return gate
    const session = useSessionStore()
    // a wall screen's account shows the area overview in large type and nothing else
    if (session.isDisplay) return to.name === 'board-wall' ? true : { name: 'board-wall', query: to.name === 'board' ? to.query : {} }
    if (to.meta.admin && !session.isAdmin) return '/cases'
    if (to.meta.desk && !session.isDesk) return '/cases'
    const roles = to.meta.roles as Role[] | undefined
    if (roles && !(session.role && roles.includes(session.role))) return '/cases'
    // #/setup alone opens the first page of the menu the user has
    if (to.name === 'setup') {
      const first = visiblePages(session.role)[0]
      return first ? `/setup/${first.path}` : '/cases'
    }
    return true
  })
  return router
}
