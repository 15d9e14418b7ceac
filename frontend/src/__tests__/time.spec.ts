// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import {
  DEFAULT_TIME_ZONE,
  formatClock,
  formatClockHM,
  formatDate,
  formatDateTime,
  formatDateZh,
  formatMonthDayWeekday,
  formatTime,
  formatWhen,
  sameStationDay,
  setStationTimeZone,
  stationTimeZone,
} from '@/time'

afterEach(() => setStationTimeZone(DEFAULT_TIME_ZONE))

// 2025-03-06T17:30:00Z is 01:30 on Friday 7 March in Shanghai and still Thursday 6 March in
// UTC and New York: a date that differs by zone.
const LATE = '2025-03-06T17:30:00Z'

describe('times in the station zone', () => {
  it('reads instants in Asia/Shanghai by default, whatever the machine zone', () => {
    expect(stationTimeZone()).toBe('Asia/Shanghai')
    expect(formatDateTime(LATE)).toBe('2025-03-07 01:30')
    expect(formatDate(LATE)).toBe('2025-03-07')
    expect(formatTime(LATE)).toBe('01:30')
    // an offset in the string is an instant, not a wall-clock time
    expect(formatDateTime('2025-03-07T01:30:00+08:00')).toBe('2025-03-07 01:30')
    expect(formatDateTime('2025-03-06T12:30:00-05:00')).toBe('2025-03-07 01:30')
  })

  it('follows the zone the station names', () => {
    expect(setStationTimeZone('America/New_York')).toBe(true)
    expect(formatDateTime(LATE)).toBe('2025-03-06 12:30')
    expect(formatDateZh(new Date(LATE))).toBe('2025年3月6日 星期四')
    expect(setStationTimeZone('UTC')).toBe(true)
    expect(formatClock(new Date(LATE))).toBe('17:30:00')
  })

  it('keeps its zone when given an unknown or missing one', () => {
    setStationTimeZone('Asia/Urumqi')
    for (const bad of ['Mars/Olympus', '', undefined, null, 8]) {
      expect(setStationTimeZone(bad)).toBe(false)
      expect(stationTimeZone()).toBe('Asia/Urumqi')
    }
  })

  it('writes midnight as 00, not 24', () => {
    expect(formatTime('2025-03-06T16:00:00Z')).toBe('00:00')
    expect(formatClockHM(new Date('2025-03-06T16:00:05Z'))).toBe('00:00')
  })

  it('formats the headers of the wall and the attract screen', () => {
    expect(formatDateZh(new Date(LATE))).toBe('2025年3月7日 星期五')
    expect(formatMonthDayWeekday(new Date(LATE), 'zh-CN')).toBe('3月7日 星期五')
    expect(formatMonthDayWeekday(new Date(LATE), 'en')).toBe('Friday, March 7')
  })

  it('shows the day only for times on another station day', () => {
    const today = new Date('2025-03-07T04:00:00Z') // 12:00 in Shanghai
    expect(sameStationDay(new Date(LATE), today)).toBe(true)
    expect(formatWhen(LATE, today)).toBe('01:30')
    expect(formatWhen('2025-03-08T16:30:00Z', today)).toBe('3月9日 00:30')
  })

  it('tolerates missing and malformed input', () => {
    for (const bad of [null, undefined, '', 'not a time']) {
      expect(formatDateTime(bad)).toBe('')
      expect(formatDate(bad)).toBe('')
      expect(formatTime(bad)).toBe('')
      expect(formatWhen(bad, new Date())).toBe('')
    }
  })
})

// Machine-zone calls anywhere else in src/ would bring the second zone back.
describe('no machine-zone time formatting outside src/time.ts', () => {
  const src = join(__dirname, '..')
  const forbidden: [RegExp, string][] = [
    [/\.toLocale(Date|Time)?String\s*\(/, 'toLocaleString/toLocaleDateString/toLocaleTimeString'],
    [/\.get(FullYear|Month|Date|Day|Hours|Minutes|Seconds)\s*\(/, 'a machine-zone Date getter'],
    [/\.set(FullYear|Month|Date|Hours|Minutes|Seconds)\s*\(/, 'a machine-zone Date setter'],
    [/\bIntl\.DateTimeFormat\b/, 'Intl.DateTimeFormat'],
    [/\bnew Date\s*\(\s*\d+\s*,/, 'new Date(year, month, …) in machine time'],
  ]
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) return name === '__tests__' ? [] : files(p)
      return /\.(ts|vue)$/.test(name) && !/\.(spec|bench)\.ts$/.test(name) ? [p] : []
    })

  it('finds the sources it scans', () => {
    expect(files(src).length).toBeGreaterThan(50)
  })

  it('has none', () => {
    const found: string[] = []
    for (const file of files(src)) {
      const rel = relative(src, file)
      if (rel === 'time.ts') continue
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [re, what] of forbidden) if (re.test(line)) found.push(`${rel}:${i + 1}: ${what}: ${line.trim()}`)
        })
    }
    expect(found).toEqual([])
  })
})
