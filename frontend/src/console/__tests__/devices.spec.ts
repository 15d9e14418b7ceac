import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import DevicesView from '../setup/DevicesView.vue'
import { countdown, formatBytes, healthChips } from '../setup/devices'
import { visiblePages } from '../setup/pages'
import { api } from '../api'
import { DEVICE_WARNINGS, type AdminDevice, type DeviceList, type NewPairing } from '../api/types'
import zh from '../i18n/provision.zh-CN'
import en from '../i18n/provision.en'
import { adminUser, consolePage, fakeHub, json } from './helpers'

const NOW = new Date('2026-12-05T02:00:00Z')
const ref = {
  stations: [
    { code: 'HX01', name: '和谐街道人大代表联络站', communities: [] },
    { code: 'HX02', name: '长青联络站', communities: [] },
  ],
  departments: [],
  categories: [],
  representatives: [],
}

function device(extra: Partial<AdminDevice>): AdminDevice {
  return {
    id: 'd1', name: '大厅一体机', station: 'HX01', station_name: '和谐街道人大代表联络站', role: 'kiosk', code: 'K1',
    version: '1.4.0', revoked: false, created: '2026-11-01T02:00:00Z', last_seen: '2026-12-05T01:59:55Z',
    health: { reader: 'ok', scanner: 'ok', outbox: 0, lag: 0, clock_offset_ms: 300, disk_free: 20 * 2 ** 30, disk_total: 64 * 2 ** 30, read_only: '', reported_at: '2026-12-05T01:59:55Z' },
    warnings: [],
    ...extra,
  }
}

const sick = device({
  id: 'd2', name: '二号一体机', code: 'K2', last_seen: '2026-12-05T01:55:00Z',
  health: { reader: 'error', scanner: 'ok', outbox: 80, lag: 0, clock_offset_ms: -75_000, disk_free: 100 * 2 ** 20, disk_total: 64 * 2 ** 30, read_only: 'disk_full', reported_at: '2026-12-05T01:55:00Z' },
  warnings: [
    { code: 'silent', params: { seconds: '300' } },
    { code: 'reader_failing', params: { state: 'error' } },
    { code: 'clock_offset', params: { seconds: '-75' } },
    { code: 'disk_low', params: { free_mb: '100' } },
    { code: 'read_only_disk_full' },
    { code: 'sync_lag', params: { outbox: '80', lag: '0' } },
  ],
})
const gone = device({ id: 'd3', name: '旧大屏', role: 'wall', code: 'W1', revoked: true, warnings: [] })

function listOf(devices: AdminDevice[], pending: DeviceList['pending'] = []): DeviceList {
  return { devices, pending, now: new Date().toISOString() } // the hub's clock, as faked
}

const pairing: NewPairing = {
  code: 'ABCD2345', station: 'HX01', role: 'wall', name: '走廊大屏', expires: '2026-12-05T02:15:00Z',
  hub_url: 'https://hub.example.cn', qr: 'liaison-pair:v1?hub=https%3A%2F%2Fhub.example.cn&code=ABCD2345',
  qr_url: '/api/v1/admin/devices/pairing/ABCD2345/qr.png',
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: NOW })
})
afterEach(() => {
  vi.useRealTimers()
})
const page = consolePage(adminUser)
const mountDevices = () => page.open(DevicesView, '/setup/devices')

const body = () => document.body

describe('devices page', () => {
  it('is in the setup menu for admins only', () => {
    expect(visiblePages('admin').map((p) => p.path)).toEqual(expect.arrayContaining(['devices', 'badges']))
    expect(visiblePages('staff').map((p) => p.path)).not.toContain('devices')
  })

  it('shows each device with its health, the hub warnings in words, and revoked ones greyed without actions', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/devices', () =>
      json(listOf([device({}), sick, gone], [{ id: 7, station: 'HX02', station_name: '长青联络站', role: 'kiosk', name: '', created: '2026-12-05T01:55:00Z', expires: '2026-12-05T02:10:00Z' }])),
    )
    hub.on('GET', '/api/v1/ref', () => json(ref))
    const w = await mountDevices()

    expect(w.findAll('[data-testid="device-row"]').map((r) => r.attributes('data-id'))).toEqual(['d1', 'd2', 'd3'])
    const first = w.get('[data-testid="device-row"][data-id="d1"]')
    const second = w.get('[data-testid="device-row"][data-id="d2"]')
    const third = w.get('[data-testid="device-row"][data-id="d3"]')
    expect(first.text()).toContain('5 秒前')
    expect(first.text()).toContain('读卡器：正常')
    expect(first.text()).toContain('磁盘剩余 20.0 GB / 64.0 GB')
    expect(first.findAll('[data-testid="device-warning"]')).toHaveLength(0)

    const warnings = second.findAll('[data-testid="device-warning"]').map((x) => x.text())
    expect(warnings).toEqual([
      '⚠ 已 300 秒没有心跳',
      '⚠ 读卡器故障（error）',
      '⚠ 时钟偏差 -75 秒，请校准时间',
      '⚠ 磁盘仅剩 100 MB',
      '⚠ 只读：本机磁盘已满，居民暂时无法提交，请派技术人员清理',
      '⚠ 同步滞后：待上传 80 条，待下载 0 条',
    ])
    const bad = second.findAll('[data-testid="device-chip"]').filter((c) => c.classes('chip--bad')).map((c) => c.text())
    expect(bad).toEqual(['读卡器：故障', '待上传 80 · 待下载 0', '时钟偏差 -75 秒', '磁盘剩余 100 MB / 64.0 GB'])

    expect(third.classes()).toContain('devices__row--revoked')
    expect(third.text()).toContain('已停用')
    expect(third.find('[data-testid="device-revoke"]').exists()).toBe(false)

    const pendingRow = w.get('[data-testid="device-pending-row"]')
    expect(pendingRow.text()).toContain('长青联络站')
    expect(pendingRow.text()).toContain('10:00 后失效')
  })

  it('adds a device and shows its code, QR and a countdown that runs out', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/devices', () => json(listOf([])))
    hub.on('GET', '/api/v1/ref', () => json(ref))
    hub.on('POST', '/api/v1/admin/devices', () => json(pairing, 201))
    const w = await mountDevices()
    expect(w.get('[data-testid="device-empty"]').text()).toContain('还没有设备')

    await w.get('[data-testid="device-add"]').trigger('click')
    const role = body().querySelector<HTMLSelectElement>('[data-testid="device-role"]')!
    role.value = 'wall'
    role.dispatchEvent(new Event('change'))
    const name = body().querySelector<HTMLInputElement>('[data-testid="device-name"]')!
    name.value = ' 走廊大屏 '
    name.dispatchEvent(new Event('input'))
    await flushPromises()
    body().querySelector<HTMLFormElement>('[data-testid="device-dialog"] form')!.dispatchEvent(new Event('submit'))
    await flushPromises()

    expect(hub.callsTo('/api/v1/admin/devices').find((c) => c.method === 'POST')?.body).toEqual({ station: 'HX01', role: 'wall', name: '走廊大屏' })
    expect(body().querySelector('[data-testid="device-code"]')?.textContent).toBe('ABCD-2345')
    expect(body().querySelector<HTMLImageElement>('[data-testid="device-qr"]')?.getAttribute('src')).toBe(pairing.qr_url)
    expect(body().querySelector('[data-testid="device-countdown"]')?.textContent).toBe('15:00 后失效')

    // Time passes ten seconds at a time, each step ending on the page's refresh of the list,
    // whose answer carries the hub's clock.
    const pass = async (seconds: number) => {
      for (let left = seconds; left > 0; left -= 10) {
        vi.advanceTimersByTime(Math.min(10, left) * 1000)
        await flushPromises()
      }
    }
    await pass(60)
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(body().querySelector('[data-testid="device-countdown"]')?.textContent).toBe('13:59 后失效')
    await pass(14 * 60 - 1)
    expect(body().querySelector('[data-testid="device-countdown"]')).toBeNull()
    expect(body().querySelector('[data-testid="device-expired"]')?.textContent).toContain('已过期')
  }, 30_000) // fifteen minutes of the page, in ninety steps

  it('words the hub refusal of a new device', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/devices', () => json(listOf([])))
    hub.on('GET', '/api/v1/ref', () => json(ref))
    hub.on('POST', '/api/v1/admin/devices', () => json({ code: 'unknown_station', message: 'x' }, 400))
    const w = await mountDevices()
    await w.get('[data-testid="device-add"]').trigger('click')
    body().querySelector<HTMLFormElement>('[data-testid="device-dialog"] form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(body().querySelector('[data-testid="device-form-error"]')?.textContent).toContain('找不到该联络站')
    expect(body().querySelector('[data-testid="device-code"]')).toBeNull()
  })

  it('revokes only after confirmation', async () => {
    const hub = fakeHub()
    let revoked = false
    hub.on('GET', '/api/v1/admin/devices', () => json(listOf([device({ revoked })])))
    hub.on('GET', '/api/v1/ref', () => json(ref))
    hub.on('POST', '/api/v1/admin/devices/d1/revoke', () => {
      revoked = true
      return json(null, 204)
    })
    const w = await mountDevices()

    await w.get('[data-testid="device-revoke"]').trigger('click')
    expect(body().querySelector('[data-testid="device-confirm"]')?.textContent).toContain('停用设备“大厅一体机”（和谐街道人大代表联络站 K1）')
    expect(hub.callsTo('/api/v1/admin/devices/d1/revoke')).toHaveLength(0)
    body().querySelector<HTMLButtonElement>('[data-testid="device-confirm-ok"]')!.click()
    await flushPromises()
    expect(hub.callsTo('/api/v1/admin/devices/d1/revoke')).toHaveLength(1)
    expect(w.get('[data-testid="device-row"]').text()).toContain('已停用')
    expect(body().querySelector('[data-testid="device-confirm"]')).toBeNull()
  })

  it('re-pairs a device after confirmation and shows the new code', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/devices', () => json(listOf([device({})])))
    hub.on('GET', '/api/v1/ref', () => json(ref))
    hub.on('POST', '/api/v1/admin/devices/d1/repair', () => json({ ...pairing, role: 'kiosk', name: '大厅一体机' }, 201))
    const w = await mountDevices()

    await w.get('[data-testid="device-repair"]').trigger('click')
    expect(body().querySelector('[data-testid="device-confirm"]')?.textContent).toContain('当前配对立即停用')
    body().querySelector<HTMLButtonElement>('[data-testid="device-confirm-ok"]')!.click()
    await flushPromises()
    expect(hub.callsTo('/api/v1/admin/devices/d1/repair')).toHaveLength(1)
    expect(body().querySelector('[data-testid="device-code"]')?.textContent).toBe('ABCD-2345')
  })
})

describe('device helpers', () => {
  it('counts down in minutes and seconds and stops at the end', () => {
    const end = '2026-12-05T02:15:00Z'
    expect(countdown(end, NOW.getTime())).toBe('15:00')
    expect(countdown(end, NOW.getTime() + 14 * 60_000 + 59_000)).toBe('0:01')
    expect(countdown(end, NOW.getTime() + 15 * 60_000)).toBe('')
    expect(countdown('not a time', NOW.getTime())).toBe('')
  })

  it('shows disk sizes in GB or MB', () => {
    expect(formatBytes(500 * 2 ** 20)).toBe('500 MB')
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GB')
  })

  it('leaves out the disk when the station cannot tell it', () => {
    const t = (k: string) => k
    const chips = healthChips({ reader: 'off', scanner: 'off', outbox: 0, lag: 0, clock_offset_ms: 0, disk_free: 0, disk_total: 0, read_only: '', reported_at: '' }, [], t)
    expect(chips.map((c) => c.key)).toEqual(['reader', 'scanner', 'sync', 'clock'])
    expect(chips.every((c) => c.tone === 'plain')).toBe(true)
  })

  it('words every warning the hub sends, in both languages', () => {
    for (const code of DEVICE_WARNINGS) {
      expect(zh.devices.warnings[code], code).toBeTruthy()
      expect(en.devices.warnings[code], code).toBeTruthy()
    }
  })
})
