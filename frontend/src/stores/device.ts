import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { Info, Status } from '@/bindings/system'
import { toAppError, type AppError } from '@/bindings/errors'
import type { AppInfo, DeviceStatus } from '@/bindings/models'
import { onStatusChanged, type Off } from '@/events'

export const defaultIdleSeconds = 60

/** Device-wide facts: who this device is (Info) and how its links are (Status). */
export const useDeviceStore = defineStore('device', () => {
  const info = ref<AppInfo | null>(null)
  const status = ref<DeviceStatus | null>(null)
  const error = ref<AppError | null>(null)
  let off: Off | null = null

  const idleSeconds = computed(() => {
    const n = info.value?.idleSeconds ?? 0
    return n > 0 ? n : defaultIdleSeconds
  })
  const role = computed(() => info.value?.role ?? 'kiosk')
  const demo = computed(() => info.value?.demo === true)

  async function load(): Promise<AppInfo> {
    try {
      info.value = await Info()
      error.value = null
    } catch (err) {
      error.value = toAppError(err)
      throw error.value
    }
    // Status is advisory: a failure here must not keep the first screen from showing.
    try {
      status.value = await Status()
    } catch {
      status.value = null
    }
    return info.value
  }

  function subscribe() {
    off?.()
    off = onStatusChanged((s) => {
      status.value = s
    })
  }

  function unsubscribe() {
    off?.()
    off = null
  }

  return { info, status, error, idleSeconds, role, demo, load, subscribe, unsubscribe }
})
