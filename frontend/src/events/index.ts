import type { DeviceStatus, Session } from '@/bindings/models'
import type { RepSession, ScanResult } from '@/bindings/rep'

// Mirrors the Go event registry (app/events.go): one name, one payload type.
export interface EventPayloads {
  'session:changed': Session | null
  'card:error': { code: string; params?: Record<string, string> }
  'status:changed': DeviceStatus
  'cases:changed': { ids: string[] }
  'board:changed': Record<string, never>
  'reps:changed': Record<string, never>
  'scan:result': ScanResult
  'rep:changed': RepSession | null
  'session:active': { id: string }
}

export type EventName = keyof EventPayloads
export type Off = () => void

interface RuntimeBridge {
  runtime?: {
    EventsOnMultiple?: (name: string, cb: (...data: unknown[]) => void, max: number) => (() => void) | void
    EventsOff?: (name: string) => void
  }
}

/**
 * on subscribes to a Go event and returns off(). Outside the Wails webview
 * (tests, a plain browser) there is no runtime and the subscription is inert.
 */
export function on<K extends EventName>(name: K, cb: (payload: EventPayloads[K]) => void): Off {
  const rt = (globalThis as unknown as RuntimeBridge).runtime
  if (!rt?.EventsOnMultiple) return () => {}
  const off = rt.EventsOnMultiple(name, (...data: unknown[]) => cb(data[0] as EventPayloads[K]), -1)
  return typeof off === 'function' ? off : () => {}
}

export const onSessionChanged = (cb: (s: Session | null) => void): Off => on('session:changed', cb)
export const onCardError = (cb: (e: EventPayloads['card:error']) => void): Off => on('card:error', cb)
export const onStatusChanged = (cb: (s: DeviceStatus) => void): Off => on('status:changed', cb)
export const onCasesChanged = (cb: (e: EventPayloads['cases:changed']) => void): Off => on('cases:changed', cb)
export const onBoardChanged = (cb: () => void): Off => on('board:changed', () => cb())
export const onRepsChanged = (cb: () => void): Off => on('reps:changed', () => cb())
export const onRepChanged = (cb: (s: RepSession | null) => void): Off => on('rep:changed', cb)
export const onSessionActive = (cb: (e: EventPayloads['session:active']) => void): Off => on('session:active', cb)
