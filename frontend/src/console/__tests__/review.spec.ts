import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { ReviewCases, ReviewFigures, ReviewSession, ReviewSessionDetail } from '../api/types'
import { RoutedPage, consolePage, fakeHub, json, staffUser } from './helpers'

const refs = {
  stations: [],
  categories: [],
  representatives: [],
  departments: [
    { code: 'JD-CG', name: '街道城管科' },
    { code: 'Q-ZJ', name: '区住建局' },
    { code: 'Q-JT', name: '区交通局' },
  ],
}

const figures = (key: string): ReviewFigures => ({
  period: { key, label: '2026年11月', from: '2026-11-01', to: '2026-11-30' },
  departments: [
    { code: 'JD-CG', name: '街道城管科', received: 8, accepted_on_time: 8, handled_on_time: 6, returned: 0, supervised: 1, rated: 4, avg_rating: 2.5, unsatisfied: 1, rehandled: 1, score: 86.3 },
    { code: 'Q-ZJ', name: '区住建局', received: 4, accepted_on_time: 2, handled_on_time: 1, returned: 1, supervised: 2, rated: 0, avg_rating: null, unsatisfied: 0, rehandled: 0, score: 52.9 },
    { code: 'Q-JT', name: '区交通局', received: 0, accepted_on_time: 0, handled_on_time: 0, returned: 0, supervised: 0, rated: 0, avg_rating: null, unsatisfied: 0, rehandled: 0, score: null },
  ],
})

const cases: ReviewCases = {
  period: figures('2026-11').period,
  dept: figures('2026-11').departments[0]!,
  cases: [
    { id: 'c1', number: 'HX01-K1-20261103-0001', category: '环境卫生', state: 'closed', assigned_at: '2026-11-03T02:00:00Z', due: '2026-11-06T10:00:00Z', replied_at: '2026-11-04T03:00:00Z', accepted_on_time: true, handled_on_time: true, returned: false, supervised: false, rating: 'satisfied', rehandled: false },
    { id: 'c2', number: 'HX01-K1-20261105-0002', category: '环境卫生', state: 'reopened', assigned_at: '2026-11-05T02:00:00Z', due: '2026-11-08T10:00:00Z', accepted_on_time: false, handled_on_time: false, returned: false, supervised: true, rating: 'unsatisfied', rehandled: false },
  ],
}

const session: ReviewSession = {
  id: 'PY-20261204-abc123',
  version: 1,
  held: '2026-12-04',
  title: '2026年11月承办单位工作评议',
  period: figures('2026-11').period,
  participants: ['王主任', '张三'],
  departments: [{ dept_code: 'JD-CG', dept_name: '街道城管科', grade: '满意', conclusion: '办理及时' }],
  interviews: [{ dept_code: 'JD-CG', date: '2026-12-06', who: '王主任', agreed: '每周通报进度' }],
  published: '',
  saved_at: '2026-12-04T02:00:00Z',
  saved_by: '王主任（街道人大工委）',
}

const detailOf = (s: ReviewSession): ReviewSessionDetail => ({
  session: s,
  history: Array.from({ length: s.version }, (_, i) => ({ version: i + 1, at: '2026-12-04T02:00:00Z', by: '王主任（街道人大工委）' })),
})

describe('review figures page', () => {
  const page = consolePage(staffUser)

  it('ranks the departments of a period, opens a department\'s cases and lists the sessions', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/reviews/figures', (call) => json(figures(call.url.searchParams.get('period') ?? '')))
    hub.on('GET', '/api/v1/reviews/figures/JD-CG/cases', () => json(cases))
    hub.on('GET', '/api/v1/reviews', () => json({ sessions: [session] }))
    const w = await page.open(RoutedPage, '/reviews?period=2026-11')
    expect(hub.callsTo('/api/v1/reviews/figures')[0]?.url.searchParams.get('period')).toBe('2026-11')
    const rows = w.findAll('[data-testid="review-row"]')
    expect(rows).toHaveLength(3)
    expect(rows[0]!.text()).toContain('街道城管科')
    expect(rows[0]!.text()).toContain('6（75.0%）')
    expect(rows[0]!.text()).toContain('2.50')
    expect(rows[0]!.get('[data-testid="review-score"]').text()).toBe('86.3')
    expect(rows[1]!.text()).toContain('—') // nobody rated it
    expect(rows[2]!.find('td').text()).toBe('—') // no score, no rank
    expect(rows[2]!.find('[data-testid="review-cases-toggle"]').exists()).toBe(false)

    await rows[0]!.get('[data-testid="review-cases-toggle"]').trigger('click')
    await flushPromises()
    const items = w.findAll('[data-testid="review-case"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.get('a').attributes('href')).toContain('/cases/c1')
    expect(items[0]!.text()).toContain('按期答复')
    expect(items[0]!.text()).toContain('满意')
    expect(items[1]!.text()).toContain('督办')
    expect(items[1]!.text()).toContain('不满意')
    expect(items[1]!.text()).not.toContain('按期答复')

    const s = w.findAll('[data-testid="review-session"]')
    expect(s).toHaveLength(1)
    expect(s[0]!.text()).toContain('2026年11月承办单位工作评议')
    expect(s[0]!.text()).toContain('未公布')

    await w.get('[data-testid="period-kind"]').setValue('quarter')
    await flushPromises()
    expect(page.router.currentRoute.value.query.period).toBe('2026-Q4')
    expect(hub.callsTo('/api/v1/reviews/figures').at(-1)?.url.searchParams.get('period')).toBe('2026-Q4')

    await w.get('[data-testid="review-from"]').setValue('2026-11-03')
    await w.get('[data-testid="review-to"]').setValue('2026-11-20')
    await w.get('[data-testid="review-range"]').trigger('click')
    await flushPromises()
    expect(hub.callsTo('/api/v1/reviews/figures').at(-1)?.url.searchParams.get('period')).toBe('2026-11-03..2026-11-20')
  })

  it('words a refused period', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/reviews/figures', () => json({ code: 'review_bad_period', message: '期间有误' }, 400))
    hub.on('GET', '/api/v1/reviews', () => json({ sessions: [] }))
    const w = await page.open(RoutedPage, '/reviews?period=2026-11')
    expect(w.get('[role="alert"]').text()).toBe('期间格式不对，请重新选择')
    expect(w.text()).toContain('还没有评议记录')
  })
})

describe('review session page', () => {
  const page = consolePage(staffUser)

  it('records a new session with the departments of the period chosen first', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refs))
    hub.on('GET', '/api/v1/reviews/figures', (call) => json(figures(call.url.searchParams.get('period') ?? '')))
    hub.on('POST', '/api/v1/reviews', () => json(session, 201))
    hub.on('GET', `/api/v1/reviews/${session.id}`, () => json(detailOf(session)))
    const w = await page.open(RoutedPage, '/reviews/new?period=2026-11')
    expect((w.get('[data-testid="review-title"]').element as HTMLInputElement).value).toBe('2026年11月承办单位工作评议')
    // the departments that received cases are chosen, the one without is not
    expect((w.get('[data-testid="review-dept-JD-CG"]').element as HTMLInputElement).checked).toBe(true)
    expect((w.get('[data-testid="review-dept-Q-JT"]').element as HTMLInputElement).checked).toBe(false)
    expect(w.find('[data-testid="review-publish"]').exists()).toBe(false) // nothing to publish before a save

    await w.get('[data-testid="review-held"]').setValue('2026-12-04')
    await w.get('[data-testid="review-participants"]').setValue('王主任、张三, 李四')
    await w.get('[data-testid="review-grade-JD-CG"]').setValue('满意')
    await w.get('[data-testid="review-conclusion-JD-CG"]').setValue('办理及时')
    await w.get('[data-testid="review-dept-Q-ZJ"]').setValue(false)
    await w.get('[data-testid="review-add-interview"]').trigger('click')
    await w.get('[data-testid="review-interview-who"]').setValue('王主任、城管科科长')
    await w.get('[data-testid="review-interview-agreed"]').setValue('每周通报进度')
    await w.get('form').trigger('submit')
    await flushPromises()

    const sent = hub.callsTo('/api/v1/reviews').find((c) => c.method === 'POST')
    expect(sent?.headers['X-CSRF-Token']).toBe('tok')
    expect(sent?.body).toMatchObject({
      version: 0,
      held: '2026-12-04',
      period: '2026-11',
      participants: ['王主任', '张三', '李四'],
      departments: [{ dept_code: 'JD-CG', grade: '满意', conclusion: '办理及时' }],
      interviews: [{ dept_code: 'JD-CG', who: '王主任、城管科科长', agreed: '每周通报进度' }],
    })
    expect(page.router.currentRoute.value.path).toBe(`/reviews/${session.id}`)
  })

  it('publishes a saved session over its version, and not while there are edits', async () => {
    const hub = fakeHub()
    let current = session
    hub.on('GET', '/api/v1/ref', () => json(refs))
    hub.on('GET', `/api/v1/reviews/${session.id}`, () => json(detailOf(current)))
    hub.on('POST', `/api/v1/reviews/${session.id}/publish`, () => {
      current = { ...session, version: 2, published: '2026-12-05T03:00:00Z' }
      return json(current)
    })
    const w = await page.open(RoutedPage, `/reviews/${session.id}`)
    expect((w.get('[data-testid="review-participants"]').element as HTMLInputElement).value).toBe('王主任、张三')
    expect(w.findAll('[data-testid="review-interview"]')).toHaveLength(1)
    const publish = w.get('[data-testid="review-publish"]')
    expect(publish.attributes('disabled')).toBeUndefined()

    await w.get('[data-testid="review-title"]').setValue('改过的标题')
    expect(w.get('[data-testid="review-publish"]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid="review-title"]').setValue(session.title)
    expect(w.get('[data-testid="review-publish"]').attributes('disabled')).toBeUndefined()

    await w.get('[data-testid="review-publish"]').trigger('click')
    await flushPromises()
    expect(hub.callsTo(`/api/v1/reviews/${session.id}/publish`)[0]?.body).toEqual({ version: 1 })
    expect(w.get('[data-testid="review-published"]').text()).toContain('2026-12-05 11:00')
    expect(w.get('[data-testid="review-published"] a').attributes('href')).toBe(`/pingyi/${session.id}`)
    expect(w.findAll('[data-testid="review-history"] li')).toHaveLength(2)
    expect(w.get('[data-testid="review-publish"]').text()).toBe('重新公布排名')
  })

  it('says when someone else saved the session meanwhile', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refs))
    hub.on('GET', `/api/v1/reviews/${session.id}`, () => json(detailOf(session)))
    hub.on('PUT', `/api/v1/reviews/${session.id}`, () => json({ code: 'review_stale', message: '已被修改' }, 409))
    const w = await page.open(RoutedPage, `/reviews/${session.id}`)
    await w.get('[data-testid="review-title"]').setValue('新标题')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(hub.callsTo(`/api/v1/reviews/${session.id}`).find((c) => c.method === 'PUT')?.body).toMatchObject({ version: 1, title: '新标题' })
    expect(w.get('[role="alert"]').text()).toBe('这次评议刚被其他人修改过，请刷新后再改')
  })
})
