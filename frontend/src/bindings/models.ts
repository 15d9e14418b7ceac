import type { app } from './wailsjs/go/models'

// The values the Go services return, as Wails generates them from the Go types
// (wailsjs/go/models.ts). Go sends null for a nil pointer, which the generated types write as
// an optional field: FromGo says null instead.

/** FromGo is a generated type with its optional (nil-pointer) fields made `T | null`. */
export type FromGo<T> = T extends (infer U)[]
  ? FromGo<U>[]
  : T extends object
    ? { [K in keyof T]-?: undefined extends T[K] ? FromGo<Exclude<T[K], undefined>> | null : FromGo<T[K]> }
    : T

export type AppInfo = FromGo<app.AppInfo>
export type DeviceStatus = FromGo<app.DeviceStatus>
export type SyncStatus = FromGo<app.SyncStatus>
export type PeripheralStatus = FromGo<app.PeripheralStatus>
export type StoreStatus = FromGo<app.StoreStatus>
export type Session = FromGo<app.Session>
export type Category = FromGo<app.Category>
export type CaseInput = FromGo<app.CaseInput>
export type Receipt = FromGo<app.Receipt>
export type CaseSummary = FromGo<app.CaseSummary>
export type CaseDetail = FromGo<app.CaseDetail>
export type TimelineEntry = FromGo<app.TimelineEntry>
export type RepCard = FromGo<app.RepCard>
export type ActivityCard = FromGo<app.ActivityCard>
export type ActivityStatus = FromGo<app.ActivityStatus>
export type CheckInQR = FromGo<app.CheckInQR>
export type RepLoginQR = FromGo<app.RepLoginQR>
export type MySignUp = FromGo<app.MySignUp>
export type SignUpQR = FromGo<app.SignUpQR>
export type Board = FromGo<app.Board>
export type Diagnostics = FromGo<app.Diagnostics>
export type LogLine = FromGo<app.LogLine>
export type PublicCase = FromGo<app.PublicCase>
export type SetupResult = FromGo<app.SetupResult>
export type ReadTest = FromGo<app.ReadTest>
export type PairResult = FromGo<app.PairResult>
export type RepSession = FromGo<app.RepSession>
export type ScanResult = FromGo<app.ScanResult>
export type ReceptionInput = FromGo<app.ReceptionInput>
export type ReceptionReceipt = FromGo<app.ReceptionReceipt>

// The values some string fields take, for the views that switch on them.
export type Role = 'kiosk' | 'wall'
export type Locale = 'zh-CN' | 'en'
export type SyncState = 'connected' | 'connecting' | 'offline' | 'unpaired' | 'error' | 'revoked'

const syncStates: readonly string[] = ['connected', 'connecting', 'offline', 'unpaired', 'error', 'revoked']

/** syncState reads SyncStatus.state; a state this frontend does not know counts as an error. */
export function syncState(s: string | null | undefined): SyncState | null {
  if (s == null) return null
  return syncStates.includes(s) ? (s as SyncState) : 'error'
}
export type PeripheralState = 'ok' | 'connecting' | 'disconnected' | 'error' | 'off'
export type CaseState =
  | 'submitted'
  | 'accepted'
  | 'assigned'
  | 'in_progress'
  | 'returned'
  | 'replied'
  | 'reopened'
  | 'closed'
  | 'withdrawn'
  | 'merged'
export type Rating = 'satisfied' | 'basically' | 'unsatisfied'
/** The sample cards of the demo's simulated reader (device/idcard.SampleCards). */
export type CardSample = 'resident' | 'resident2' | 'hkmotw' | 'foreign_pr'
