import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mount } from '@vue/test-utils'
import SyncBadge from '@/components/base/SyncBadge.vue'
import { useDeviceStore } from '@/stores/device'
import { createAppI18n } from '@/i18n'
import type { DeviceStatus, SyncState } from '@/bindings/models'

function status(state: SyncState, lastSyncAt: string | null): DeviceStatus {
  const p = { state: 'ok' as const, port: '', simulated: true, lastError: '', lastEventAt: null }
  return {
    sync: { state, hubUrl: '', lastSyncAt, offlineSince: null, errorCode: '', outboxDepth: 0, lagEvents: 0, epoch: '', cursor: 0, refused: 0, lastRefused: null },
    reader: p,
    scanner: p,
    store: { ok: true, path: '', error: '', readOnly: '' },
  }
}

beforeEach(() => setActivePinia(createPinia()))

describe('SyncBadge', () => {
  const cases: { name: string; state: SyncState; text: RegExp }[] = [
    { name: 'connected', state: 'connected', text: /^已连接$/ },
    { name: 'offline shows data time', state: 'offline', text: /^离线 · 数据截至 \d\d:\d\d$/ },
    { name: 'error counts as offline', state: 'error', text: /^离线 · 数据截至/ },
    { name: 'unpaired', state: 'unpaired', text: /^未配对$/ },
    { name: 'revoked says the device was disabled', state: 'revoked', text: /^此设备已被停用$/ },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const device = useDeviceStore()
      device.status = status(c.state, '2024-05-01T14:05:00+08:00')
      const w = mount(SyncBadge, { global: { plugins: [createAppI18n()] } })
      expect(w.text()).toMatch(c.text)
      expect(w.attributes('data-state')).toBe(c.state)
    })
  }
})
