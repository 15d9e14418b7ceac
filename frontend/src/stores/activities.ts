import { defineStore } from 'pinia'
import { ref } from 'vue'
import { Activities } from '@/bindings/kiosk'
import {
  ActivityStatusOf,
  CancelSignUp,
  CheckInActivity,
  CheckInCode,
  MySignUps,
  SignUpActivity,
  SignUpCode,
} from '@/bindings/rep'
import { toAppError, type AppError } from '@/bindings/errors'
import type { ActivityCard, ActivityStatus, MySignUp } from '@/bindings/models'

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

  // 我的报名: the signed-in person's sign-ups with the hub's answers as far as they arrived.
  const mine = ref<MySignUp[]>([])
  const mineLoading = ref(false)
  const mineError = ref<AppError | null>(null)

  async function loadMine() {
    mineLoading.value = true
    try {
      mine.value = await MySignUps()
      mineError.value = null
    } catch (err) {
      mineError.value = toAppError(err)
    } finally {
      mineLoading.value = false
    }
  }

  /** applyStatus puts a fresh status into the lists that show the activity. */
  function applyStatus(st: ActivityStatus) {
    const card = list.value.find((a) => a.id === st.activityId)
    if (card) {
      card.signedUp = st.signedUp
      card.confirmed = st.confirmed
      card.waiting = st.waiting
      card.attended = st.attended
    }
    const m = mine.value.find((x) => x.activity.id === st.activityId)
    if (m) m.status = st
  }

  function reset() {
    list.value = []
    error.value = null
    mine.value = []
    mineError.value = null
  }

  // The person at the kiosk's marks and the rotating check-in code; each rejects with an
  // AppError the view words.
  const statusOf = (id: string) => ActivityStatusOf(id)
  const signUp = async (id: string) => {
    const st = await SignUpActivity(id)
    applyStatus(st)
    return st
  }
  const cancel = async (id: string) => {
    const st = await CancelSignUp(id)
    applyStatus(st)
    return st
  }
  const checkIn = async (id: string) => {
    const st = await CheckInActivity(id)
    applyStatus(st)
    return st
  }
  const signUpCode = (id: string) => SignUpCode(id)
  const checkInCode = (id: string) => CheckInCode(id)
  /** The activities still to come or under way, without touching the kiosk's list. */
  const current = async () => (await Activities()).filter((a) => a.state !== 'past')

  return {
    list, loading, error, load, reset, statusOf, signUp, cancel, checkIn, checkInCode, signUpCode, current,
    mine, mineLoading, mineError, loadMine,
  }
})
