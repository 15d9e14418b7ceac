// What the 设备 page shows of a device's heartbeat. The hub decides what is wrong (the
// warnings); the chips only colour a figure red when a warning names it.
import type { DeviceHealth, DeviceWarning, DeviceWarningCode } from '../api/types'
import { parseTime } from '../time'

type T = (key: string, named?: Record<string, unknown>) => string

export interface HealthChip {
  key: string
  text: string
  tone: 'ok' | 'bad' | 'plain'
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** countdown is "m:ss" until expires at nowMs, or "" once it has passed. */
export function countdown(expires: string, nowMs: number): string {
  const end = parseTime(expires)
  if (!end) return ''
  const left = Math.floor((end.getTime() - nowMs) / 1000)
  if (left <= 0) return ''
  return `${Math.floor(left / 60)}:${pad2(left % 60)}`
}

/** formatBytes is a disk size in GB (one decimal) or MB. */
export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`
  return `${Math.floor(n / (1 << 20))} MB`
}

/** seenAgo says how long ago a heartbeat came, or that none ever did. */
export function seenAgo(iso: string | null | undefined, nowMs: number, t: T): string {
  const at = parseTime(iso)
  if (!at) return t('devices.neverSeen')
  const s = Math.max(0, Math.floor((nowMs - at.getTime()) / 1000))
  if (s < 60) return t('devices.secondsAgo', { n: s })
  if (s < 3600) return t('devices.minutesAgo', { n: Math.floor(s / 60) })
  return t('devices.hoursAgo', { n: Math.floor(s / 3600) })
}

/** The states a station reports for its reader and scanner. */
const PART_STATES = ['ok', 'connecting', 'disconnected', 'error', 'off']

function partTone(state: string, warned: boolean): HealthChip['tone'] {
  if (warned) return 'bad'
  return state === 'ok' ? 'ok' : 'plain'
}

/** healthChips are the figures of a heartbeat, red where one of the warnings is about them. */
export function healthChips(h: DeviceHealth, warnings: DeviceWarning[], t: T): HealthChip[] {
  const warned = (code: DeviceWarningCode) => warnings.some((w) => w.code === code)
  const state = (s: string) => (PART_STATES.includes(s) ? t(`devices.health.states.${s}`) : s)
  const out: HealthChip[] = [
    { key: 'reader', text: t('devices.health.reader', { state: state(h.reader) }), tone: partTone(h.reader, warned('reader_failing')) },
    { key: 'scanner', text: t('devices.health.scanner', { state: state(h.scanner) }), tone: partTone(h.scanner, warned('scanner_failing')) },
    { key: 'sync', text: t('devices.health.sync', { outbox: h.outbox, lag: h.lag }), tone: warned('sync_lag') ? 'bad' : 'plain' },
    {
      key: 'clock',
      text: t('devices.health.clock', { s: Math.round(h.clock_offset_ms / 1000) }),
      tone: warned('clock_offset') ? 'bad' : 'plain',
    },
  ]
  if (h.disk_total > 0) {
    out.push({
      key: 'disk',
      text: t('devices.health.disk', { free: formatBytes(h.disk_free), total: formatBytes(h.disk_total) }),
      tone: warned('disk_low') ? 'bad' : 'plain',
    })
  }
  return out
}
