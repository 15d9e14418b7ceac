import { computed } from 'vue'
import { useDeviceStore } from '@/stores/device'
import { syncState, type SyncState } from '@/bindings/models'
import { formatTime } from '@/time'

export type BadgeTone = 'ok' | 'warn' | 'bad'

function hhmm(iso: string | null): string {
  return formatTime(iso) || '--:--'
}

/** syncTone is the colour of a sync badge (the kiosk's and the wall's): green only when connected. */
export function syncTone(state: SyncState): BadgeTone {
  switch (state) {
    case 'connected':
      return 'ok'
    case 'connecting':
      return 'warn'
    default:
      return 'bad'
  }
}

/** useDeviceStatus condenses the sync status into what the badge shows. */
export function useDeviceStatus() {
  const device = useDeviceStore()
  const state = computed<SyncState>(() => syncState(device.status?.sync.state) ?? 'connecting')
  const tone = computed<BadgeTone>(() => syncTone(state.value))
  // The data is as fresh as the last successful sync; fall back to when we went offline.
  const dataAsOf = computed(() => hhmm(device.status?.sync.lastSyncAt ?? device.status?.sync.offlineSince ?? null))
  const offline = computed(() => state.value === 'offline' || state.value === 'error')
  return { state, tone, offline, dataAsOf, status: computed(() => device.status) }
}

export { hhmm }
