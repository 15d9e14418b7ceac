import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CaseEvent, RepCase, RepCaseDetail, RepProfile, RepView } from '@/console/api/types'
import * as api from '../api'

/**
 * The representative's cases as the phone shows them: one list at a time (新事项, 我的事项,
 * 已办结) and one open case. The hub's live stream calls caseChanged, which refreshes what
 * is on screen.
 */
export const useRepStore = defineStore('rep', () => {
  const profile = ref<RepProfile | null>(null)
  /** the list on screen, and its cases (null until loaded) */
  const view = ref<RepView | null>(null)
  const cases = ref<RepCase[] | null>(null)
  const listError = ref<unknown>(null)
  const detail = ref<RepCaseDetail | null>(null)
  const detailError = ref<unknown>(null)
  /** a new case arrived while another page was shown: the bar marks 新事项 */
  const freshNew = ref(false)
  /** the bar entry a case was opened from */
  const from = ref('new')
  let listAbort: AbortController | null = null
  let detailAbort: AbortController | null = null

  async function loadProfile() {
    if (profile.value) return
    try {
      profile.value = await api.repMe()
    } catch {
      // the pages that need it say why when they load
    }
  }

  async function load(v: RepView, quiet = false) {
    listAbort?.abort()
    const ctl = new AbortController()
    listAbort = ctl
    if (view.value !== v) cases.value = null
    view.value = v
    if (v === 'new') freshNew.value = false
    if (!quiet) listError.value = null
    try {
      const list = await api.repCases(v, ctl.signal)
      if (listAbort === ctl) {
        cases.value = list.cases ?? []
        listError.value = null
      }
    } catch (err) {
      if (api.isAbort(err)) return
      if (listAbort === ctl) listError.value = err
    }
  }

  async function open(id: string, quiet = false) {
    detailAbort?.abort()
    const ctl = new AbortController()
    detailAbort = ctl
    if (detail.value?.case.id !== id && detail.value?.case.number !== id) detail.value = null
    if (!quiet) detailError.value = null
    try {
      const d = await api.repCase(id, ctl.signal)
      if (detailAbort === ctl) {
        detail.value = d
        detailError.value = null
      }
    } catch (err) {
      if (api.isAbort(err)) return
      if (detailAbort === ctl) detailError.value = err
    }
  }

  /** claim records 领办; it throws the hub's refusal (rep_claimed) for the page to show. */
  async function claim(id: string): Promise<RepCaseDetail> {
    const d = await api.claimCase(id)
    detail.value = d
    return d
  }

  async function note(id: string, text: string, toResident: boolean): Promise<RepCaseDetail> {
    const d = await api.addNote(id, { note: text, to_resident: toResident })
    detail.value = d
    return d
  }

  /** caseChanged is the live stream's news; null means "look again" (after a reconnect). */
  function caseChanged(ev: CaseEvent | null) {
    if (ev && ev.state === 'submitted' && view.value !== 'new') freshNew.value = true
    if (view.value) void load(view.value, true)
    const d = detail.value
    if (d && (!ev || (ev.id === d.case.id && ev.version !== d.case.version))) void open(d.case.id, true)
  }

  function stop() {
    listAbort?.abort()
    detailAbort?.abort()
    view.value = null
  }

  function reset() {
    stop()
    profile.value = null
    cases.value = null
    detail.value = null
    freshNew.value = false
  }

  return { profile, view, cases, listError, detail, detailError, freshNew, from, loadProfile, load, open, claim, note, caseChanged, stop, reset }
})
