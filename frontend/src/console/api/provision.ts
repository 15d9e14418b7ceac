// The setup area's devices, badges and station-update endpoints (admin): GET/POST
// /admin/devices …, /admin/badges …, /admin/updates.
import { api } from './index'
import type { AdminBadge, BadgeIssue, BadgeList, DeviceList, NewDevice, NewPairing, PublishedUpdate, UpdateList } from './types'

const enc = encodeURIComponent

export async function listDevices(): Promise<DeviceList> {
  const l = await api.get<DeviceList>('/admin/devices')
  return { devices: l.devices ?? [], pending: l.pending ?? [], now: l.now }
}

/** addDevice makes a one-time pairing code for a device of the station in the role. */
export function addDevice(req: NewDevice): Promise<NewPairing> {
  return api.post<NewPairing>('/admin/devices', req)
}

export function revokeDevice(id: string): Promise<void> {
  return api.post<void>(`/admin/devices/${enc(id)}/revoke`)
}

/** repairDevice revokes the device and answers a code for one of the same station, role and name. */
export function repairDevice(id: string): Promise<NewPairing> {
  return api.post<NewPairing>(`/admin/devices/${enc(id)}/repair`)
}

export function cancelPairing(id: number): Promise<void> {
  return api.post<void>(`/admin/devices/pairing/${id}/cancel`)
}

export async function listBadges(): Promise<AdminBadge[]> {
  return (await api.get<BadgeList>('/admin/badges')).badges ?? []
}

export function issueBadge(req: BadgeIssue): Promise<AdminBadge> {
  return api.post<AdminBadge>('/admin/badges', req)
}

export function revokeBadge(serial: string, reason: string): Promise<void> {
  return api.post<void>(`/admin/badges/${enc(serial)}/revoke`, { reason })
}

export function reissueBadge(serial: string, reason = ''): Promise<AdminBadge> {
  return api.post<AdminBadge>(`/admin/badges/${enc(serial)}/reissue`, { reason })
}

/** badgeSheetUrl is the printable PDF of the badges named, or of every badge in force. */
export function badgeSheetUrl(serials: string[] = []): string {
  return api.url('/admin/badges/sheet.pdf', { ids: serials.join(',') })
}

/** listUpdates says whether the hub takes station updates and what it serves per architecture. */
export async function listUpdates(): Promise<UpdateList> {
  const l = await api.get<UpdateList>('/admin/updates')
  return { enabled: l.enabled, served: l.served ?? [] }
}

/** publishUpdate uploads a station package and its signature; the hub verifies both before it serves them. */
export function publishUpdate(pkg: Blob, pkgName: string, sig: Blob, sigName: string): Promise<PublishedUpdate> {
  const form = new FormData()
  form.append('package', pkg, pkgName)
  form.append('signature', sig, sigName)
  return api.post<PublishedUpdate>('/admin/updates', form)
}
