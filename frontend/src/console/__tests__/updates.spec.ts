import { describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import UpdatesView from '../setup/UpdatesView.vue'
import DevicesView from '../setup/DevicesView.vue'
import { behindServed, compareVersions } from '../setup/updates'
import { visiblePages } from '../setup/pages'
import { UPDATE_ERRORS, type AdminDevice, type PublishedUpdate, type UpdateList } from '../api/types'
import { createConsoleI18n } from '../i18n'
import zh from '../i18n/provision.zh-CN'
import en from '../i18n/provision.en'
import { adminUser, consolePage, fakeHub, json } from './helpers'

const amd64: PublishedUpdate = {
  package: 'liaison-station', version: '1.5.0', arch: 'amd64', size: 35 * 2 ** 20,
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
}
const served = (...s: PublishedUpdate[]): UpdateList => ({ enabled: true, served: s })

const page = consolePage(adminUser)
const body = () => document.body

async function choose(w: VueWrapper, testid: string, name: string) {
  const input = w.get(`[data-testid="${testid}"]`)
  Object.defineProperty(input.element, 'files', { value: [new File([name], name)], configurable: true })
  await input.trigger('change')
}

describe('station updates page', () => {
  it('is in the setup menu for admins only', () => {
    expect(visiblePages('admin').map((p) => p.path)).toContain('updates')
    expect(visiblePages('staff').map((p) => p.path)).not.toContain('updates')
  })

  it('shows what the hub serves per architecture', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/updates', () => json(served(amd64, { ...amd64, arch: 'arm64', version: '1.4.0' })))
    const w = await page.open(UpdatesView, '/setup/updates')
    const rows = w.findAll('[data-testid="updates-served-row"]')
    expect(rows.map((r) => r.attributes('data-arch'))).toEqual(['amd64', 'arm64'])
    expect(rows[0]!.text()).toContain('1.5.0')
    expect(rows[0]!.text()).toContain('35 MB')
    expect(rows[0]!.text()).toContain(amd64.sha256)
    expect(rows[1]!.text()).toContain('1.4.0')
  })

  it('says when nothing is published, and when the hub takes no updates', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/updates', () => json(served()))
    let w = await page.open(UpdatesView, '/setup/updates')
    expect(w.get('[data-testid="updates-none"]').text()).toBe('尚未发布任何更新')
    w.unmount()
    hub.on('GET', '/api/v1/admin/updates', () => json({ enabled: false, served: [] }))
    w = await page.open(UpdatesView, '/setup/updates')
    expect(w.get('[data-testid="updates-off"]').text()).toContain('尚未设置信任的更新密钥')
    expect(w.find('[data-testid="updates-served"]').exists()).toBe(false)
  })

  it('uploads the package and its signature and shows the verified manifest', async () => {
    const hub = fakeHub()
    let list = served()
    hub.on('GET', '/api/v1/admin/updates', () => json(list))
    hub.on('POST', '/api/v1/admin/updates', () => {
      list = served(amd64)
      return json(amd64, 201)
    })
    const w = await page.open(UpdatesView, '/setup/updates')
    const submit = w.get('[data-testid="updates-submit"]')
    expect(submit.attributes('disabled')).toBeDefined()
    await choose(w, 'updates-package', 'liaison-station_1.5.0_amd64.deb')
    expect(submit.attributes('disabled')).toBeDefined() // the signature is still missing
    await choose(w, 'updates-signature', 'liaison-station_1.5.0_amd64.deb.sig')
    expect(w.get('[data-testid="updates-submit"]').attributes('disabled')).toBeUndefined()
    await w.get('[data-testid="updates-form"]').trigger('submit')
    await new Promise((r) => setTimeout(r))
    await w.vm.$nextTick()

    const posts = hub.fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST')
    expect(posts).toHaveLength(1)
    const form = posts[0]![1]!.body as FormData
    expect((form.get('package') as File).name).toBe('liaison-station_1.5.0_amd64.deb')
    expect((form.get('signature') as File).name).toBe('liaison-station_1.5.0_amd64.deb.sig')

    const done = w.get('[data-testid="updates-published"]')
    expect(done.text()).toContain('已核验并发布：amd64 版本 1.5.0')
    expect(w.get('[data-testid="updates-published-version"]').text()).toBe('1.5.0')
    expect(w.get('[data-testid="updates-published-sha256"]').text()).toBe(amd64.sha256)
    expect(done.text()).toContain(`（${amd64.size}）`)
    // the served list is fetched again and the form is emptied
    expect(w.findAll('[data-testid="updates-served-row"]').map((r) => r.attributes('data-arch'))).toEqual(['amd64'])
    expect(w.get('[data-testid="updates-submit"]').attributes('disabled')).toBeDefined()
  })

  it.each([
    [{ code: 'update_not_newer', message: 'hub text', params: { version: '1.4.9', latest: '1.5.0' } }, 409, '版本 1.4.9 不比已发布的 1.5.0 新，更新未发布。'],
    [{ code: 'update_signature_invalid', message: 'hub text' }, 422, '签名无法用本中心信任的更新密钥验证'],
    [{ code: 'update_digest_mismatch', message: 'hub text' }, 422, '安装包与签名中记录的大小或校验值不符'],
  ])('words a refusal in Chinese (%o)', async (answer, status, want) => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/updates', () => json(served(amd64)))
    hub.on('POST', '/api/v1/admin/updates', () => json(answer, status))
    const w = await page.open(UpdatesView, '/setup/updates')
    await choose(w, 'updates-package', 'a.deb')
    await choose(w, 'updates-signature', 'a.deb.sig')
    await w.get('[data-testid="updates-form"]').trigger('submit')
    await new Promise((r) => setTimeout(r))
    await w.vm.$nextTick()
    expect(w.get('[data-testid="updates-error"]').text()).toContain(want)
    expect(w.find('[data-testid="updates-published"]').exists()).toBe(false)
  })
})

describe('update error codes in the catalogues', () => {
  it('words every code the hub refuses an update with, in both languages', () => {
    for (const code of UPDATE_ERRORS) {
      expect((zh.errors as Record<string, string>)[code], code).toBeTruthy()
      expect((en.errors as Record<string, string>)[code], code).toBeTruthy()
    }
  })

  it('fills in the versions', () => {
    expect(createConsoleI18n('en').global.t('errors.update_not_newer', { version: '1.4.9', latest: '1.5.0' })).toBe(
      'Version 1.4.9 is not newer than the published 1.5.0; nothing was published.',
    )
  })
})

describe('devices behind the served version', () => {
  function device(id: string, version: string, extra: Partial<AdminDevice> = {}): AdminDevice {
    return {
      id, name: `设备${id}`, station: 'HX01', station_name: '和谐街道人大代表联络站', role: 'kiosk', code: id,
      version, revoked: false, created: '2026-11-01T02:00:00Z', last_seen: '', health: null, warnings: [], ...extra,
    } as AdminDevice
  }

  it('marks them, counts them and can show only them', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/devices', () =>
      json({
        devices: [device('a', '1.5.0'), device('b', '1.4.2'), device('c', '1.10.0'), device('d', 'dev'), device('e', '1.0.0', { revoked: true })],
        pending: [],
        now: new Date().toISOString(),
      }),
    )
    hub.on('GET', '/api/v1/ref', () => json({ stations: [], departments: [], categories: [], representatives: [] }))
    hub.on('GET', '/api/v1/admin/updates', () => json(served(amd64)))
    const w = await page.open(DevicesView, '/setup/devices')
    const marked = w.findAll('[data-testid="device-row"]').filter((r) => r.find('[data-testid="device-behind"]').exists())
    expect(marked.map((r) => r.attributes('data-id'))).toEqual(['b'])
    expect(marked[0]!.get('[data-testid="device-behind"]').text()).toBe('低于发布版本 1.5.0')
    expect(w.get('[data-testid="device-behind-count"]').text()).toContain('1 台设备的版本低于中心发布的版本')
    await w.get('[data-testid="device-only-behind"]').setValue(true)
    expect(w.findAll('[data-testid="device-row"]').map((r) => r.attributes('data-id'))).toEqual(['b'])
    expect(body().textContent).toContain('只看需更新的设备')
  })

  it('marks nothing when the hub serves no update', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/devices', () => json({ devices: [device('b', '1.4.2')], pending: [], now: new Date().toISOString() }))
    hub.on('GET', '/api/v1/ref', () => json({ stations: [], departments: [], categories: [], representatives: [] }))
    hub.on('GET', '/api/v1/admin/updates', () => json({ enabled: false, served: [] }))
    const w = await page.open(DevicesView, '/setup/devices')
    expect(w.find('[data-testid="device-behind"]').exists()).toBe(false)
    expect(w.find('[data-testid="device-behind-count"]').exists()).toBe(false)
  })

  it('orders versions as a station does', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1)
    expect(compareVersions('1.5', '1.5.0')).toBe(0)
    expect(compareVersions('0.0.0~git20261205111840+fde83d629614', '0.0.1')).toBe(-1)
    expect(behindServed('1.4.2', [amd64])).toBe('1.5.0')
    expect(behindServed('1.5.0', [amd64])).toBe('')
    expect(behindServed('dev', [amd64])).toBe('')
    expect(behindServed('', [amd64])).toBe('')
    // older than one architecture's update but not the other's: it may be the other's device
    expect(behindServed('1.4.2', [amd64, { ...amd64, arch: 'arm64', version: '1.4.0' }])).toBe('')
    expect(behindServed('1.3.0', [amd64, { ...amd64, arch: 'arm64', version: '1.4.0' }])).toBe('1.4.0')
  })
})
