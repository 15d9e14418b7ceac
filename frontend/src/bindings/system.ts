import * as System from './wailsjs/go/app/System'
import { guard } from './call'

// What the station is and how it is (app/system.go).

export const Info = guard(System.Info)
export const Status = guard(System.Status)
export const ReportRendered = guard(System.ReportRendered)
export const ReportError = guard(System.ReportError)
export const Heartbeat = guard(System.Heartbeat)
