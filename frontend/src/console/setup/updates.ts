// Station versions against the updates the hub serves (设置 → 站点更新, 设置 → 设备).
import type { PublishedUpdate } from '../api/types'

/**
 * compareVersions orders two versions the way a station does (sync/update.CompareVersions):
 * dotted numbers, missing parts and parts that are not numbers count as 0.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.')
  const pb = b.split('.')
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = /^\d+$/.test(pa[i] ?? '') ? Number(pa[i]) : 0
    const y = /^\d+$/.test(pb[i] ?? '') ? Number(pb[i]) : 0
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/**
 * behindServed is the served version a station reporting `version` is older than (the lowest
 * one served, when several architectures are), or '' when it is not behind. Devices do not report their architecture, so a device counts as behind only
 * when it is older than the update of every architecture served. A version that does not start
 * with a number (a development build, or none reported) is never behind: such a station does
 * not update itself.
 */
export function behindServed(version: string, served: PublishedUpdate[]): string {
  if (!/^\d/.test(version) || served.length === 0) return ''
  if (!served.every((m) => compareVersions(version, m.version) < 0)) return ''
  return served.reduce((lo, m) => (compareVersions(m.version, lo) < 0 ? m.version : lo), served[0]!.version)
}
