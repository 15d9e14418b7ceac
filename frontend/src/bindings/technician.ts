import * as Technician from './wailsjs/go/app/Technician'
import { guard, list } from './call'

// The PIN-protected service screen (app/technician.go, technician_setup.go, technician_pair.go).

export const Unlock = guard(Technician.Unlock)
export const Lock = guard(Technician.Lock)
export const GetDiagnostics = guard(Technician.Diagnostics)
export const Logs = guard(list(Technician.Logs))

export const SetPorts = guard((reader: string, scanner: string) => Technician.SetPorts(reader, scanner))
export const TestReader = guard(Technician.TestReader)
export const TestScanner = guard(Technician.TestScanner)
export const SetStation = guard((name: string, role: string) => Technician.SetStation(name, role))
export const ChangePIN = guard((current: string, next: string) => Technician.ChangePIN(current, next))
export const RestartSync = guard(Technician.RestartSync)
export const Pair = guard((hubUrl: string, code: string) => Technician.Pair(hubUrl, code))
export const PairByScan = guard(Technician.PairByScan)
