import { defineStore } from 'pinia'
import { ref } from 'vue'
import { GetDiagnostics, Lock, Logs, Unlock } from '@/bindings/technician'
import { toAppError, type AppError } from '@/bindings/errors'
import type { Diagnostics, LogLine } from '@/bindings/models'

export const logLimit = 200

export const useTechnicianStore = defineStore('technician', () => {
  const unlocked = ref(false)
  const diagnostics = ref<Diagnostics | null>(null)
  const logs = ref<LogLine[]>([])
  const error = ref<AppError | null>(null)

  /** unlock answers whether the PIN was right; a wrong PIN is not an error. */
  async function unlock(pin: string): Promise<boolean> {
    const ok = await Unlock(pin).catch((err) => {
      throw toAppError(err)
    })
    unlocked.value = ok
    if (ok) await refresh()
    return ok
  }

  async function refresh() {
    try {
      const [d, l] = await Promise.all([GetDiagnostics(), Logs(logLimit)])
      diagnostics.value = d
      logs.value = l
      error.value = null
    } catch (err) {
      error.value = toAppError(err)
      // Go locked us out (timeout or restart): show the PIN pad again.
      if (error.value.code === 'locked') forget()
    }
  }

  function forget() {
    unlocked.value = false
    diagnostics.value = null
    logs.value = []
  }

  async function lock() {
    try {
      await Lock()
    } finally {
      forget()
    }
  }

  return { unlocked, diagnostics, logs, error, unlock, refresh, lock }
})
