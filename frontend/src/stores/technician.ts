import { defineStore } from 'pinia'
import { ref } from 'vue'
import {
  ChangePIN,
  GetDiagnostics,
  Lock,
  Logs,
  Pair,
  PairByScan,
  RestartSync,
  SetPorts,
  SetStation,
  TestReader,
  TestScanner,
  Unlock,
} from '@/bindings/technician'
import { ScanText } from '@/bindings/rep'
import { toAppError, type AppError } from '@/bindings/errors'
import type { Diagnostics, LogLine, PairResult, ReadTest, SetupResult } from '@/bindings/models'

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

  /** after runs a setup call and then shows the station as it is now. */
  async function after<T>(call: Promise<T>): Promise<T> {
    try {
      return await call
    } finally {
      await refresh()
    }
  }

  const setPorts = (reader: string, scanner: string): Promise<SetupResult> => after(SetPorts(reader, scanner))
  const testReader = (): Promise<ReadTest> => TestReader()
  const testScanner = (): Promise<ReadTest> => TestScanner()
  const setStation = (name: string, role: string): Promise<SetupResult> => after(SetStation(name, role))
  const changePIN = (current: string, next: string): Promise<void> => ChangePIN(current, next)
  const restartSync = (): Promise<void> => after(RestartSync())
  const pair = (hubUrl: string, code: string): Promise<PairResult> => after(Pair(hubUrl, code))
  const pairByScan = (): Promise<PairResult> => after(PairByScan())
  /** scan hands a keyboard-wedge scanner's text to Go, where a waiting test read or pairing takes it. */
  const scan = (text: string) => ScanText(text).catch(() => undefined)

  return {
    unlocked, diagnostics, logs, error, unlock, refresh, lock,
    setPorts, testReader, testScanner, setStation, changePIN, restartSync, pair, pairByScan, scan,
  }
})
