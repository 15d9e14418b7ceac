import type { RouteLocationNormalized, RouteLocationRaw, Router } from 'vue-router'
import type { ApiClient } from './api'
import { useSessionStore } from './stores/session'

// What the console's and the phone workspace's routers share: where a login may lead, the
// session check before each page and the way back to the login page when the session ends.

/** safeNextOr makes a "next" reader: only ever a path inside the app, never another site, else home. */
export function safeNextOr(home: string): (v: unknown) => string {
  return (v) => {
    const s = Array.isArray(v) ? v[0] : v
    return typeof s === 'string' && s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/login') ? s : home
  }
}

/**
 * sessionGate restores the session once, lets public pages through (the login page sends a
 * signed-in user on to next) and sends anyone not signed in to the login page. null: the page
 * is for signed-in users and the user is, the router's own checks go on.
 */
export async function sessionGate(
  to: RouteLocationNormalized,
  signedIn: (s: ReturnType<typeof useSessionStore>) => boolean,
  safeNext: (v: unknown) => string,
): Promise<RouteLocationRaw | true | null> {
  const session = useSessionStore()
  if (!session.checked) {
    try {
      await session.restore()
    } catch {
      // the hub did not answer: the login page says so when the user tries
    }
  }
  const ok = signedIn(session)
  if (to.meta.public) {
    if (to.name === 'login' && ok) return safeNext(to.query.next)
    return true
  }
  if (!ok) return { name: 'login', query: { next: to.fullPath } }
  return null
}

/**
 * installUnauthorized sends the user to the login page whenever the hub says the session is
 * over (idle or absolute expiry), keeping where they were so the login brings them back.
 */
export function installUnauthorized(client: ApiClient, router: Router) {
  client.onUnauthorized = () => {
    useSessionStore().expire()
    const cur = router.currentRoute.value
    if (cur.name === 'login') return
    void router.push({ name: 'login', query: { next: cur.fullPath, expired: '1' } })
  }
}
