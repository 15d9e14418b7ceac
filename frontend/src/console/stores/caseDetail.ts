import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import * as api from '../api'
import { ACTIONS, type Action, type ActionInfo, type ActionRequest, type Case, type CaseDetail } from '../api/types'
import { endOfStationDay, stationToday } from '../time'

/** What the user typed into an action's dialog; kept across reloads of the case. */
export interface ActionDraft {
  note: string
  reply: string
  rep_id: string
  dept_code: string
  /** "YYYY-MM-DD" in the station's zone. */
  due: string
  /** false while due is only the suggested default: the hub then computes the deadline. */
  dueTouched: boolean
  into: string
  /** The node to escalate to: "" for the level directly above. */
  to: string
}

export function emptyDraft(): ActionDraft {
  return { note: '', reply: '', rep_id: '', dept_code: '', due: '', dueTouched: false, into: '', to: '' }
}

/** needsNote tells whether closing needs a reason: only a case that was never replied. */
export function closeNeedsNote(c: Case): boolean {
  return !c.replied_at && !c.reply
}

/**
 * missingField names (as an i18n key under form.) what an action still needs, or null when
 * the draft can be sent. The hub checks the same; this only saves a round trip.
 */
export function missingField(action: Action, d: ActionDraft, c: Case, today: string = stationToday()): string | null {
  switch (action) {
    case 'accept':
      return d.rep_id ? null : 'rep'
    case 'assign':
      if (!d.dept_code) return 'dept'
      if (d.dueTouched && (!d.due || d.due < today)) return 'due'
      return null
    case 'reply':
      return d.reply.trim() ? null : 'reply'
    case 'return':
      return d.note.trim() ? null : 'reason'
    case 'progress':
      return d.note.trim() ? null : 'progressNote'
    case 'reopen':
      return d.note.trim() ? null : 'reopenNote'
    case 'close':
      return closeNeedsNote(c) && !d.note.trim() ? 'closeNote' : null
    case 'merge':
      return d.into.trim() ? null : 'into'
    case 'supervise':
    case 'escalate':
      return null
  }
}

/** actionRequest is the body the hub expects for an action, with the version the user saw. */
export function actionRequest(action: Action, d: ActionDraft, version: number): ActionRequest {
  const req: ActionRequest = { version }
  const note = d.note.trim()
  switch (action) {
    case 'accept':
      req.rep_id = d.rep_id
      break
    case 'assign':
      req.dept_code = d.dept_code
      if (d.dueTouched && d.due) req.due = endOfStationDay(d.due)
      break
    case 'escalate':
      if (d.to) req.to = d.to
      break
    case 'reply':
      req.reply = d.reply.trim()
      return req
    case 'merge':
      req.into = d.into.trim()
      return req
  }
  if (note) req.note = note
  return req
}

export type ActResult = 'done' | 'stale'

export const useCaseStore = defineStore('console-case', () => {
  const id = ref('')
  const detail = ref<CaseDetail | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  /** The hub's "已由 … 处理" after a 409 stale: shown until the next action succeeds. */
  const staleMessage = ref('')
  /** The resident's phone, only after an explicit (audited) reveal; forgotten on leaving. */
  const contact = ref<string | null>(null)
  const busy = ref<Action | null>(null)
  const drafts = reactive(Object.fromEntries(ACTIONS.map((a) => [a, emptyDraft()])) as Record<Action, ActionDraft>)

  const kase = computed(() => detail.value?.case ?? null)

  /** The actions in the desk's order, each with whether it is allowed and why not. */
  const actions = computed<ActionInfo[]>(() => {
    const got = new Map((detail.value?.allowed ?? []).map((a) => [a.action, a]))
    return ACTIONS.filter((a) => got.has(a)).map((a) => got.get(a) as ActionInfo)
  })

  function allowed(action: Action): boolean {
    return actions.value.some((a) => a.action === action && a.allowed)
  }

  async function load(caseId: string) {
    if (caseId !== id.value) {
      // another case: nothing typed or revealed for the last one carries over
      id.value = caseId
      detail.value = null
      contact.value = null
      staleMessage.value = ''
      for (const a of ACTIONS) drafts[a] = emptyDraft()
    }
    loading.value = true
    try {
      detail.value = await api.getCase(caseId)
      error.value = null
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  function reload() {
    return id.value ? load(id.value) : Promise.resolve()
  }

  /**
   * act sends an action with the version the user saw. A stale answer (someone acted first)
   * reloads the case and keeps the draft, so the user can look again and resend; any other
   * refusal is thrown for the dialog to show.
   */
  async function act(action: Action): Promise<ActResult> {
    const c = kase.value
    if (!c) throw new api.ApiError('not_found', '', 404)
    busy.value = action
    try {
      await api.caseAction(c.id, action, actionRequest(action, drafts[action], c.version))
      drafts[action] = emptyDraft()
      staleMessage.value = ''
      await reload()
      return 'done'
    } catch (err) {
      if (api.isApiError(err) && err.status === 409 && err.code === 'stale') {
        staleMessage.value = err.message || '已由其他人处理，请刷新'
        await reload()
        return 'stale'
      }
      throw err
    } finally {
      busy.value = null
    }
  }

  async function revealContact() {
    const c = kase.value
    if (!c) return
    contact.value = await api.revealContact(c.id)
  }

  /** A live change to the open case from someone else: show it (drafts are kept). */
  function caseChanged(ev: { id: string; version: number }) {
    const c = kase.value
    if (c && ev.id === c.id && ev.version > c.version && !busy.value) void reload()
  }

  function leave() {
    contact.value = null
  }

  return { id, detail, kase, loading, error, staleMessage, contact, busy, drafts, actions, allowed, load, reload, act, revealContact, caseChanged, leave }
})
