import { call } from './transport'
import type { AppInfo, DeviceStatus } from './types'

export const Info = (): Promise<AppInfo> => call<AppInfo>('Info')
export const Status = (): Promise<DeviceStatus> => call<DeviceStatus>('Status')
export const ReportRendered = (view: string): Promise<void> => call<void>('ReportRendered', view)
export const ReportError = (view: string, message: string): Promise<void> =>
  call<void>('ReportError', view, message)
