import * as Activities from './wailsjs/go/app/Activities'
import * as Rep from './wailsjs/go/app/Rep'
import { guard, list } from './call'
import type { RepSession } from './models'

// The representative's workbench and the activity service (app/rep.go, app/activity.go).

export type { ActivityStatus, CheckInQR, MySignUp, SignUpQR, ReceptionInput, ReceptionReceipt, RepLoginQR, RepSession, ScanResult } from './models'

export const Workbench = guard(Rep.Workbench as () => Promise<RepSession | null>)
export const EndWorkbench = guard(Rep.EndWorkbench)
export const TouchWorkbench = guard(Rep.TouchWorkbench)
export const DutySignIn = guard(Rep.DutySignIn)
export const DutySignOut = guard(Rep.DutySignOut)
export const UnclaimedCases = guard(list(Rep.UnclaimedCases))
export const ClaimCase = guard(Rep.ClaimCase)
export const LogReception = guard(Rep.LogReception)
export const ScanText = guard(Rep.ScanText)
export const SimulateScan = guard(Rep.SimulateScan)
export const HasDemoBadge = guard(Rep.HasDemoBadge)
export const LoginQR = guard(Rep.LoginQR)

export const ActivityStatusOf = guard(Activities.ActivityStatus)
export const SignUpActivity = guard(Activities.SignUpActivity)
export const CheckInActivity = guard(Activities.CheckInActivity)
export const CheckInCode = guard(Activities.CheckInCode)
export const CancelSignUp = guard(Activities.CancelSignUp)
export const MySignUps = guard(list(Activities.MySignUps))
export const SignUpCode = guard(Activities.SignUpCode)
