// What the 通知 page edits: a channel's form from its view, and the form back as the body the
// hub takes. Address and secret start empty on an edit: the hub keeps the stored ones then.
import type { NotifyChannelEdit, NotifyChannelView, NotifyKind } from '../api/types'

export function emptyEdit(kind: NotifyKind = 'dingtalk'): NotifyChannelEdit {
  return {
    name: '', kind, enabled: true, url: '', secret: '', clear_secret: false,
    notices: ['new_case'], stations: [], communities: [], lead_hours: 4,
    smtp_host: '', smtp_port: 0, smtp_mode: 'starttls', smtp_user: '', mail_from: '', mail_to: [],
  }
}

export function editOf(v: NotifyChannelView): NotifyChannelEdit {
  return {
    name: v.name, kind: v.kind, enabled: v.enabled, url: '', secret: '', clear_secret: false,
    notices: [...v.notices], stations: [...v.stations], communities: [...v.communities], lead_hours: v.lead_hours || 4,
    smtp_host: v.smtp_host, smtp_port: v.smtp_port, smtp_mode: v.smtp_mode || 'starttls', smtp_user: v.smtp_user,
    mail_from: v.mail_from, mail_to: [...v.mail_to],
  }
}

/** bodyOf is the form as the hub takes it: only the kind's own fields, texts trimmed. */
export function bodyOf(e: NotifyChannelEdit): NotifyChannelEdit {
  const hook = e.kind !== 'smtp'
  return {
    ...e,
    name: e.name.trim(),
    url: hook ? e.url.trim() : '',
    lead_hours: e.notices.includes('deadline') ? e.lead_hours : 0,
    smtp_host: hook ? '' : e.smtp_host.trim(),
    smtp_port: hook ? 0 : e.smtp_port,
    smtp_mode: hook ? '' : e.smtp_mode,
    smtp_user: hook ? '' : e.smtp_user.trim(),
    mail_from: hook ? '' : e.mail_from.trim(),
    mail_to: hook ? [] : e.mail_to.map((s) => s.trim()).filter(Boolean),
  }
}

/** toggle adds or removes one value of a list. */
export function toggle<T>(list: T[], v: T, on: boolean): T[] {
  const rest = list.filter((x) => x !== v)
  return on ? [...rest, v] : rest
}
