// The notification channels and their outbox (admin): /admin/notify/….
import { api } from './index'
import type { NotifyChannelEdit, NotifyChannelList, NotifyChannelView, OutboxList } from './types'

export async function listChannels(): Promise<NotifyChannelView[]> {
  const l = await api.get<NotifyChannelList>('/admin/notify/channels')
  return l.channels ?? []
}

/** saveChannel creates a channel (id 0) or replaces one; an empty url or secret keeps the stored one. */
export function saveChannel(id: number, edit: NotifyChannelEdit): Promise<NotifyChannelView> {
  return id ? api.put<NotifyChannelView>(`/admin/notify/channels/${id}`, edit) : api.post<NotifyChannelView>('/admin/notify/channels', edit)
}

export function deleteChannel(id: number): Promise<void> {
  return api.request<void>('DELETE', `/admin/notify/channels/${id}`)
}

/** testChannel sends the test message at once; it rejects with notify_test_failed and the reason. */
export function testChannel(id: number): Promise<void> {
  return api.post<void>(`/admin/notify/channels/${id}/test`)
}

export async function listOutbox(channel = 0): Promise<OutboxList['items']> {
  const l = await api.get<OutboxList>('/admin/notify/outbox', { query: { channel: channel || undefined } })
  return l.items ?? []
}

export function retryNotice(id: number): Promise<void> {
  return api.post<void>(`/admin/notify/outbox/${id}/retry`)
}
