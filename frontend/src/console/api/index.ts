// The console's API: one client for the page, and a typed function per endpoint of the
// contract. Stores call these; views never call fetch.
import { ApiClient, isApiError, type Query } from './client'
import type {
  Action,
  Board,
  CalendarEdit,
  CalendarYearView,
  AdminRefList,
  AdminRefSaved,
  CopyWeek,
  CopyWeekResult,
  DutySwap,
  DutySwapList,
  SwapDecision,
  ImportKind,
  ImportPreview,
  RefItem,
  RefKindName,
  ActionRequest,
  BulkResult,
  CaseDetail,
  CaseList,
  Monthly,
  NewUser,
  RefLists,
  Session,
  User,
} from './types'

export { ApiClient, ApiError, isApiError, isAbort, queryString, API_BASE } from './client'
export type { ApiProblem, Query } from './client'

/** The page's client; main.ts sets onUnauthorized once the router exists. */
export const api = new ApiClient()

const enc = encodeURIComponent

export async function login(loginName: string, password: string): Promise<Session> {
  const s = await api.post<Session>('/login', { login: loginName, password }, { redirectOn401: false })
  api.csrf = s.csrf
  return s
}

export async function logout(): Promise<void> {
  await api.post<void>('/logout', undefined, { redirectOn401: false })
  api.csrf = ''
}

/** me restores a session at start; a 401 here only means "not logged in". */
export async function me(): Promise<Session> {
  const s = await api.get<Session>('/me', { redirectOn401: false })
  api.csrf = s.csrf
  return s
}

export function changeOwnPassword(old: string, next: string): Promise<void> {
  return api.post<void>('/me/password', { old, new: next })
}

export async function listUsers(): Promise<User[]> {
  return (await api.get<{ users: User[] }>('/users')).users ?? []
}

export async function createUser(u: NewUser): Promise<User> {
  return (await api.post<{ user: User }>('/users', u)).user
}

export function disableUser(loginName: string): Promise<void> {
  return api.post<void>(`/users/${enc(loginName)}/disable`)
}

export function resetPassword(loginName: string, password: string): Promise<void> {
  return api.post<void>(`/users/${enc(loginName)}/password`, { password })
}

export function refLists(): Promise<RefLists> {
  return api.get<RefLists>('/ref')
}

export function listCases(query: Query, signal?: AbortSignal): Promise<CaseList> {
  return api.get<CaseList>('/cases', { query, signal })
}

export function getCase(id: string, signal?: AbortSignal): Promise<CaseDetail> {
  return api.get<CaseDetail>(`/cases/${enc(id)}`, { signal })
}

export function caseAction(id: string, action: Action, req: ActionRequest): Promise<unknown> {
  return api.post<unknown>(`/cases/${enc(id)}/${action}`, req)
}

export async function bulkAssign(ids: string[], deptCode: string, due?: string): Promise<BulkResult[]> {
  const body: { ids: string[]; dept_code: string; due?: string } = { ids, dept_code: deptCode }
  if (due) body.due = due
  return (await api.post<{ results: BulkResult[] }>('/cases/bulk/assign', body)).results ?? []
}

export async function revealContact(id: string): Promise<string> {
  return (await api.post<{ phone: string }>(`/cases/${enc(id)}/contact`)).phone
}

/** The figures of an area ("" for the account's own) and of each area beneath it. */
export function board(node: string, signal?: AbortSignal): Promise<Board> {
  return api.get<Board>('/board', { query: { node }, signal })
}

/** The monthly report of an area ("" for the account's own). */
export function monthlyReport(month: string, node = ''): Promise<Monthly> {
  return api.get<Monthly>('/reports/monthly', { query: { month, node } })
}

/** exportUrl is a plain link to the 问题清单 of the given filters. */
export function exportUrl(format: 'xlsx' | 'csv', query: Query): string {
  return api.url(`/cases/export.${format}`, query)
}

/** listRefs is every item of a reference kind, retired ones included. */
export async function listRefs(kind: RefKindName, query: Query = {}): Promise<RefItem[]> {
  return (await api.get<AdminRefList>(`/admin/ref/${enc(kind)}`, { query })).items ?? []
}

export function getRef(kind: RefKindName, key: string): Promise<RefItem> {
  return api.get<RefItem>(`/admin/ref/${enc(kind)}/${enc(key)}`)
}

/** putRef writes the whole item; create refuses a key that already exists (ref_duplicate). */
export function putRef(kind: RefKindName, key: string, item: RefItem, create = false): Promise<AdminRefSaved> {
  return api.put<AdminRefSaved>(`/admin/ref/${enc(kind)}/${enc(key)}`, item, { query: { create } })
}

export function retireRef(kind: RefKindName, key: string): Promise<RefItem> {
  return api.post<RefItem>(`/admin/ref/${enc(kind)}/${enc(key)}/retire`)
}

export function restoreRef(kind: RefKindName, key: string): Promise<RefItem> {
  return api.post<RefItem>(`/admin/ref/${enc(kind)}/${enc(key)}/restore`)
}

/** uploadRepPhoto sends a JPEG or PNG; the hub resizes it and answers with the representative. */
export function uploadRepPhoto(id: string, file: Blob, name = 'photo'): Promise<RefItem> {
  const form = new FormData()
  form.append('photo', file, name)
  return api.post<RefItem>(`/admin/representatives/${enc(id)}/photo`, form)
}

/** repQrUrl is the image of a representative's 扫码找代表 QR (the hub's public page of them). */
export function repQrUrl(id: string): string {
  return api.url(`/admin/representatives/${enc(id)}/qr.png`)
}

/** listDutySwaps lists the representatives' duty swap requests, newest first; state filters. */
export async function listDutySwaps(state = ''): Promise<DutySwap[]> {
  return (await api.get<DutySwapList>('/duty/swaps', { query: state ? { state } : {} })).swaps ?? []
}

/**
 * decideDutySwap approves or rejects a swap request. On approval, replacement names who takes
 * the day: null for the colleague the request named, '' for nobody (the requester is only
 * taken off the day).
 */
export function decideDutySwap(id: number, approve: boolean, replacement: string | null, note: string): Promise<DutySwap> {
  const body: SwapDecision = { replacement: approve ? replacement : null, note }
  return api.post<DutySwap>(`/duty/swaps/${id}/${approve ? 'approve' : 'reject'}`, body)
}

/** copyDutyWeek copies a station's roster of the week starting Monday `from` to the week starting `to`. */
export async function copyDutyWeek(station: string, from: string, to: string): Promise<number> {
  const body: CopyWeek = { station, from, to }
  return (await api.post<CopyWeekResult>('/admin/duty/copy-week', body)).copied ?? 0
}

/**
 * importFile sends a spreadsheet of reference data. With dryRun the hub only checks it and
 * answers what importing would do; without, it records the whole file or nothing. A refused
 * write (import_refused) is answered by checking the file again, so the caller always gets the
 * rows and every problem.
 */
export async function importFile(kind: ImportKind, file: Blob, name: string, dryRun: boolean): Promise<ImportPreview> {
  const form = new FormData()
  form.append('file', file, name)
  try {
    return await api.post<ImportPreview>(`/admin/import/${enc(kind)}`, form, { query: { dry_run: dryRun } })
  } catch (err) {
    if (dryRun || !isApiError(err) || err.code !== 'import_refused') throw err
    return importFile(kind, file, name, true)
  }
}

/** The kind's XLSX template, a link the browser downloads itself. */
export function importTemplateUrl(kind: ImportKind): string {
  return api.url(`/admin/import/${enc(kind)}/template.xlsx`)
}

export const EVENTS_URL = `${api.base}/events/stream`

/** The working-day calendar of a year (the current one when year is left out). */
export function getCalendar(year?: number, signal?: AbortSignal): Promise<CalendarYearView> {
  return api.get<CalendarYearView>('/admin/calendar', { query: { year }, signal })
}

/** saveCalendar records a year's whole calendar; a refusal is an ApiError with its problems. */
export function saveCalendar(year: number, edit: CalendarEdit): Promise<CalendarYearView> {
  return api.put<CalendarYearView>(`/admin/calendar/${year}`, edit)
}
