import { defineStore } from 'pinia'
import { ref } from 'vue'
import { MyRepresentatives, Representatives } from '@/bindings/kiosk'
import { toAppError, type AppError } from '@/bindings/errors'
import type { RepCard } from '@/bindings/models'

export const useRepsStore = defineStore('reps', () => {
  const mine = ref<RepCard[]>([])
  const all = ref<RepCard[]>([])
  const loading = ref(false)
  const error = ref<AppError | null>(null)

  async function load(anonymous: boolean) {
    loading.value = true
    try {
      // An anonymous visitor has no constituency, so only the station's list applies.
      const [m, a] = await Promise.all([anonymous ? Promise.resolve([]) : MyRepresentatives(), Representatives()])
      mine.value = m
      all.value = a
      error.value = null
    } catch (err) {
      error.value = toAppError(err)
    } finally {
      loading.value = false
    }
  }

  function reset() {
    mine.value = []
    all.value = []
    error.value = null
  }

  return { mine, all, loading, error, load, reset }
})
