import { call } from './transport'
import type { Diagnostics, LogLine } from './types'

export const Unlock = (pin: string): Promise<boolean> => call<boolean>('Unlock', pin)
export const Lock = (): Promise<void> => call<void>('Lock')
export const GetDiagnostics = (): Promise<Diagnostics> => call<Diagnostics>('Diagnostics')
export const Logs = async (limit: number): Promise<LogLine[]> => (await call<LogLine[] | null>('Logs', limit)) ?? []
