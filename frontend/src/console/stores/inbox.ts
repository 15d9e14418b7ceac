import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import * as api from '../api'
import type { Query } from '../api'
import { TABS, type CaseEvent, type CaseFilters, type CaseRow, type Tab, type CaseList } from '../api/types'

export const DEFAULT_PER_PAGE = 50
export const PER_PAGE_CHOICES = [20, 50, 100, 200] as const
/** Bursts of changes (a kiosk batch arriving after an outage) become one refresh. */
export const REFRESH_DEBOUNCE_MS = 500

/** The order in which the desk's work is urgent: the inbox opens on the first that has any. */
export const TAB_PRIORITY: readonly Tab[] = ['overdue', 'due_today', 'to_accept', 'to_assign', 'returned', 'awaiting_rating']

const FILTER_KEYS = ['state', 'dept', 'category', 'community', 'rep', 'station', 'node', 'q'] as const

export function emptyFilters(): CaseFilters {
  return { state: '', dept: '', category: '', community: '', rep: '', station: '', node: '', overdue: false, escalated: false, q: '' }
}

/** filterQuery is the filters as the API names them (also the export's query). */
export function filterQuery(f: CaseFilters, tab: Tab): Query {
  return {
    tab: tab === 'all' ? '' : tab,
    state: f.state,
    dept: f.dept,
    category: f.category,
    community: f.community,
    rep: f.rep,
    station: f.station,
    node: f.node,
    overdue: f.overdue,
    escalated: f.escalated,
    q: f.q.trim(),
  }
}

/** listQuery is the query of GET /cases for a page of the current view. */
export function listQuery(f: CaseFilters, tab: Tab, page: number, perPage: number): Query {
  return {
    ...filterQuery(f, tab),
    page: page > 1 ? page : '',
    per_page: perPage !== DEFAULT_PER_PAGE ? perPage : '',
  }
}

/** The first tab, by urgency, that has work in it; "all" when nothing is waiting. */
export function firstBusyTab(counts: CaseList['counts']): Tab {
  return TAB_PRIORITY.find((t) => (counts[t] ?? 0) > 0) ?? 'all'
}

export function isTab(v: unknown): v is Tab {
  return typeof v === 'string' && (TABS as readonly string[]).includes(v)
}

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

const first = (v: RouteQuery[string]): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))

/** The view the address names: filters, tab (null when it names none), page, page size. */
export function parseRouteQuery(q: RouteQuery): { filters: CaseFilters; tab: Tab | null; page: number; perPage: number } {
  const filters = emptyFilters()
  for (const k of FILTER_KEYS) filters[k] = first(q[k])
  filters.overdue = first(q.overdue) === '1'
  filters.escalated = first(q.escalated) === '1'
  const tab = first(q.tab)
  const page = Number.parseInt(first(q.page), 10)
  const perPage = Number.parseInt(first(q.per_page), 10)
  return {
    filters,
    tab: isTab(tab) ? tab : null,
    page: Number.isFinite(page) && page > 0 ? page : 1,
    perPage: (PER_PAGE_CHOICES as readonly number[]).includes(perPage) ? perPage : DEFAULT_PER_PAGE,
  }
}

/** The address of the current view, so a reload, a link or a re-login lands on it again. */
export function toRouteQuery(f: CaseFilters, tab: Tab, page: number, perPage: number, explicitAll = true): Record<string, string> {
  const q = listQuery(f, tab, page, perPage)
  if (tab === 'all' && explicitAll) q.tab = 'all' // "all" chosen on purpose, not "open on what needs doing"
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(q)) {
    if (v === '' || v === false || v === undefined || v === null) continue
    out[k] = v === true ? '1' : String(v)
  }
  return out
}

export const useInboxStore = defineStore('console-inbox', () => {
  const filters = reactive<CaseFilters>(emptyFilters())
  const tab = ref<Tab>('all')
  const page = ref(1)
  const perPage = ref(DEFAULT_PER_PAGE)

  const rows = ref<CaseRow[]>([])
  const total = ref(0)
  const counts = ref<CaseList['counts']>({})
  const loading = ref(false)
  const error = ref<unknown>(null)
  const loadedOnce = ref(false)

  /** Checked rows (bulk 交办), by id. */
  const selected = ref<string[]>([])
  /** The keyboard's row (j/k), an index into rows. */
  const cursor = ref(0)
  /** Rows changed or added by live updates since the user last looked. */
  const fresh = ref<string[]>([])

  const totalPages = computed(() => Math.max(1, Math.ceil(total.value / perPage.value)))
  const exportQuery = computed(() => filterQuery(filters, tab.value))
  /**
   * true while the tab was not chosen (open() is finding the urgent one, or found none): the
   * address then names no tab, so coming back to it looks for what needs doing again.
   */
  const tabImplicit = ref(false)
  const routeQuery = computed(() => toRouteQuery(filters, tab.value, page.value, perPage.value, !tabImplicit.value))
  const current = computed<CaseRow | undefined>(() => rows.value[cursor.value])

  let controller: AbortController | null = null

  /** load fetches the current page and the tab counts; a newer load cancels an older one. */
  async function load(opts: { silent?: boolean } = {}): Promise<boolean> {
    controller?.abort()
    const c = new AbortController()
    controller = c
    if (!opts.silent) loading.value = true
    try {
      const before = new Set(rows.value.map((r) => r.id))
      const res = await api.listCases(listQuery(filters, tab.value, page.value, perPage.value), c.signal)
      if (c !== controller) return false
      rows.value = res.cases ?? []
      total.value = res.total ?? 0
      counts.value = res.counts ?? {}
      error.value = null
      if (opts.silent && loadedOnce.value) {
        // A case that appeared on this page since the last look is new to the user too.
        for (const r of rows.value) if (!before.has(r.id)) markFresh(r.id)
      }
      loadedOnce.value = true
      const ids = new Set(rows.value.map((r) => r.id))
      selected.value = selected.value.filter((id) => ids.has(id))
      fresh.value = fresh.value.filter((id) => ids.has(id) || pendingFresh.has(id))
      if (cursor.value >= rows.value.length) cursor.value = Math.max(0, rows.value.length - 1)
      return true
    } catch (err) {
      if (api.isAbort(err)) return false
      if (c === controller) error.value = err
      return false
    } finally {
      if (c === controller) {
        loading.value = false
        controller = null
      }
    }
  }

  /**
   * open shows the view an address names. With no tab it first asks for the counts and then
   * opens on the most urgent tab that has work: the desk opens on what needs doing now.
   */
  async function open(q: RouteQuery) {
    const v = parseRouteQuery(q)
    Object.assign(filters, v.filters)
    page.value = v.page
    perPage.value = v.perPage
    tab.value = v.tab ?? 'all'
    tabImplicit.value = v.tab === null
    const ok = await load()
    if (ok && v.tab === null) {
      const busy = firstBusyTab(counts.value)
      if (busy !== 'all') {
        tabImplicit.value = false
        tab.value = busy
        page.value = 1
        await load()
      }
    }
  }

  function setTab(t: Tab) {
    tabImplicit.value = false
    tab.value = t
    page.value = 1
    cursor.value = 0
    return load()
  }

  /** applyFilters reloads from page 1 after the filters changed. */
  function applyFilters() {
    page.value = 1
    cursor.value = 0
    return load()
  }

  function clearFilters() {
    Object.assign(filters, emptyFilters())
    return applyFilters()
  }

  function setPage(p: number) {
    page.value = Math.min(Math.max(1, p), totalPages.value)
    cursor.value = 0
    return load()
  }

  function setPerPage(n: number) {
    perPage.value = n
    page.value = 1
    return load()
  }

  // Live updates: each `case` event is remembered and a refresh of the current page and the
  // counts runs once the burst is over.
  let timer: ReturnType<typeof setTimeout> | null = null
  const pendingFresh = new Set<string>()

  function markFresh(id: string) {
    if (!fresh.value.includes(id)) fresh.value = [...fresh.value, id]
  }

  /** Set while the inbox is on screen; it reloads when it comes back, so hidden, it waits. */
  const active = ref(false)

  function caseChanged(ev: Pick<CaseEvent, 'id'> | null) {
    if (!active.value) return
    if (ev?.id) pendingFresh.add(ev.id)
    if (timer) clearTimeout(timer)
    timer = setTimeout(flush, REFRESH_DEBOUNCE_MS)
  }

  async function flush() {
    timer = null
    const ids = [...pendingFresh]
    pendingFresh.clear()
    await load({ silent: true })
    const onPage = new Set(rows.value.map((r) => r.id))
    for (const id of ids) if (onPage.has(id)) markFresh(id)
  }

  function clearFresh() {
    fresh.value = []
  }

  function stopLive() {
    if (timer) clearTimeout(timer)
    timer = null
    pendingFresh.clear()
  }

  function toggle(id: string) {
    selected.value = selected.value.includes(id) ? selected.value.filter((x) => x !== id) : [...selected.value, id]
  }

  const allSelected = computed(() => rows.value.length > 0 && rows.value.every((r) => selected.value.includes(r.id)))

  function toggleAll() {
    selected.value = allSelected.value ? [] : rows.value.map((r) => r.id)
  }

  function clearSelection() {
    selected.value = []
  }

  function moveCursor(delta: number) {
    if (rows.value.length === 0) return
    cursor.value = Math.min(Math.max(0, cursor.value + delta), rows.value.length - 1)
  }

  return {
    filters,
    tab,
    page,
    perPage,
    rows,
    total,
    counts,
    loading,
    error,
    loadedOnce,
    active,
    selected,
    cursor,
    fresh,
    totalPages,
    exportQuery,
    routeQuery,
    current,
    allSelected,
    load,
    open,
    setTab,
    applyFilters,
    clearFilters,
    setPage,
    setPerPage,
    caseChanged,
    clearFresh,
    stopLive,
    toggle,
    toggleAll,
    clearSelection,
    moveCursor,
  }
})
