import type { Component } from 'vue'
import type { Role } from '../api/types'

/**
 * A page of the setup area (#/setup/<path>). The side menu and the routes are both made from
 * setupPages, so a new page is one entry here and its view file.
 */
export interface SetupPage {
  /** The address under #/setup/, e.g. "stations". */
  path: string
  /** The i18n key of the menu entry and of the page's title. */
  titleKey: string
  component: () => Promise<Component | { default: Component }>
  /** Place in the menu, lowest first. */
  order: number
  /** Who may open it; admins only when left out. */
  roles?: Role[]
  /** Props the view gets (the kind a shared view edits). */
  props?: Record<string, unknown>
}

const kindPage = () => import('./RefKindView.vue')

export const setupPages: SetupPage[] = [
  { path: 'org', titleKey: 'setup.pages.org', component: kindPage, props: { kind: 'org_node' }, order: 5 },
  { path: 'stations', titleKey: 'setup.pages.stations', component: kindPage, props: { kind: 'station' }, order: 10 },
  { path: 'communities', titleKey: 'setup.pages.communities', component: kindPage, props: { kind: 'community' }, order: 20 },
  { path: 'representatives', titleKey: 'setup.pages.representatives', component: kindPage, props: { kind: 'representative' }, order: 30 },
  { path: 'departments', titleKey: 'setup.pages.departments', component: kindPage, props: { kind: 'department' }, order: 40 },
  { path: 'categories', titleKey: 'setup.pages.categories', component: kindPage, props: { kind: 'category' }, order: 50 },
  { path: 'activities', titleKey: 'setup.pages.activities', component: kindPage, props: { kind: 'activity' }, order: 60 },
  { path: 'projects', titleKey: 'setup.pages.projects', component: kindPage, props: { kind: 'project' }, order: 70 },
  { path: 'duty', titleKey: 'setup.pages.duty', component: () => import('./DutyView.vue'), order: 80 },
  { path: 'duty-swaps', titleKey: 'setup.pages.dutySwaps', component: () => import('./DutySwapsView.vue'), order: 82, roles: ['admin', 'staff'] },
  { path: 'import', titleKey: 'setup.pages.import', component: () => import('./ImportView.vue'), order: 85 },
  { path: 'words', titleKey: 'setup.pages.words', component: () => import('./WordsView.vue'), order: 90 },
  { path: 'calendar', titleKey: 'calendar.title', component: () => import('./CalendarView.vue'), order: 90 },
  { path: 'devices', titleKey: 'devices.title', component: () => import('./DevicesView.vue'), order: 100 },
  { path: 'updates', titleKey: 'updates.title', component: () => import('./UpdatesView.vue'), order: 105 },
  { path: 'badges', titleKey: 'badges.title', component: () => import('./BadgesView.vue'), order: 110 },
  { path: 'notify', titleKey: 'notify.title', component: () => import('./NotifyView.vue'), order: 120 },
]

/** rolesOf says who may open a page. */
export function rolesOf(p: SetupPage): Role[] {
  return p.roles ?? ['admin']
}

/** The pages a role sees, in menu order. */
export function visiblePages(role: Role | null, pages: SetupPage[] = setupPages): SetupPage[] {
  if (!role) return []
  return pages.filter((p) => rolesOf(p).includes(role)).sort((a, b) => a.order - b.order || a.path.localeCompare(b.path))
}
