import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import CalendarView from '../setup/CalendarView.vue'
import { api } from '../api'
import type { CalendarYearView } from '../api/types'
import { createConsoleI18n } from '../i18n'
import { dayKind, draftOf, editOf, monthGrid, problemDate, sameDraft, setDay } from '../setup/calendar'
import { setupPages } from '../setup/pages'
import { fakeHub, json } from './helpers'

const y2026: CalendarYearView = {
  year: 2026,
  holidays: [
    { date: '2026-10-01', name: '国庆节' },
    { date: '2026-10-02', name: '国庆节' },
  ],
  workdays: [{ date: '2026-10-10', name: '国庆节调休上班' }],
  provisional: false,
  source: '国务院办公厅通知',
  shipped: true,
  edited: false,
  years: [2026, 2027],
  changed: false,
}

describe('calendar model', () => {
  it('lays months out from Monday, padding the weeks', () => {
    const feb = monthGrid(2026, 2) // 1 February 2026 is a Sunday
    expect(feb[0]?.slice(0, 6)).toEqual([null, null, null, null, null, null])
    expect(feb[0]?.[6]).toEqual({ date: '2026-02-01', day: 1, weekend: true })
    expect(feb.flat().filter(Boolean)).toHaveLength(28)
    expect(monthGrid(2028, 2).flat().filter(Boolean)).toHaveLength(29)
    for (const w of monthGrid(2026, 12)) expect(w).toHaveLength(7)
  })

  it('says how a day counts and moves a day between the lists', () => {
    const d = draftOf(y2026)
    expect(dayKind(d, '2026-10-01')).toBe('holiday')
    expect(dayKind(d, '2026-10-10')).toBe('workday')
    expect(dayKind(d, '2026-10-11')).toBe('weekend')
    expect(dayKind(d, '2026-10-12')).toBe('weekday')
    const moved = setDay(d, '2026-10-10', 'holiday', ' 国庆节 ')
    expect(dayKind(moved, '2026-10-10')).toBe('holiday')
    expect(moved.workdays).toEqual([])
    expect(moved.holidays.map((x) => x.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-10'])
    expect(moved.holidays[2]?.name).toBe('国庆节')
    expect(dayKind(d, '2026-10-10')).toBe('workday') // the draft itself is unchanged
    const plain = setDay(moved, '2026-10-01', 'normal', '')
    expect(dayKind(plain, '2026-10-01')).toBe('weekday')
    expect(sameDraft(d, draftOf(y2026))).toBe(true)
    expect(sameDraft(d, plain)).toBe(false)
  })

  it('finds the date a refusal names', () => {
    const edit = editOf(draftOf(y2026))
    expect(problemDate(edit, 'holidays[1].date')).toBe('2026-10-02')
    expect(problemDate(edit, 'workdays[0].name')).toBe('2026-10-10')
    expect(problemDate(edit, 'year')).toBe('')
  })

  it('is a page of the setup menu', () => {
    expect(setupPages.some((p) => p.path === 'calendar' && p.titleKey === 'calendar.title')).toBe(true)
  })
})

describe('calendar page', () => {
  let wrapper: VueWrapper | null = null
  beforeEach(() => {
    setActivePinia(createPinia())
    api.csrf = 'tok'
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-09-30T02:00:00Z')) // 10:00 in the stations' zone
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    vi.useRealTimers()
  })

  async function mountPage() {
    wrapper = mount(CalendarView, { global: { plugins: [createConsoleI18n()] } })
    await flushPromises()
    return wrapper
  }

  it('marks holidays and make-up days and saves a day made a holiday', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/calendar', () => json(y2026))
    hub.on('PUT', '/api/v1/admin/calendar/2026', (call) => json({ ...y2026, ...(call.body as object), edited: true, changed: true }))
    const w = await mountPage()
    expect(hub.callsTo('/api/v1/admin/calendar')[0]?.url.searchParams.get('year')).toBe('2026')
    const day = (date: string) => w.get(`[data-testid="calendar-day"][data-date="${date}"]`)
    expect(day('2026-10-01').attributes('data-kind')).toBe('holiday')
    expect(day('2026-10-10').attributes('data-kind')).toBe('workday')
    expect(day('2026-09-30').classes()).toContain('cal__day--today')
    expect(w.findAll('[data-testid="calendar-day"]')).toHaveLength(365)
    expect(w.get('[data-testid="calendar-save"]').attributes('disabled')).toBeDefined()

    await day('2026-10-12').trigger('click')
    expect(w.get('[data-testid="calendar-choice-workday"]').attributes('disabled')).toBeDefined() // a Monday
    await w.get('[data-testid="calendar-choice-holiday"]').setValue(true)
    await w.get('[data-testid="calendar-name"]').setValue('区运动会')
    await w.get('[data-testid="calendar-editor"]').trigger('submit')
    expect(day('2026-10-12').attributes('data-kind')).toBe('holiday')

    await w.get('[data-testid="calendar-save"]').trigger('click')
    await flushPromises()
    const put = hub.callsTo('/api/v1/admin/calendar/2026')[0]
    expect(put?.method).toBe('PUT')
    expect(put?.headers['X-CSRF-Token']).toBe('tok')
    expect((put?.body as { holidays: unknown[] }).holidays).toEqual([
      { date: '2026-10-01', name: '国庆节' },
      { date: '2026-10-02', name: '国庆节' },
      { date: '2026-10-12', name: '区运动会' },
    ])
    expect(w.get('[data-testid="calendar-saved"]').text()).toContain('已保存')
  })

  it('shows every problem of a refused year next to its date', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/calendar', () => json({ ...y2026, year: 2027, years: [2026, 2027], provisional: true, holidays: [], workdays: [] }))
    hub.on('PUT', '/api/v1/admin/calendar/2027', () =>
      json(
        {
          code: 'ref_refused',
          message: '内容有误，没有保存',
          problems: [{ field: 'workdays[0].name', code: 'field_too_long', params: { max: '64' }, message: '内容太长，最多 64 个字' }],
        },
        422,
      ),
    )
    vi.setSystemTime(new Date('2027-01-05T02:00:00Z'))
    const w = await mountPage()
    expect(w.get('[data-testid="calendar-provisional"]').text()).toContain('暂定')
    await w.get('[data-testid="calendar-day"][data-date="2027-02-06"]').trigger('click')
    await w.get('[data-testid="calendar-choice-workday"]').setValue(true)
    await w.get('[data-testid="calendar-editor"]').trigger('submit')
    await w.get('[data-testid="calendar-save"]').trigger('click')
    await flushPromises()
    const problems = w.findAll('[data-testid="calendar-problem"]')
    expect(problems.map((p) => p.text())).toEqual(['2027-02-06 内容太长，最多 64 个字'])
    expect(w.get('[data-testid="calendar-day"][data-date="2027-02-06"]').classes()).toContain('cal__day--problem')
  })
})
