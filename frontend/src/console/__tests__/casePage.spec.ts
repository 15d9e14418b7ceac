import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import CaseView from '../views/CaseView.vue'
import { actionRequest, emptyDraft, missingField } from '../stores/caseDetail'
import { consolePage, detail, fakeHub, json, staffUser } from './helpers'

const refLists = {
  stations: [{ code: 'st1', name: '东风联络站', communities: ['东风社区'] }],
  departments: [{ code: 'd1', name: '市政所' }, { code: 'd2', name: '城管中队' }],
  categories: [{ code: 'road', name: '道路交通', accept_hours: 24, handle_days: 5 }],
  representatives: [{ id: 'r1', name: '李四', level: '区人大代表', stations: ['st1'] }],
}

afterEach(() => {
  document.body.innerHTML = ''
})
const page = consolePage(staffUser, { csrf: null })
const mountCase = (path = '/cases/0001') => page.open(CaseView, path, { props: { id: '0001' } })

const byTestId = (id: string) => document.body.querySelector<HTMLElement>(`[data-testid="${id}"]`)

describe('case page actions', () => {
  it('offers the allowed actions and shows why the others are not', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refLists))
    hub.on('GET', '/api/v1/cases/0001', () => json(detail()))
    await mountCase()

    const buttons = [...document.body.querySelectorAll<HTMLButtonElement>('[data-testid^="action-"]')]
    // in the desk's order, only the actions the hub listed
    expect(buttons.map((b) => b.dataset.testid)).toEqual(['action-accept', 'action-supervise', 'action-reply', 'action-return'])
    expect(byTestId('action-reply')?.hasAttribute('disabled')).toBe(false)
    expect(byTestId('action-accept')?.hasAttribute('disabled')).toBe(true)
    expect(byTestId('reason-accept')?.textContent?.trim()).toBe('事项已受理')
    expect(byTestId('reason-return')?.textContent?.trim()).toBe('只有承办单位可以退单')
    expect(byTestId('reason-reply')).toBeNull()

    // the timeline says what happened and who did it, in the hub's words
    const entries = [...document.body.querySelectorAll('[data-testid="timeline-entry"]')].map((e) => e.textContent)
    expect(entries[0]).toContain('提交 · 张*')
    expect(document.body.querySelectorAll('[data-testid="timeline-entry"] .timeline__text')).toHaveLength(1)
    expect(entries[1]).toContain('代表领办 · 王主任（街道人大工委）')
    expect(entries[1]).toContain('由代表 李四 领办')
    expect(entries[1]).toContain('2026-11-03 10:00') // 02:00Z in Shanghai

    // a disabled action cannot be opened by its shortcut either
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    await flushPromises()
    expect(byTestId('action-dialog-accept')).toBeNull()
  })

  it('on a stale answer shows who acted, reloads the case and keeps what was typed', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refLists))
    let version = 4
    hub.on('GET', '/api/v1/cases/0001', () => {
      const d = detail()
      d.case.version = version
      if (version > 4) d.timeline.push({ at: '2026-11-04T01:00:00Z', kind: 'case.supervised', label: '督办', actor: '王主任（街道人大工委）', role: 'staff', text: '督办', effective: true })
      return json(d)
    })
    const posted: unknown[] = []
    hub.on('POST', '/api/v1/cases/0001/reply', (c) => {
      posted.push(c.body)
      if (posted.length === 1) {
        version = 5 // someone else acted meanwhile
        return json({ code: 'stale', message: '已由 王主任（街道人大工委） 处理，请刷新' }, 409)
      }
      return json({})
    })
    await mountCase()

    byTestId('action-reply')?.click()
    await flushPromises()
    const text = byTestId('field-reply') as HTMLTextAreaElement
    text.value = '已联系市政所，本周内修复'
    text.dispatchEvent(new Event('input'))
    document.body.querySelector('form#action-form-reply')?.dispatchEvent(new Event('submit'))
    await flushPromises()

    expect(posted[0]).toEqual({ version: 4, reply: '已联系市政所，本周内修复' })
    expect(byTestId('stale-notice')?.textContent).toContain('已由 王主任（街道人大工委） 处理')
    expect(hub.callsTo('/api/v1/cases/0001').filter((c) => c.method === 'GET')).toHaveLength(2)
    expect(document.body.querySelectorAll('[data-testid="timeline-entry"]')).toHaveLength(3)
    expect((byTestId('field-reply') as HTMLTextAreaElement).value).toBe('已联系市政所，本周内修复')

    // sending again goes with the version now on screen
    document.body.querySelector('form#action-form-reply')?.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(posted[1]).toEqual({ version: 5, reply: '已联系市政所，本周内修复' })
    expect(byTestId('action-dialog-reply')).toBeNull()
    expect(byTestId('stale-banner')).toBeNull()
  })

  it('shows a lifecycle refusal in the dialog', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refLists))
    hub.on('GET', '/api/v1/cases/0001', () => json(detail()))
    hub.on('POST', '/api/v1/cases/0001/supervise', () => json({ code: 'transition_state', message: '事项已办结，不能督办' }, 409))
    await mountCase('/cases/0001?do=supervise')

    expect(byTestId('action-dialog-supervise')).not.toBeNull() // ?do= opened it
    document.body.querySelector('form#action-form-supervise')?.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(byTestId('action-error')?.textContent).toBe('事项已办结，不能督办')
  })

  it('reveals the contact only on an explicit click', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refLists))
    hub.on('GET', '/api/v1/cases/0001', () => json(detail()))
    hub.on('POST', '/api/v1/cases/0001/contact', () => json({ phone: '13800001234' }))
    await mountCase()

    expect(byTestId('contact-phone')).toBeNull()
    expect(hub.callsTo('/api/v1/cases/0001/contact')).toHaveLength(0)
    byTestId('reveal-contact')?.click()
    await flushPromises()
    expect(hub.callsTo('/api/v1/cases/0001/contact')).toHaveLength(1)
    expect(byTestId('contact-phone')?.textContent).toBe('13800001234')
  })

  it('suggests the category deadline for 交办 but lets the hub compute it unless changed', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refLists))
    hub.on('GET', '/api/v1/cases/0001', () => json(detail({ allowed: [{ action: 'assign', allowed: true }] })))
    const posted: unknown[] = []
    hub.on('POST', '/api/v1/cases/0001/assign', (c) => {
      posted.push(c.body)
      return json({})
    })
    await mountCase()
    byTestId('action-assign')?.click()
    await flushPromises()
    const due = byTestId('field-due') as HTMLInputElement
    expect(due.value).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const dept = byTestId('field-dept') as HTMLSelectElement
    dept.value = 'd2'
    dept.dispatchEvent(new Event('change'))
    document.body.querySelector('form#action-form-assign')?.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(posted).toEqual([{ version: 4, dept_code: 'd2' }])
  })
})

describe('action drafts', () => {
  const c = detail().case

  it('names what an action still needs', () => {
    const d = emptyDraft()
    expect(missingField('accept', d, c)).toBe('rep')
    expect(missingField('return', { ...d, note: '  ' }, c)).toBe('reason')
    expect(missingField('reply', d, c)).toBe('reply')
    expect(missingField('merge', d, c)).toBe('into')
    expect(missingField('close', d, c)).toBe('closeNote') // never replied: say why
    expect(missingField('close', d, { ...c, replied_at: '2026-11-05T01:00:00Z' })).toBeNull()
    expect(missingField('assign', { ...d, dept_code: 'd1', due: '2026-11-01', dueTouched: true }, c, '2026-11-05')).toBe('due')
    expect(missingField('assign', { ...d, dept_code: 'd1', due: '2026-11-09', dueTouched: true }, c, '2026-11-05')).toBeNull()
    expect(missingField('supervise', d, c)).toBeNull()
  })

  it('sends a picked due date as the end of that day in the station zone', () => {
    const d = { ...emptyDraft(), dept_code: 'd1', due: '2026-11-20', dueTouched: true, note: ' 加急 ' }
    expect(actionRequest('assign', d, 7)).toEqual({ version: 7, dept_code: 'd1', due: '2026-11-20T23:59:59+08:00', note: '加急' })
    expect(actionRequest('merge', { ...emptyDraft(), into: ' JD-2026-0012 ', note: 'x' }, 2)).toEqual({ version: 2, into: 'JD-2026-0012' })
    expect(actionRequest('accept', { ...emptyDraft(), rep_id: 'r1' }, 1)).toEqual({ version: 1, rep_id: 'r1' })
  })

  it('offers only the departments the case level may assign to', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json(refLists))
    hub.on('GET', '/api/v1/cases/0001', () => json(detail({ allowed: [{ action: 'assign', allowed: true }], departments: [{ code: 'd2', name: '城管中队' }] })))
    await mountCase()
    byTestId('action-assign')?.click()
    await flushPromises()
    const options = [...(byTestId('field-dept') as HTMLSelectElement).options].filter((o) => o.value).map((o) => o.textContent)
    expect(options).toEqual(['城管中队'])
  })

  it('上报 goes to the level above unless another one above is chosen, with the reason', async () => {
    const hub = fakeHub()
    const city = { code: 'CITY', name: '示范市', level: 'city' }
    const district = { code: 'DIST', name: '示范区', level: 'district', parent: 'CITY' }
    const street = { code: 'HX', name: '和谐街道', level: 'street', parent: 'DIST' }
    // a street's account: its reference lists hold its own street only; the hub names the levels above
    hub.on('GET', '/api/v1/ref', () => json({ ...refLists, nodes: [street] }))
    hub.on('GET', '/api/v1/cases/0001', () =>
      json(
        detail({
          case: { ...detail().case, state: 'accepted', dept_code: '', dept_name: '' },
          allowed: [{ action: 'escalate', allowed: true }],
          level: 'HX',
          level_name: '和谐街道',
          escalate_to: district,
          escalate_targets: [district, city],
        }),
      ),
    )
    const posted: unknown[] = []
    hub.on('POST', '/api/v1/cases/0001/escalate', (c) => {
      posted.push(c.body)
      return json({})
    })
    await mountCase()
    byTestId('action-escalate')?.click()
    await flushPromises()
    expect(byTestId('escalate-from')?.textContent).toContain('和谐街道')
    const to = byTestId('field-to') as HTMLSelectElement
    expect([...to.options].map((o) => o.textContent)).toEqual(['示范区', '示范市'])
    expect(to.value).toBe('DIST')
    const note = byTestId('field-note') as HTMLTextAreaElement
    note.value = ' 涉及区管道路，街道无权处理 '
    note.dispatchEvent(new Event('input'))
    document.body.querySelector('form#action-form-escalate')?.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(posted).toEqual([{ version: 4, to: 'DIST', note: '涉及区管道路，街道无权处理' }])
  })
})
