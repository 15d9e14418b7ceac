import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api/record'
import type { RecordRanking, RecordRules, RecordRulesView, RepRecord } from '../api/types'
import { currentPeriod, periodKey } from '../record/period'

/** The record's ranking, one representative's record and the scoring rules. */
export const useRecordStore = defineStore('console-record', () => {
  const period = ref(periodKey(currentPeriod('year')))
  const station = ref('')
  const ranking = ref<RecordRanking | null>(null)
  const rep = ref<RepRecord | null>(null)
  const rules = ref<RecordRulesView | null>(null)
  const loading = ref(false)
  const saving = ref(false)
  const error = ref<unknown>(null)
  let seq = 0

  /** run loads with the latest request winning: an answer to an older pick is dropped. */
  async function run<T>(load: () => Promise<T>, done: (v: T) => void) {
    const mine = ++seq
    loading.value = true
    try {
      const v = await load()
      if (mine !== seq) return
      done(v)
      error.value = null
    } catch (err) {
      if (mine === seq) error.value = err
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function loadRanking(p: string = period.value, st: string = station.value) {
    period.value = p
    station.value = st
    return run(
      () => api.recordRanking(p, st),
      (r) => (ranking.value = r),
    )
  }

  function loadRep(id: string, p: string = period.value) {
    period.value = p
    return run(
      () => api.repRecord(id, p),
      (r) => (rep.value = r),
    )
  }

  function loadRules() {
    return run(api.getRecordRules, (r) => (rules.value = r))
  }

  /** saveRules records the rules; it throws the hub's refusal for the editor to show. */
  async function saveRules(r: RecordRules) {
    saving.value = true
    try {
      rules.value = await api.saveRecordRules(r)
    } finally {
      saving.value = false
    }
  }

  return { period, station, ranking, rep, rules, loading, saving, error, loadRanking, loadRep, loadRules, saveRules }
})
