import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { api } from '@/console/api'
import type { RepCase, RepCaseDetail } from '@/console/api/types'
import { useSessionStore } from '@/console/stores/session'
import { fakeHub, json, row } from '@/console/__tests__/helpers'
import { repPage, repUser } from './helpers'
import { useRepStore } from '../stores/rep'
import CasesView from '../views/CasesView.vue'
import CaseView from '../views/CaseView.vue'
import LoginView from '../views/LoginView.vue'

const page = repPage()
const { setup, open } = page

function repCase(id: string, extra: Partial<RepCase> = {}): RepCase {
  return { ...row(id), token: '', community: '幸福里社区', mine: false, lead: false, ...extra }
}

function detail(extra: Partial<RepCaseDetail> = {}, c: Partial<RepCase> = {}): RepCaseDetail {
  return {
    case: repCase('0001', c),
    timeline: [{ at: '2026-11-03T01:00:00Z', kind: 'case.submitted', label: '提交', actor: '张*', role: 'resident', text: '', effective: true }],
    can_claim: true,
    can_note: false,
    first_reply_due: '2026-11-04T01:00:00Z',
    ...extra,
  }
}

describe('the phone workspace', () => {
  beforeEach(() => setup(repUser))

  it('lists the new cases of my communities, says when there are none, marks a co-handled case', async () => {
    const hub = fakeHub()
    let coHandled = false
    hub.on('GET', '/api/v1/rep/cases', (c) =>
      json({
        view: c.url.searchParams.get('view'),
        cases: c.url.searchParams.get('view') === 'new' ? [repCase('0001'), repCase('0002')] : c.url.searchParams.get('view') === 'mine' && coHandled ? [repCase('0003', { state: 'assigned', mine: true, lead: false, rep_name: '李四' })] : [],
      }),
    )
    const w = await open(CasesView, '/new', { view: 'new' })
    expect(w.findAll('[data-testid="case-list"] li')).toHaveLength(2)
    expect(w.text()).toContain('小区门口路灯坏了三天')
    expect(w.text()).toContain('待领办')
    expect(hub.callsTo('/api/v1/rep/cases')[0]!.url.searchParams.get('view')).toBe('new')
    await w.setProps({ view: 'mine' })
    await flushPromises()
    expect(w.get('[data-testid="empty"]').text()).toBe('您还没有办理中的事项')
    coHandled = true
    await w.setProps({ view: 'done' })
    await w.setProps({ view: 'mine' })
    await flushPromises()
    expect(w.get('[data-testid="co-handler"]').text()).toBe('协办')
  })

  it('shows 已办结 with the resident\'s rating', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/cases', () =>
      json({ view: 'done', cases: [repCase('0003', { state: 'closed', rating: 'satisfied', mine: true, lead: true }), repCase('0004', { state: 'closed', mine: true, lead: true })] }),
    )
    const w = await open(CasesView, '/done', { view: 'done' })
    expect(w.findAll('[data-testid="rating"]').map((r) => r.text())).toEqual(['满意'])
    expect(w.find('[data-testid="co-handler"]').exists()).toBe(false)
    expect(w.text()).toContain('群众未评价')
  })

  it('claims a case only after the confirmation, and names who was quicker', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/cases/0001', () => json(detail()))
    let claims = 0
    hub.on('POST', '/api/v1/rep/cases/0001/claim', () => {
      claims++
      return json({ code: 'rep_claimed', message: '该事项已由 李四 领办' }, 409)
    })
    const w = await open(CaseView, '/cases/0001', { id: '0001' })
    await w.get('[data-testid="claim"]').trigger('click')
    expect(claims).toBe(0)
    expect(document.body.querySelector('[data-testid="claim-dialog"]')?.textContent).toContain('24 小时内答复群众')
    await w.get('[data-testid="claim-confirm"]').trigger('click')
    await flushPromises()
    expect(claims).toBe(1)
    expect(hub.callsTo('/api/v1/rep/cases/0001/claim')[0]!.headers['X-CSRF-Token']).toBe('tok')
    expect(w.get('[data-testid="action-error"]').text()).toBe('该事项已由 李四 领办')
    expect(w.find('[data-testid="claim-dialog"]').exists()).toBe(false)
  })

  it('says nothing of a first reply on a closed case', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/cases/0001', () => json(detail({ can_claim: false }, { mine: true, lead: true, state: 'closed', rating: 'basically' })))
    const w = await open(CaseView, '/cases/0001', { id: '0001' })
    expect(w.get('[data-testid="case-rating"]').text()).toBe('基本满意')
    expect(w.find('[data-testid="first-reply-late"]').exists()).toBe(false)
    expect(w.find('[data-testid="first-reply-due"]').exists()).toBe(false)
  })

  it('sends a 秒回复 as a note to the resident and shows it in the timeline', async () => {
    const hub = fakeHub()
    const mine = { can_claim: false, can_note: true, status_url: 'https://hub.test/c/x?t=y' }
    hub.on('GET', '/api/v1/rep/cases/0001', () => json(detail(mine, { mine: true, lead: true, state: 'accepted' })))
    hub.on('POST', '/api/v1/rep/cases/0001/notes', (c) =>
      json(
        detail(
          {
            ...mine,
            first_reply_at: '2026-11-03T02:00:00Z',
            timeline: [
              { at: '2026-11-03T02:00:00Z', kind: 'case.progress', label: '代表答复', actor: '代表 张三', role: 'representative', text: (c.body as { note: string }).note, effective: true },
            ],
          },
          { mine: true, lead: true, state: 'accepted' },
        ),
      ),
    )
    const w = await open(CaseView, '/cases/0001', { id: '0001' })
    expect(w.find('[data-testid="claim"]').exists()).toBe(false)
    // no reply yet, and its 24 hours (from 2026-11-03 09:00 station time) are long past
    expect(w.get('[data-testid="first-reply-late"]').text()).toBe('答复已超过 24 小时目标')
    await w.get('[data-testid="reply-text"]').setValue('您好，已收到，明天去现场')
    await w.get('[data-testid="reply-form"]').trigger('submit')
    await flushPromises()
    expect(hub.callsTo('/api/v1/rep/cases/0001/notes')[0]!.body).toEqual({ note: '您好，已收到，明天去现场', to_resident: true })
    expect(w.get('[data-testid="timeline"]').text()).toContain('代表答复')
    expect(w.get('[data-testid="first-reply"]').text()).toBe('首次答复：2026-11-03 10:00')
    await w.get('[data-testid="note-text"]').setValue('已联系物业')
    await w.get('[data-testid="note-form"]').trigger('submit')
    await flushPromises()
    expect(hub.callsTo('/api/v1/rep/cases/0001/notes')[1]!.body).toEqual({ note: '已联系物业', to_resident: false })
  })

  it('refreshes the list on screen when the hub streams a change, and marks a new case elsewhere', async () => {
    const hub = fakeHub()
    let n = 1
    hub.on('GET', '/api/v1/rep/cases', () => json({ view: 'mine', cases: Array.from({ length: n }, (_, i) => repCase(String(i), { mine: true })) }))
    const w = await open(CasesView, '/mine', { view: 'mine' })
    expect(w.findAll('[data-testid="case-list"] li')).toHaveLength(1)
    n = 2
    useRepStore().caseChanged({ id: 'x', number: 'x', state: 'submitted', version: 1 })
    await flushPromises()
    expect(w.findAll('[data-testid="case-list"] li')).toHaveLength(2)
    expect(useRepStore().freshNew).toBe(true)
  })
})

describe('login on the phone', () => {
  beforeEach(() => setup(null))

  it('refuses an account that is not a representative\'s', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/login', () => json({ user: { ...repUser, role: 'staff' }, csrf: 'c' }))
    hub.on('POST', '/api/v1/logout', () => json(null, 204))
    const w = await open(LoginView, '/login')
    await w.get('[data-testid="login-name"]').setValue('wangzr')
    await w.get('[data-testid="login-password"]').setValue('pw')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="login-error"]').text()).toBe('这个账号不是代表账号，请用代表账号登录')
    expect(hub.callsTo('/api/v1/logout')).toHaveLength(1)
    expect(useSessionStore().user).toBeNull()
  })
})
