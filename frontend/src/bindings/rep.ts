import { call } from './transport'
import type { CaseSummary } from './types'

// The representative's workbench and the activity service (app/rep.go, app/activity.go).

export interface RepSession {
  id: string
  repId: string
  repName: string
  level: string
  photoSeed: number
  badge: string
  signedIn: boolean
  signedInAt: string | null
  startedAt: string
  idleSeconds: number
}

export interface ScanResult {
  ok: boolean
  kind: 'badge' | 'unknown'
  code: string
  message: string
  repName: string
  signedIn: boolean
  at: string
}

export interface ReceptionInput {
  resident: string
  community: string
  topic: string
  outcome: string
  asCase: boolean
  category: string
}

export interface ReceptionReceipt {
  id: string
  caseNumber: string
  caseId: string
}

export interface ActivityStatus {
  activityId: string
  capacity: number
  signedUp: number
  attended: number
  mine: boolean
  checkedIn: boolean
  place: '' | 'pending' | 'confirmed' | 'waitlisted'
  position: number
}

export interface CheckInQR {
  activityId: string
  url: string
  qrDataUrl: string
  window: number
  expires: string
  attended: number
}

export const Workbench = (): Promise<RepSession | null> => call<RepSession | null>('Workbench')
export const EndWorkbench = (): Promise<void> => call<void>('EndWorkbench')
export const TouchWorkbench = (): Promise<void> => call<void>('TouchWorkbench')
export const DutySignIn = (): Promise<RepSession> => call<RepSession>('DutySignIn')
export const DutySignOut = (): Promise<RepSession> => call<RepSession>('DutySignOut')
export const UnclaimedCases = async (): Promise<CaseSummary[]> =>
  (await call<CaseSummary[] | null>('UnclaimedCases')) ?? []
export const ClaimCase = (id: string): Promise<CaseSummary> => call<CaseSummary>('ClaimCase', id)
export const LogReception = (input: ReceptionInput): Promise<ReceptionReceipt> =>
  call<ReceptionReceipt>('LogReception', input)
export const ScanText = (text: string): Promise<ScanResult> => call<ScanResult>('ScanText', text)
export const SimulateScan = (text: string): Promise<void> => call<void>('SimulateScan', text)
export const HasDemoBadge = (): Promise<boolean> => call<boolean>('HasDemoBadge')

export const ActivityStatusOf = (id: string): Promise<ActivityStatus> => call<ActivityStatus>('ActivityStatus', id)
export const SignUpActivity = (id: string): Promise<ActivityStatus> => call<ActivityStatus>('SignUpActivity', id)
export const CheckInActivity = (id: string): Promise<ActivityStatus> => call<ActivityStatus>('CheckInActivity', id)
export const CheckInCode = (id: string): Promise<CheckInQR> => call<CheckInQR>('CheckInCode', id)
