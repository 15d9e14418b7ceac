import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { Monthly } from '../api/types'
import { normalized } from '../report'
import { stationPreviousMonth } from '../time'

/** How soon a report whose hot topics were pending is asked for again. */
export const PENDING_RETRY_MS = 3000

export const useReportStore = defineStore('console-report', () => {
  // A monthly report is read once the month is over: open on the last complete one.
  const month = ref(stationPreviousMonth())
  const report = ref<Monthly | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let again: ReturnType<typeof setTimeout> | undefined

  async function load(m: string = month.value) {
    month.value = m
    loading.value = true
    clearTimeout(again)
    try {
      const r = await api.monthlyReport(m)
      if (month.value !== m) return // the user picked another month meanwhile
      report.value = normalized(r)
      error.value = null
      // The first report after the hub starts comes before its word dictionary has loaded:
      // ask again for the hot topics.
      if (r.hot_topics_pending) again = setTimeout(() => void (month.value === m && load(m)), PENDING_RETRY_MS)
    } catch (err) {
      if (month.value === m) error.value = err
    } finally {
      if (month.value === m) loading.value = false
    }
  }

  return { month, report, loading, error, load }
})
