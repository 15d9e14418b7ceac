import * as Technician from './wailsjs/go/app/Technician'
import { guard, list } from './call'

// The PIN-protected service screen (app/technician.go).

export const Unlock = guard(Technician.Unlock)
export const Lock = guard(Technician.Lock)
export const GetDiagnostics = guard(Technician.Diagnostics)
export const Logs = guard(list(Technician.Logs))
