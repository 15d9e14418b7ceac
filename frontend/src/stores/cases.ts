import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import { CaseDetailOf, CaseUploaded, Categories, Communities, LookupCase, MyCases, RateCase, SubmitCase } from '@/bindings/kiosk'
import { toAppError, type AppError } from '@/bindings/errors'
import type { CaseDetail, CaseInput, CaseSummary, Category, PublicCase, Rating, Receipt } from '@/bindings/models'

export interface Draft extends CaseInput {
  template: string
}

function emptyDraft(): Draft {
  return { category: '', template: '', text: '', community: '', building: '', phone: '', anonymous: false }
}

/** Minimum length of a case text, in characters (not bytes). */
export const minTextLength = 5

export const useCasesStore = defineStore('cases', () => {
  const list = ref<CaseSummary[]>([])
  const loading = ref(false)
  const error = ref<AppError | null>(null)
  const detail = ref<CaseDetail | null>(null)

  const categories = ref<Category[]>([])
  const communities = ref<string[]>([])
  // The draft outlives failed submits and validation errors; only success or
  // the end of the session clears it.
  const draft = reactive<Draft>(emptyDraft())
  const submitting = ref(false)
  const submitError = ref<AppError | null>(null)
  const receipt = ref<Receipt | null>(null)
  const rating = ref(false)
  // Whether the hub has the receipt's case: its status page (the receipt's QR) knows it only then.
  const receiptUploaded = ref(false)
  // A case opened by its receipt or number; only what the public status page shows.
  const found = ref<PublicCase | null>(null)

  async function refresh() {
    loading.value = true
    try {
      list.value = await MyCases()
      error.value = null
    } catch (err) {
      error.value = toAppError(err)
    } finally {
      loading.value = false
    }
  }

  async function openDetail(id: string) {
    if (detail.value?.summary.id !== id) detail.value = null
    try {
      detail.value = await CaseDetailOf(id)
      error.value = null
    } catch (err) {
      error.value = toAppError(err)
    }
  }

  /** onChanged answers `cases:changed`: refetch the list and the open detail if touched. */
  async function onChanged(ids: string[]) {
    const open = detail.value?.summary.id
    const tasks: Promise<unknown>[] = [refresh()]
    if (open && (ids.length === 0 || ids.includes(open))) tasks.push(openDetail(open))
    await Promise.all(tasks)
  }

  /** The case categories, for a form outside the resident's (the workbench's reception log). */
  const categoryList = () => Categories()

  async function loadForm() {
    const [cats, comms] = await Promise.all([Categories(), Communities()])
    categories.value = cats
    communities.value = comms
  }

  async function submit(): Promise<Receipt> {
    if (submitting.value) throw new Error('submit already in progress')
    submitting.value = true
    submitError.value = null
    try {
      const input: CaseInput = {
        category: draft.category,
        text: draft.text.trim(),
        community: draft.community,
        building: draft.building.trim(),
        phone: draft.phone.trim(),
        anonymous: draft.anonymous,
      }
      const r = await SubmitCase(input)
      receipt.value = r
      receiptUploaded.value = false
      Object.assign(draft, emptyDraft())
      return r
    } catch (err) {
      submitError.value = toAppError(err)
      throw submitError.value
    } finally {
      submitting.value = false
    }
  }

  async function rate(id: string, value: Rating, comment: string): Promise<CaseDetail> {
    rating.value = true
    try {
      const d = await RateCase(id, value, comment.trim())
      detail.value = d
      const i = list.value.findIndex((c) => c.id === id)
      if (i >= 0) list.value[i] = d.summary
      return d
    } catch (err) {
      throw toAppError(err)
    } finally {
      rating.value = false
    }
  }

  /** checkUploaded asks Go whether the receipt's case reached the hub. */
  async function checkUploaded() {
    const r = receipt.value
    if (!r || receiptUploaded.value) return
    receiptUploaded.value = await CaseUploaded(r.caseId).catch(() => false)
  }

  /** lookup opens a case by its number and, from a scanned receipt, its token. */
  async function lookup(number: string, token: string): Promise<PublicCase> {
    found.value = null
    const p = await LookupCase(number, token)
    found.value = p
    return p
  }

  function resetDraft() {
    Object.assign(draft, emptyDraft())
    submitError.value = null
  }

  /** reset forgets everything personal; called when the session ends. */
  function reset() {
    list.value = []
    detail.value = null
    error.value = null
    receipt.value = null
    receiptUploaded.value = false
    found.value = null
    resetDraft()
  }

  return {
    list, loading, error, detail, categories, communities, draft, submitting, submitError, receipt, rating, categoryList,
    receiptUploaded, found,
    refresh, openDetail, onChanged, loadForm, submit, rate, checkUploaded, lookup, resetDraft, reset,
  }
})
