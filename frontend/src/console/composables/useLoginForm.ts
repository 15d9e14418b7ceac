import { computed, onBeforeUnmount, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useI18n } from 'vue-i18n'
import { isApiError } from '../api'
import type { User } from '../api/types'
import { useSessionStore } from '../stores/session'

export interface LoginFormOptions {
  /** words an error for the person signing in */
  errorText: (err: unknown) => string
  /** where to go after signing in, from the ?next= query */
  safeNext: (next: unknown) => string
  /** checks the signed-in user; a returned message is shown instead of going on */
  refuse?: (u: User) => Promise<string | null>
}

/**
 * The state of a sign-in form (console and phone): login, password, the countdown the hub
 * asks for after too many attempts (429 Retry-After), and submit.
 */
export function useLoginForm(opts: LoginFormOptions) {
  const session = useSessionStore()
  const route = useRoute()
  const router = useRouter()
  const { t } = useI18n()

  const loginName = ref('')
  const password = ref('')
  const busy = ref(false)
  const error = ref('')
  /** Seconds left before the hub takes another attempt (429 Retry-After). */
  const wait = ref(0)
  let tick: ReturnType<typeof setInterval> | null = null

  const expired = computed(() => route.query.expired === '1')
  const message = computed(() => (wait.value > 0 ? t('errors.too_many_attempts', { n: wait.value }) : error.value))

  function startWait(seconds: number) {
    wait.value = seconds
    if (tick) clearInterval(tick)
    tick = setInterval(() => {
      wait.value = Math.max(0, wait.value - 1)
      if (wait.value === 0 && tick) {
        clearInterval(tick)
        tick = null
        error.value = ''
      }
    }, 1000)
  }

  onBeforeUnmount(() => {
    if (tick) clearInterval(tick)
  })

  async function submit() {
    if (busy.value || wait.value > 0) return
    error.value = ''
    busy.value = true
    try {
      const u = await session.signIn(loginName.value.trim(), password.value)
      password.value = ''
      const refused = opts.refuse ? await opts.refuse(u) : null
      if (refused) {
        error.value = refused
        return
      }
      await router.replace(opts.safeNext(route.query.next))
    } catch (err) {
      password.value = ''
      if (isApiError(err) && err.code === 'too_many_attempts' && err.retryAfter) startWait(err.retryAfter)
      error.value = opts.errorText(err)
    } finally {
      busy.value = false
    }
  }

  return { session, loginName, password, busy, wait, expired, message, submit }
}
