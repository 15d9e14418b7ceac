import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import BadgesView from '../setup/BadgesView.vue'
import { api } from '../api'
import { BADGE_STATES, type AdminBadge } from '../api/types'
import zh from '../i18n/provision.zh-CN'
import en from '../i18n/provision.en'
import { adminUser, consolePage, fakeHub, json } from './helpers'

const ref = {
  stations: [],
  departments: [],
  categories: [],
  representatives: [
    { id: 'HX01-R01', name: '张三', level: '区', stations: ['HX01'] },
    { id: 'HX01-R02', name: '李四', level: '市', stations: ['HX01'] },
  ],
}

function badge(serial: string, extra: Partial<AdminBadge> = {}): AdminBadge {
  return {
    serial, rep_id: 'HX01-R01', rep_name: '张三', valid_until: '2027-12-05T16:00:00Z', last_day: '2027-12-05',
    issued_at: '2026-12-05T02:00:00Z', state: 'active', ...extra,
  }
}

const listed = [
  badge('B0004', { rep_id: 'HX01-R02', rep_name: '李四' }),
  badge('B0003'),
  badge('B0002', { state: 'revoked', revoked_at: '2026-12-01T02:00:00Z' }),
  badge('B0001', { state: 'expired' }),
]

afterEach(() => {
  vi.unstubAllGlobals()
})
const page = consolePage(adminUser)
const mountBadges = () => page.open(BadgesView, '/setup/badges')

const serials = (w: VueWrapper) => w.findAll('[data-testid="badge-row"]').map((r) => r.attributes('data-serial'))
const body = () => document.body

function hubWith(badges: AdminBadge[]) {
  const hub = fakeHub()
  hub.on('GET', '/api/v1/admin/badges', () => json({ badges }))
  hub.on('GET', '/api/v1/ref', () => json(ref))
  return hub
}

describe('badges page', () => {
  it('lists the badges in force, the others only when asked', async () => {
    hubWith(listed)
    const w = await mountBadges()
    expect(serials(w)).toEqual(['B0004', 'B0003'])
    expect(w.get('[data-serial="B0004"]').text()).toContain('李四（HX01-R02）')
    expect(w.get('[data-serial="B0004"]').text()).toContain('有效')
    await w.get('[data-testid="badge-show-inactive"]').setValue(true)
    expect(serials(w)).toEqual(['B0004', 'B0003', 'B0002', 'B0001'])
    const revoked = w.get('[data-serial="B0002"]')
    expect(revoked.text()).toContain('已停用')
    expect(revoked.find('[data-testid="badge-revoke"]').exists()).toBe(false)
    expect(revoked.find('[data-testid="badge-select"]').exists()).toBe(false)
    expect(w.get('[data-serial="B0001"]').text()).toContain('已过期')
  })

  it('prints the ticked badges, or every badge in force when none is ticked', async () => {
    hubWith(listed)
    const open = vi.fn()
    vi.stubGlobal('open', open)
    const w = await mountBadges()
    expect(w.get('[data-testid="badge-print"]').text()).toBe('打印全部有效胸牌')
    await w.get('[data-testid="badge-print"]').trigger('click')
    expect(open).toHaveBeenLastCalledWith('/api/v1/admin/badges/sheet.pdf', '_blank', 'noopener')

    await w.get('[data-serial="B0003"] [data-testid="badge-select"]').setValue(true)
    await w.get('[data-serial="B0004"] [data-testid="badge-select"]').setValue(true)
    expect(w.get('[data-testid="badge-print"]').text()).toBe('打印选中的胸牌（2）')
    await w.get('[data-testid="badge-print"]').trigger('click')
    expect(open).toHaveBeenLastCalledWith('/api/v1/admin/badges/sheet.pdf?ids=B0003%2CB0004', '_blank', 'noopener')
  })

  it('issues a badge to the representative picked, through the day given', async () => {
    const hub = hubWith([])
    hub.on('POST', '/api/v1/admin/badges', () => json(badge('B0001', { rep_id: 'HX01-R02', rep_name: '李四' }), 201))
    const w = await mountBadges()
    expect(w.get('[data-testid="badge-empty"]').text()).toBe('还没有发放胸牌')

    await w.get('[data-testid="badge-issue"]').trigger('click')
    const rep = body().querySelector<HTMLSelectElement>('[data-testid="badge-rep"]')!
    rep.value = 'HX01-R02'
    rep.dispatchEvent(new Event('change'))
    const day = body().querySelector<HTMLInputElement>('[data-testid="badge-last-day"]')!
    day.value = '2027-06-30'
    day.dispatchEvent(new Event('input'))
    await flushPromises()
    body().querySelector<HTMLFormElement>('[data-testid="badge-issue-dialog"] form')!.dispatchEvent(new Event('submit'))
    await flushPromises()

    const post = hub.callsTo('/api/v1/admin/badges').find((c) => c.method === 'POST')
    expect(post?.body).toEqual({ rep_id: 'HX01-R02', last_day: '2027-06-30' })
    expect(w.get('[data-testid="badge-notice"]').text()).toBe('已发放胸牌 B0001')
    expect(body().querySelector('[data-testid="badge-issue-dialog"]')).toBeNull()
  })

  it('words a refused issue in the dialog', async () => {
    const hub = hubWith([])
    hub.on('POST', '/api/v1/admin/badges', () => json({ code: 'unknown_rep', message: 'x' }, 404))
    const w = await mountBadges()
    await w.get('[data-testid="badge-issue"]').trigger('click')
    body().querySelector<HTMLFormElement>('[data-testid="badge-issue-dialog"] form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(body().querySelector('[data-testid="badge-form-error"]')?.textContent).toContain('找不到该代表')
  })

  it('revokes only with a reason', async () => {
    const hub = hubWith(listed)
    hub.on('POST', '/api/v1/admin/badges/B0003/revoke', () => json(null, 204))
    const w = await mountBadges()
    await w.get('[data-serial="B0003"] [data-testid="badge-revoke"]').trigger('click')
    const submit = body().querySelector<HTMLButtonElement>('[data-testid="badge-act-submit"]')!
    expect(submit.disabled).toBe(true)
    const reason = body().querySelector<HTMLInputElement>('[data-testid="badge-reason"]')!
    reason.value = ' 遗失 '
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(submit.disabled).toBe(false)
    body().querySelector<HTMLFormElement>('[data-testid="badge-act-dialog"] form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(hub.callsTo('/api/v1/admin/badges/B0003/revoke')[0]?.body).toEqual({ reason: '遗失' })
  })

  it('reissues a badge and ticks the new one for printing', async () => {
    const hub = hubWith(listed)
    hub.on('POST', '/api/v1/admin/badges/B0003/reissue', () => {
      hub.on('GET', '/api/v1/admin/badges', () => json({ badges: [badge('B0005'), ...listed] }))
      return json(badge('B0005'), 201)
    })
    const w = await mountBadges()
    await w.get('[data-serial="B0003"] [data-testid="badge-reissue"]').trigger('click')
    expect(body().querySelector('[data-testid="badge-act-dialog"]')?.textContent).toContain('为 张三（HX01-R01） 发放一枚')
    body().querySelector<HTMLFormElement>('[data-testid="badge-act-dialog"] form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(hub.callsTo('/api/v1/admin/badges/B0003/reissue')[0]?.body).toEqual({ reason: '' })
    expect(w.get('[data-testid="badge-notice"]').text()).toBe('已发放胸牌 B0005')
    expect(w.get('[data-testid="badge-print"]').text()).toBe('打印选中的胸牌（1）')
  })

  it('has a word for every badge state and the same keys in both languages', () => {
    for (const s of BADGE_STATES) {
      expect(zh.badges.states[s]).toBeTruthy()
      expect(en.badges.states[s]).toBeTruthy()
    }
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })
})
