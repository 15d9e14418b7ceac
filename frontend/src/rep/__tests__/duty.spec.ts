import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { api } from '@/console/api'
import type { DutySwap, RepDuty, RepShift } from '@/console/api/types'
import { useSessionStore } from '@/console/stores/session'
import { fakeHub, json } from '@/console/__tests__/helpers'
import { repPage, repUser } from './helpers'
import { nav } from '../router'
import { ticketFromAddress } from '../duty'
import DutyView from '../views/DutyView.vue'
import TicketView from '../views/TicketView.vue'

const page = repPage()
const { setup, open } = page

describe('login by the kiosk’s QR', () => {
  it('finds the ticket only in the address the QR holds', () => {
    expect(ticketFromAddress({ pathname: '/m/login', search: '?t=abc-_1' })).toEqual({ base: '/m/', ticket: 'abc-_1' })
    expect(ticketFromAddress({ pathname: '/hub/m/login/', search: '?t=x' })).toEqual({ base: '/hub/m/', ticket: 'x' })
    expect(ticketFromAddress({ pathname: '/m/', search: '?t=x' })).toBeNull()
    expect(ticketFromAddress({ pathname: '/m/login', search: '' })).toBeNull()
  })

  it('posts the ticket, opens the session and shows the workspace', async () => {
    await import('../views/CasesView.vue') // the workspace's first page, loaded lazily by the router
    setup(null)
    const hub = fakeHub()
    hub.on('POST', '/api/v1/rep/ticket', () => json({ user: repUser, csrf: 'fresh' }))
    await open(TicketView, '/ticket?t=T1')
    expect(hub.callsTo('/api/v1/rep/ticket')[0]?.body).toEqual({ ticket: 'T1' })
    await vi.waitFor(() => expect(page.router.currentRoute.value.name).toBe('new'), { timeout: 10_000 }) // the page loads lazily
    expect(useSessionStore().user?.rep_id).toBe('HX01-R01')
    expect(api.csrf).toBe('fresh')
  })

  it('says why a ticket was refused, and offers the password login', async () => {
    setup(null)
    const hub = fakeHub()
    hub.on('POST', '/api/v1/rep/ticket', () => json({ code: 'rep_ticket_expired', message: '二维码已过期，请在服务终端重新扫码' }, 410))
    const w = await open(TicketView, '/ticket?t=T1')
    expect(w.get('[data-testid="ticket-error"]').text()).toBe('二维码已过期，请在服务终端重新扫码')
    expect(page.router.currentRoute.value.fullPath).toBe('/ticket') // the spent ticket leaves the address
    expect(useSessionStore().user).toBeNull()
    expect(w.get('[data-testid="ticket-password"]').attributes('href')).toContain('/login')

    hub.on('POST', '/api/v1/rep/ticket', () => json({ code: 'rep_no_account', message: '请联系街道为您开通账号' }, 403))
    page.unmount()
    const again = await open(TicketView, '/ticket?t=T2')
    expect(again.get('[data-testid="ticket-error"]').text()).toBe('请联系街道为您开通账号')
  })
})

function shift(day: string, extra: Partial<RepShift> = {}): RepShift {
  return {
    station: 'HX01', station_name: '和谐联络站', day, starts: `${day}T01:00:00Z`, ends: `${day}T09:00:00Z`,
    with: [{ id: 'HX01-R02', name: '李四' }], swappable: true, ...extra,
  }
}

function swap(id: number, extra: Partial<DutySwap> = {}): DutySwap {
  return {
    id, rep_id: 'HX01-R01', rep_name: '张三', station: 'HX01', station_name: '和谐联络站', day: '2026-11-26',
    colleague: 'HX01-R03', colleague_name: '王五', reason: '外出开会', state: 'pending', replacement: '',
    replacement_name: '', note: '', created: '2026-11-23T02:00:00Z', decided: null, decided_by: '', ...extra,
  }
}

function duty(extra: Partial<RepDuty> = {}): RepDuty {
  return {
    today: '2026-11-23',
    shifts: [shift('2026-11-20'), shift('2026-11-23', { with: [] }), shift('2026-11-26')],
    swaps: [],
    colleagues: [{ id: 'HX01-R02', name: '李四' }, { id: 'HX01-R03', name: '王五' }],
    ...extra,
  }
}

describe('值班', () => {
  it('is in the bottom bar', () => {
    expect(nav.map((n) => n.name)).toContain('duty')
  })

  it('shows my coming duty days in the station’s hours', async () => {
    setup(repUser)
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/duty', () => json(duty()))
    const w = await open(DutyView, '/duty')
    const days = w.findAll('[data-testid="duty-shift"]')
    expect(days.map((d) => d.attributes('data-day'))).toEqual(['2026-11-23', '2026-11-26'])
    expect(days[0]?.text()).toContain('今天')
    expect(days[1]?.text()).toContain('2026-11-26 周四')
    expect(days[1]?.text()).toContain('09:00–17:00')
    expect(days[1]?.text()).toContain('同班：李四')
    expect(w.text()).toContain('最近一周已值班 1 天')
    expect(w.find('[data-testid="duty-no-requests"]').exists()).toBe(true)
  })

  it('asks to swap a day, naming a colleague, and shows the request and its decision', async () => {
    setup(repUser)
    const hub = fakeHub()
    let state = duty()
    hub.on('GET', '/api/v1/rep/duty', () => json(state))
    hub.on('POST', '/api/v1/rep/duty/swaps', () => {
      state = duty({ shifts: [shift('2026-11-26', { swappable: false })], swaps: [swap(7)] })
      return json(swap(7), 201)
    })
    const w = await open(DutyView, '/duty')
    await w.get('[data-day="2026-11-26"] [data-testid="duty-ask"]').trigger('click')
    const sheet = w.get('[data-testid="duty-sheet"]')
    // a colleague already on duty that day cannot be named
    expect(sheet.findAll('option').map((o) => [o.text(), o.attributes('disabled') !== undefined])).toEqual([
      ['不指定，由街道安排', false], ['李四', true], ['王五', false],
    ])
    await sheet.get('[data-testid="duty-colleague"]').setValue('HX01-R03')
    await sheet.get('[data-testid="duty-reason"]').setValue('  外出开会 ')
    await sheet.trigger('submit')
    await flushPromises()
    expect(hub.callsTo('/api/v1/rep/duty/swaps')[0]?.body).toEqual({ station: 'HX01', day: '2026-11-26', colleague: 'HX01-R03', reason: '外出开会' })
    expect(hub.callsTo('/api/v1/rep/duty/swaps')[0]?.headers['X-CSRF-Token']).toBe('tok')
    expect(w.get('[data-testid="duty-sent"]').text()).toContain('2026-11-26 的调班申请已提交')
    expect(w.find('[data-testid="duty-sheet"]').exists()).toBe(false)
    expect(w.get('[data-day="2026-11-26"] [data-testid="duty-pending"]').text()).toBe('调班申请审批中')
    const req = w.get('[data-testid="duty-request"]')
    expect(req.get('[data-testid="duty-request-state"]').text()).toBe('审批中')
    expect(req.text()).toContain('请 王五 接替')
  })

  it('keeps the sheet open with the hub’s reason when the request is refused', async () => {
    setup(repUser)
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/duty', () => json(duty({ swaps: [swap(3, { state: 'approved', replacement: 'HX01-R03', replacement_name: '王五', note: '已协调' })] })))
    hub.on('POST', '/api/v1/rep/duty/swaps', () => json({ code: 'duty_swap_pending', message: '这一天的调班申请正在审批中' }, 409))
    const w = await open(DutyView, '/duty')
    expect(w.get('[data-testid="duty-request"]').text()).toContain('由 王五 接替')
    expect(w.get('[data-testid="duty-request"]').text()).toContain('街道备注：已协调')
    await w.get('[data-day="2026-11-26"] [data-testid="duty-ask"]').trigger('click')
    await w.get('[data-testid="duty-sheet"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="duty-error"]').text()).toBe('这一天的调班申请正在审批中')
    expect(w.find('[data-testid="duty-sheet"]').exists()).toBe(true)
  })
})
