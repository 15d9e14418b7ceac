import { defineStore } from 'pinia'
import { ref } from 'vue'
import { Activities } from '@/bindings/kiosk'
import { ActivityStatusOf, CheckInActivity, CheckInCode, SignUpActivity } from '@/bindings/rep'
import { toAppError, type AppError } from '@/bindings/errors'
import type { ActivityCard } from '@/bindings/models'

const stateOrder: Record<string, number> = { live: 0, upcoming: 1, past: 2 }
const order = (state: string): number => stateOrder[state] ?? 3

export const useActivitiesStore = defineStore('activities', () => {
  const list = ref<ActivityCard[]>([])
  const loading = ref(false)
  const error = ref<AppError | null>(null)

  async function load() {
    loading.value = true
    try {
      const items = await Activities()
      list.value = [...items].sort(
        (a, b) => order(a.state) - order(b.state) || a.starts.localeCompare(b.starts),
      )
      error.value = null
    } catch (err) {
      error.value = toAppError(err)
    } finally {
      loading.value = false
    }
  }

  function reset() {
    list.value = []
    error.value = null
  }

  // The person at the kiosk's marks and the rotating check-in code; each rejects with an
  // AppError the view words.
  const statusOf = (id: string) => ActivityStatusOf(id)
  const signUp = (id: string) => SignUpActivity(id)
  const checkIn = (id: string) => CheckInActivity(id)
  const checkInCode = (id: string) => CheckInCode(id)
  /** The activities still to come or under way, without touching the kiosk's list. */
  const current = async () => (await Activities()).filter((a) => a.state !== 'past')

  return { list, loading, error, load, reset, statusOf, signUp, checkIn, checkInCode, current }
})
