import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { User } from '../api/types'

/** Who is logged in to the console (restored from the hub's cookie at start). */
export const useSessionStore = defineStore('console-session', () => {
  const user = ref<User | null>(null)
  /** true once the start-up check has answered, logged in or not. */
  const checked = ref(false)

  const role = computed(() => user.value?.role ?? null)
  const isAdmin = computed(() => role.value === 'admin')
  /** staff and admins work the whole desk; departments see their own cases only. */
  const isDesk = computed(() => role.value === 'admin' || role.value === 'staff')
  /** a wall screen's account: the area overview in large type, nothing else */
  const isDisplay = computed(() => role.value === 'display')
  /** The name a timeline would show for this user: 王主任（街道人大工委）. */
  const display = computed(() => (user.value ? `${user.value.name}（${user.value.unit}）` : ''))

  /** restore asks the hub for the session behind the cookie; false when there is none. */
  async function restore(): Promise<boolean> {
    try {
      user.value = (await api.me()).user
      return true
    } catch (err) {
      if (api.isApiError(err) && err.status === 401) {
        user.value = null
        return false
      }
      throw err
    } finally {
      checked.value = true
    }
  }

  async function signIn(loginName: string, password: string): Promise<User> {
    const s = await api.login(loginName, password)
    user.value = s.user
    checked.value = true
    return s.user
  }

  async function signOut() {
    try {
      await api.logout()
    } finally {
      expire()
    }
  }

  /** expire forgets the user after the hub said the session is over. */
  function expire() {
    user.value = null
    api.api.csrf = ''
  }

  return { user, checked, role, isAdmin, isDesk, isDisplay, display, restore, signIn, signOut, expire }
})
