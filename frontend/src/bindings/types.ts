// Shapes of the values the Go `app` services return. They mirror the app ⇄ frontend
// contract; times are RFC3339 strings and nullable times are null.

export type Role = 'kiosk' | 'wall'
export type Locale = 'zh-CN' | 'en'

export interface AppInfo {
  version: string
  role: Role
  station: string
  stationName: string
  deviceId: string
  deviceCode: string
  demo: boolean
  hubUrl: string
  idleSeconds: number
  paired: boolean
  locale: Locale
}

export type SyncState = 'connected' | 'connecting' | 'offline' | 'unpaired' | 'error' | 'revoked'

export interface SyncStatus {
  state: SyncState
  hubUrl: string
  lastSyncAt: string | null
  offlineSince: string | null
  lastError: string
  outboxDepth: number
  lagEvents: number
  refused: number
  lastRefused: string
  epoch: string
  cursor: number
}

export type PeripheralState = 'ok' | 'connecting' | 'disconnected' | 'error' | 'off'

export interface PeripheralStatus {
  state: PeripheralState
  port: string
  simulated: boolean
  lastError: string
  lastEventAt: string | null
}

export interface StoreStatus {
  ok: boolean
  path: string
  error: string
}

export interface DeviceStatus {
  sync: SyncStatus
  reader: PeripheralStatus
  scanner: PeripheralStatus
  store: StoreStatus
}

export interface Session {
  id: string
  kind: 'resident' | 'anonymous'
  residentId: string
  surnameMask: string
  idMasked: string
  cardType: string
  returning: boolean
  needsConsent: boolean
  community: string
  startedAt: string
}

export type CardSample = 'resident' | 'resident2' | 'hkmotw' | 'foreign_pr'

export interface Category {
  code: string
  name: string
  icon: string
  templates: string[]
}

export interface CaseInput {
  category: string
  text: string
  community: string
  building: string
  phone: string
  anonymous: boolean
}

export interface Receipt {
  caseId: string
  number: string
  submittedAt: string
  statusUrl: string
  qrDataUrl: string
}

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

export interface CaseSummary {
  id: string
  number: string
  category: string
  categoryName: string
  text: string
  state: CaseState
  submittedAt: string
  updatedAt: string
  overdue: boolean
  canRate: boolean
  rating: Rating | ''
}

export type TimelineKind =
  | 'case.submitted'
  | 'case.accepted'
  | 'case.assigned'
  | 'case.progress'
  | 'case.returned'
  | 'case.supervised'
  | 'case.replied'
  | 'case.rated'
  | 'case.reopened'
  | 'case.closed'
  | 'case.withdrawn'
  | 'case.merged'
  | 'case.cohandler'

export interface TimelineEntry {
  at: string
  kind: TimelineKind | string
  actorRole: string
  actorName: string
  note: string
}

export interface CaseDetail {
  summary: CaseSummary
  community: string
  building: string
  repName: string
  deptName: string
  due: string | null
  reply: string
  ratingComment: string
  statusUrl: string
  qrDataUrl: string
  timeline: TimelineEntry[]
}

export interface RepCard {
  id: string
  name: string
  gender: string
  level: string
  constituency: string
  title: string
  photoSeed: number
  onDutyToday: boolean
  signedIn: boolean
  mine: boolean
  qrDataUrl: string
}

export interface ActivityCard {
  id: string
  title: string
  kind: string
  place: string
  starts: string
  ends: string
  capacity: number
  signedUp: number
  attended: number
  mine: boolean
  state: 'upcoming' | 'live' | 'past'
}

export interface Board {
  generatedAt: string
  stationName: string
  offlineSince: string | null
  totals: { year: number; month: number; today: number; open: number; overdue: number }
  rates: { response: number | null; completion: number | null; satisfaction: number | null }
  rateDefs: { response: string; completion: string; satisfaction: string }
  funnel: { submitted: number; accepted: number; assigned: number; replied: number; closed: number }
  categories: { name: string; count: number }[]
  trend: { day: string; submitted: number; closed: number }[]
  ticker: {
    at: string
    kind: 'case' | 'reply'
    category: string
    community: string
    surnameMask: string
    text: string
  }[]
  onDuty: { name: string; level: string; signedIn: boolean }[]
  activities: {
    title: string
    starts: string
    ends: string
    place: string
    attended: number
    capacity: number
    live: boolean
  }[]
  projects: { name: string; progress: number; milestones: { title: string; due: string; done: boolean }[] }[]
  hotWords: { word: string; weight: number }[]
}

export interface DiagnosticsConfig {
  dataDir: string
  role: string
  hubUrl: string
  reader: string
  scanner: string
  idleSeconds: number
  fullscreen: boolean
}

export interface Diagnostics {
  info: AppInfo
  status: DeviceStatus
  config: DiagnosticsConfig
  ports: string[]
}

export interface LogLine {
  time: string
  level: string
  component: string
  message: string
}
