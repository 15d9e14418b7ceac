import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { h } from 'vue'
import '../setup/SetupLayout.vue'
import '../setup/DutyView.vue'
import '../setup/WordsView.vue'
import { api } from '../api'
import { changed, dayProblems, mondayOf, shiftOf, weekOf } from '../setup/duty'
import { useUiStore } from '../stores/ui'
import { adminUser, consolePage, fakeHub, json, RoutedPage } from './helpers'

const stations = [{ code: 'HX01', name: '和谐联络站', communities: [] }]
const reps = [
  { id: 'HX01-R01', name: '张三', stations: ['HX01'] },
  { id: 'HX01-R02', name: '李四', stations: ['HX01'] },
  { id: 'HX02-R01', name: '王五', stations: ['HX02'] },
  { id: 'HX01-R09', name: '赵六', stations: ['HX01'], retired: true },
]
const shift = (day: string, ids: string[]) => ({ station: 'HX01', day, rep_ids: ids, starts: `${day}T01:00:00Z`, ends: `${day}T09:00:00Z` })

const page = consolePage(adminUser)
const open = (path: string) => page.open(RoutedPage, path)

function hub(roster: unknown[], extra: Record<string, unknown[]> = {}) {
  const h = fakeHub()
  const lists: Record<string, unknown[]> = { station: stations, representative: reps, calendar: [], duty_roster: roster, ...extra }
  h.on('GET', /^\/api\/v1\/admin\/ref\/\w+$/, (c) => json({ items: lists[c.url.pathname.split('/').pop() ?? ''] ?? [] }))
  return h
}

describe('duty week', () => {
  it('lays a week out from its Monday, in the station’s hours', () => {
    expect(mondayOf('2026-12-09')).toBe('2026-12-07')
    expect(mondayOf('2026-12-13')).toBe('2026-12-07') // a Sunday belongs to the week before
    const week = weekOf('HX01', '2026-12-07', [shift('2026-12-08', ['HX01-R01']), { ...shift('2026-12-09', ['x']), station: 'HX02' }])
    expect(week.map((d) => d.day)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13'])
    expect(week[1]).toMatchObject({ reps: ['HX01-R01'], from: '09:00', to: '17:00' })
    expect(week[2]).toMatchObject({ reps: [], saved: null })
    expect(week.map((d) => changed('HX01', d))).toEqual([false, false, false, false, false, false, false])
    expect(changed('HX01', { ...week[1]!, to: '12:00' })).toBe(true)
    expect(changed('HX01', { ...week[2]!, reps: ['HX01-R02'] })).toBe(true)
    expect(shiftOf('HX01', { ...week[2]!, reps: ['HX01-R02'], from: '14:00', to: '17:30' })).toEqual({
      station: 'HX01',
      day: '2026-12-09',
      rep_ids: ['HX01-R02'],
      starts: '2026-12-09T14:00:00+08:00',
      ends: '2026-12-09T17:30:00+08:00',
    })
    expect(dayProblems({ ...week[1]!, from: '17:00', to: '09:00' })).toEqual([{ field: 'ends', code: 'ref_ends_before_starts' }])
  })

  it('adds and removes representatives and saves only the days that changed', async () => {
    const h = hub([shift('2026-12-07', ['HX01-R01', 'HX01-R02']), shift('2026-12-08', ['HX01-R01'])], {
      calendar: [{ year: 2026, holidays: [{ date: '2026-12-12', name: '测试假日' }], workdays: [] }],
    })
    h.on('PUT', /^\/api\/v1\/admin\/ref\/duty_roster\//, (c) => json({ item: c.body, changed: true }))
    const w = await open('/setup/duty?station=HX01&week=2026-12-07')

    expect(h.calls.find((c) => c.url.pathname.endsWith('/duty_roster'))?.url.search).toBe('?station=HX01&from=2026-12-07&to=2026-12-13')
    expect(w.get('[data-testid="duty-week"]').text()).toBe('12/07 – 12/13')
    const day = (d: string) => w.get(`[data-testid="duty-day"][data-day="${d}"]`)
    expect(day('2026-12-07').findAll('[data-testid="duty-rep"]').map((c) => c.text().replace('×', '').trim())).toEqual(['张三', '李四'])
    expect(day('2026-12-12').get('[data-testid="duty-calendar"]').text()).toBe('测试假日')
    // this station's representatives first, retired ones not offered
    const groups = day('2026-12-09').findAll('optgroup')
    expect(groups.map((g) => g.findAll('option').map((o) => o.text()))).toEqual([['张三', '李四'], ['王五']])

    await day('2026-12-07').get('[data-testid="duty-rep-remove"]').trigger('click')
    await day('2026-12-09').get('[data-testid="duty-add"]').setValue('HX02-R01')
    expect(w.get('[data-testid="duty-save"]').text()).toBe('保存本周（2）')
    expect(w.get('[data-testid="duty-copy"]').attributes('disabled')).toBeDefined() // save before copying
    await w.get('[data-testid="duty-save"]').trigger('click')
    await flushPromises()

    const puts = h.calls.filter((c) => c.method === 'PUT')
    expect(puts.map((c) => decodeURIComponent(c.url.pathname))).toEqual(['/api/v1/admin/ref/duty_roster/HX01:2026-12-07', '/api/v1/admin/ref/duty_roster/HX01:2026-12-09'])
    expect(puts[0]?.body).toEqual({ station: 'HX01', day: '2026-12-07', rep_ids: ['HX01-R02'], starts: '2026-12-07T09:00:00+08:00', ends: '2026-12-07T17:00:00+08:00' })
    expect(w.get('[data-testid="duty-save"]').attributes('disabled')).toBeDefined()
    expect(useUiStore().toasts.map((t) => t.text)).toEqual(['已保存 2 天的值班安排'])
  })

  it('keeps a refused day as typed, with the hub’s reason', async () => {
    const h = hub([])
    h.on('PUT', /^\/api\/v1\/admin\/ref\/duty_roster\//, () =>
      json({ code: 'ref_refused', message: '', problems: [{ field: 'rep_ids[0]', code: 'ref_dangling', params: { kind: 'representative', key: 'HX01-R01' }, message: '' }] }, 422),
    )
    const w = await open('/setup/duty?station=HX01&week=2026-12-07')
    const day = () => w.get('[data-testid="duty-day"][data-day="2026-12-10"]')
    await day().get('[data-testid="duty-add"]').setValue('HX01-R01')
    await w.get('[data-testid="duty-save"]').trigger('click')
    await flushPromises()
    expect(day().get('[data-testid="duty-problems"]').text()).toBe('第 1 项：找不到代表「HX01-R01」')
    expect(day().findAll('[data-testid="duty-rep"]')).toHaveLength(1)
    expect(w.get('[data-testid="duty-save"]').text()).toBe('保存本周（1）')
  })

  it('copies the week to a later Monday', async () => {
    const h = hub([shift('2026-12-07', ['HX01-R01'])])
    h.on('POST', '/api/v1/admin/duty/copy-week', () => json({ copied: 1 }))
    const w = await open('/setup/duty?station=HX01&week=2026-12-07')
    await w.get('[data-testid="duty-copy"]').trigger('click')
    const select = document.body.querySelector('[data-testid="duty-copy-to"]') as HTMLSelectElement
    expect([...select.options].map((o) => o.value).slice(0, 2)).toEqual(['2026-12-14', '2026-12-21'])
    select.value = '2026-12-21'
    select.dispatchEvent(new Event('change'))
    ;(document.body.querySelector('[data-testid="duty-copy-ok"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(h.callsTo('/api/v1/admin/duty/copy-week')[0]?.body).toEqual({ station: 'HX01', from: '2026-12-07', to: '2026-12-21' })
    expect(useUiStore().toasts.map((t) => t.text)).toEqual(['已复制 1 天到 12/21 – 12/27'])
  })

  it('asks before moving to another week with unsaved changes', async () => {
    hub([])
    const w = await open('/setup/duty?station=HX01&week=2026-12-07')
    await w.get('[data-testid="duty-day"] [data-testid="duty-add"]').setValue('HX01-R02')
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    await w.get('[data-testid="duty-next"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledOnce()
    expect(page.router.currentRoute.value.query.week).toBe('2026-12-07')
  })
})

describe('word lists', () => {
  it('saves a list one word per line, without repeats, and counts it', async () => {
    const h = hub([], { words: [{ name: 'sensitive', words: ['赌博'] }] })
    h.on('PUT', '/api/v1/admin/ref/words/sensitive', (c) => json({ item: c.body, changed: true }))
    const w = await open('/setup/words')
    const text = w.get('[data-testid="words-sensitive-text"]')
    expect((text.element as HTMLTextAreaElement).value).toBe('赌博')
    expect(w.get('[data-testid="words-sensitive-text-count"]').text()).toBe('1 条')
    expect(w.get('[data-testid="words-sensitive-save"]').attributes('disabled')).toBeDefined()

    await text.setValue('赌博\n  诈骗 \n\n赌博\n')
    expect(w.get('[data-testid="words-sensitive-text-count"]').text()).toBe('3 条')
    expect(w.get('[data-testid="words-sensitive-repeated"]').text()).toBe('有 1 个重复的词，保存时只保留一个')
    await w.get('[data-testid="words-sensitive-save"]').trigger('click')
    await flushPromises()
    expect(h.callsTo('/api/v1/admin/ref/words/sensitive')[0]?.body).toEqual({ name: 'sensitive', words: ['赌博', '诈骗'] })
    expect(useUiStore().toasts.map((t) => t.text)).toEqual(['已保存敏感词（2 个）'])
  })

  it('refuses a word that is too long before sending, keeping the text', async () => {
    const h = hub([], { words: [] })
    const w = await open('/setup/words')
    const long = '很'.repeat(33)
    await w.get('[data-testid="words-hot_stop-text"]').setValue(`社区\n${long}`)
    await w.get('[data-testid="words-hot_stop-save"]').trigger('click')
    await flushPromises()
    expect(h.calls.filter((c) => c.method === 'PUT')).toHaveLength(0)
    expect(w.get('[data-testid="words-hot_stop-problems"]').text()).toBe(`「${long}」太长，每个词最多 32 个字`)
    expect((w.get('[data-testid="words-hot_stop-text"]').element as HTMLTextAreaElement).value).toBe(`社区\n${long}`)
  })
})
