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
  /** The area picked ("" for the account's own). */
  const node = ref('')
  const report = ref<Monthly | null>(null)
  const heldFor = ref('') // "month|node" of the request that brought report
  const loading = ref(false)
  const error = ref<unknown>(null)
  let again: ReturnType<typeof setTimeout> | undefined

  async function load(m: string = month.value, n: string = node.value) {
    month.value = m
    node.value = n
    loading.value = true
    clearTimeout(again)
    const current = () => month.value === m && node.value === n
    try {
      const r = await api.monthlyReport(m, n)
      if (!current()) return // the user picked another month or area meanwhile
      report.value = normalized(r)
      heldFor.value = `${m}|${n}`
      error.value = null
      // The first report after the hub starts comes before its word dictionary has loaded:
      // ask again for the hot topics.
      if (r.hot_topics_pending) again = setTimeout(() => void (current() && load(m, n)), PENDING_RETRY_MS)
    } catch (err) {
      if (current()) error.value = err
    } finally {
      if (current()) loading.value = false
    }
  }

  /** Whether the report held is the one asked for with month m and area n ("" the account's own). */
  function holds(m: string, n: string): boolean {
    return report.value !== null && heldFor.value === `${m}|${n}`
  }

  return { month, node, report, loading, error, load, holds }
})
