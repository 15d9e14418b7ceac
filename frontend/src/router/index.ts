import { createRouter, createWebHashHistory, type RouteComponent, type RouteRecordRaw } from 'vue-router'

// The wall view is built separately; resolve it lazily and tolerate its absence
// so the kiosk build never depends on it.
const wallViews = import.meta.glob<{ default: RouteComponent }>('../views/wall/WallView.vue')
const loadWall = (): Promise<RouteComponent> => {
  const loader = wallViews['../views/wall/WallView.vue']
  return loader ? loader().then((m) => m.default) : import('../views/MissingView.vue').then((m) => m.default)
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'boot', component: () => import('../views/BootView.vue') },
  { path: '/wall', name: 'wall', component: loadWall },
  {
    path: '/kiosk',
    component: () => import('../views/kiosk/KioskShell.vue'),
    children: [
      { path: '', name: 'attract', component: () => import('../views/kiosk/AttractView.vue') },
      { path: 'consent', name: 'consent', component: () => import('../views/kiosk/ConsentView.vue'), meta: { session: true } },
      { path: 'home', name: 'home', component: () => import('../views/kiosk/HomeView.vue'), meta: { session: true } },
      { path: 'submit', name: 'submit', component: () => import('../views/kiosk/SubmitView.vue'), meta: { session: true } },
      { path: 'receipt', name: 'receipt', component: () => import('../views/kiosk/ReceiptView.vue'), meta: { session: true } },
      { path: 'cases', name: 'cases', component: () => import('../views/kiosk/CasesView.vue'), meta: { session: true } },
      { path: 'cases/:id', name: 'case', component: () => import('../views/kiosk/CaseDetailView.vue'), meta: { session: true }, props: true },
      // no session needed: a receipt's QR opens its case from the attract screen too
      { path: 'lookup', name: 'lookup', component: () => import('../views/kiosk/LookupView.vue') },
      { path: 'reps', name: 'reps', component: () => import('../views/kiosk/RepsView.vue'), meta: { session: true } },
      { path: 'activities', name: 'activities', component: () => import('../views/kiosk/ActivitiesView.vue'), meta: { session: true } },
      { path: 'activities/mine', name: 'my-signups', component: () => import('../views/kiosk/MySignUpsView.vue'), meta: { session: true } },
      { path: 'activities/:id', name: 'activity', component: () => import('../views/kiosk/ActivityDetailView.vue'), meta: { session: true }, props: true },
      { path: 'activities/:id/checkin', name: 'checkin-qr', component: () => import('../views/kiosk/CheckInQRView.vue'), props: true },
      { path: 'rep', name: 'rep', component: () => import('../views/representative/WorkbenchView.vue') },
    ],
  },
  { path: '/tech', name: 'tech', component: () => import('../views/technician/TechnicianView.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
