// The phone workspace's calls to the hub: the console's client (same session cookie and
// CSRF token) and the representative's endpoints under /api/v1/rep/.
import { api } from '@/console/api'
import type { RepActivity, RepActivityList, RepBadge, RepCaseDetail, RepCaseList, RepNote, RepProfile, RepView } from '@/console/api/types'

export { api, isApiError, isAbort } from '@/console/api'

const enc = encodeURIComponent

export function repMe(): Promise<RepProfile> {
  return api.get<RepProfile>('/rep/me')
}

export function repCases(view: RepView, signal?: AbortSignal): Promise<RepCaseList> {
  return api.get<RepCaseList>('/rep/cases', { query: { view }, signal })
}

export function repCase(id: string, signal?: AbortSignal): Promise<RepCaseDetail> {
  return api.get<RepCaseDetail>(`/rep/cases/${enc(id)}`, { signal })
}

export function claimCase(id: string): Promise<RepCaseDetail> {
  return api.post<RepCaseDetail>(`/rep/cases/${enc(id)}/claim`)
}

export function addNote(id: string, note: RepNote): Promise<RepCaseDetail> {
  return api.post<RepCaseDetail>(`/rep/cases/${enc(id)}/notes`, note)
}

export async function repActivities(signal?: AbortSignal): Promise<RepActivity[]> {
  return (await api.get<RepActivityList>('/rep/activities', { signal })).activities ?? []
}

export function signUp(id: string, cancel = false): Promise<RepActivity> {
  return api.post<RepActivity>(`/rep/activities/${enc(id)}/${cancel ? 'cancel' : 'signup'}`)
}

export function repBadge(signal?: AbortSignal): Promise<RepBadge> {
  return api.get<RepBadge>('/rep/badge', { signal })
}

/** The badge's QR image; the page adds a changing query so the browser fetches it afresh. */
export const BADGE_IMAGE_URL = api.url('/rep/badge.png')
