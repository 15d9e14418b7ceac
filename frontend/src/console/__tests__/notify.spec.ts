import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import NotifyView from '../setup/NotifyView.vue'
import { bodyOf, editOf, emptyEdit } from '../setup/notify'
import { visiblePages } from '../setup/pages'
import type { NotifyChannelView, OutboxEntry } from '../api/types'
import zh from '../i18n/notify.zh-CN'
import en from '../i18n/notify.en'
import { adminUser, consolePage, fakeHub, json } from './helpers'

const ref = {
  stations: [{ code: 'HX01', name: '和谐街道人大代表联络站', communities: ['幸福里社区', '长青社区'] }],
  departments: [],
  categories: [],
  representatives: [],
}

const ding: NotifyChannelView = {
  id: 3, name: '工委钉钉群', kind: 'dingtalk', enabled: true, url_masked: 'https://oapi.dingtalk.com/robot/send?access_token=…6789',
  secret_set: true, notices: ['new_case', 'deadline'], stations: [], communities: ['幸福里社区'], lead_hours: 4,
  smtp_host: '', smtp_port: 0, smtp_mode: '', smtp_user: '', mail_from: '', mail_to: [],
  pending: 1, sent: 5, dead: 1, last_error: 'HTTP 502',
}

const dead: OutboxEntry = {
  id: 11, channel: 3, channel_name: '工委钉钉群', kind: 'new_case', title: '新诉求 HX01-K1-20261205-0001', state: 'dead',
  attempts: 8, next_at: '2026-12-05T03:00:00Z', last_error: 'HTTP 502', created: '2026-12-05T02:00:00Z',
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
})
afterEach(() => {
  vi.useRealTimers()
})
const page = consolePage(adminUser)
const open = () => page.open(NotifyView, '/setup/notify')
const body = () => document.body

function routes() {
  const hub = fakeHub()
  hub.on('GET', '/api/v1/ref', () => json(ref))
  hub.on('GET', '/api/v1/admin/notify/channels', () => json({ channels: [ding] }))
  hub.on('GET', '/api/v1/admin/notify/outbox', () => json({ items: [dead] }))
  return hub
}

describe('notifications page', () => {
  it('is in the setup menu for admins only', () => {
    expect(visiblePages('admin').map((p) => p.path)).toContain('notify')
    expect(visiblePages('staff').map((p) => p.path)).not.toContain('notify')
  })

  it('has the same keys in both languages', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })

  it('shows each channel with its delivery state and the outbox, and retries a dead notice', async () => {
    const hub = routes()
    hub.on('POST', '/api/v1/admin/notify/outbox/11/retry', () => json(null, 204))
    const w = await open()
    const row = w.get('[data-testid="notify-channel"][data-id="3"]')
    expect(row.text()).toContain('钉钉群机器人')
    expect(row.text()).toContain('access_token=…6789')
    expect(row.text()).toContain('新诉求、即将到期')
    expect(row.text()).toContain('幸福里社区')
    expect(row.get('[data-testid="notify-counts"]').text()).toBe('待发 1 · 已发 5 · 放弃 1')
    expect(row.get('[data-testid="notify-last-error"]').text()).toContain('HTTP 502')
    const ob = w.get('[data-testid="notify-outbox-row"]')
    expect(ob.attributes('data-state')).toBe('dead')
    expect(ob.text()).toContain('已放弃')
    await ob.get('[data-testid="notify-retry"]').trigger('click')
    await flushPromises()
    expect(hub.callsTo('/api/v1/admin/notify/outbox/11/retry')).toHaveLength(1)
  })

  it('sends a test message and says why it did not arrive', async () => {
    const hub = routes()
    hub.on('POST', '/api/v1/admin/notify/channels/3/test', () =>
      json({ code: 'notify_test_failed', message: '测试消息未送达：errcode 310000: sign not match', params: { reason: 'errcode 310000: sign not match' } }, 502),
    )
    const w = await open()
    await w.get('[data-testid="notify-test"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="notify-action-error"]').text()).toBe('测试消息未送达：errcode 310000: sign not match')
  })

  it('edits a channel without sending back its address or secret, and names a wrong field', async () => {
    const hub = routes()
    let answer = json({ code: 'notify_channel_invalid', message: '通知通道设置有误：lead_hours', params: { field: 'lead_hours' } }, 400)
    hub.on('PUT', '/api/v1/admin/notify/channels/3', () => answer)
    const w = await open()
    await w.get('[data-testid="notify-edit"]').trigger('click')
    const secret = body().querySelector<HTMLInputElement>('[data-testid="notify-secret"]')!
    expect(secret.value).toBe('')
    expect(secret.placeholder).toBe('已设置，留空则保留')
    expect(body().querySelector<HTMLInputElement>('[data-testid="notify-url"]')!.value).toBe('')
    const form = body().querySelector<HTMLFormElement>('[data-testid="notify-dialog"] form')!
    form.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(body().querySelector('[data-testid="notify-form-error"]')?.textContent).toBe('请检查「提前提醒（小时）」')

    answer = json(ding)
    form.dispatchEvent(new Event('submit'))
    await flushPromises()
    const sent = hub.callsTo('/api/v1/admin/notify/channels/3').at(-1)?.body
    expect(sent).toMatchObject({ name: '工委钉钉群', kind: 'dingtalk', url: '', secret: '', clear_secret: false, communities: ['幸福里社区'], lead_hours: 4 })
  })
})

describe('channel form', () => {
  it('sends only the fields of its kind', () => {
    const mail = bodyOf({ ...emptyEdit('smtp'), name: ' 邮箱 ', url: 'https://x', smtp_host: ' smtp.example.cn ', mail_to: [' a@example.cn ', ''] })
    expect(mail).toMatchObject({ name: '邮箱', url: '', smtp_host: 'smtp.example.cn', smtp_mode: 'starttls', mail_to: ['a@example.cn'], lead_hours: 0 })
    const hook = bodyOf({ ...editOf(ding), smtp_host: 'left over', url: ' https://oapi.dingtalk.com/robot/send?access_token=new ' })
    expect(hook).toMatchObject({ url: 'https://oapi.dingtalk.com/robot/send?access_token=new', smtp_host: '', smtp_mode: '', lead_hours: 4 })
  })
})
