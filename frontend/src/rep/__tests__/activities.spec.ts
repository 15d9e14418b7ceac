import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { api } from '@/console/api'
import type { RepActivity } from '@/console/api/types'
import { fakeHub, json } from '@/console/__tests__/helpers'
import { createRepI18n } from '../i18n'
import ActivitiesView from '../views/ActivitiesView.vue'
import BadgeView from '../views/BadgeView.vue'

let wrapper: VueWrapper | null = null
beforeEach(() => {
  setActivePinia(createPinia())
  api.csrf = 'tok'
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
})

async function open(component: typeof ActivitiesView | typeof BadgeView) {
  wrapper = mount(component, { global: { plugins: [createRepI18n()] } })
  await flushPromises()
  return wrapper
}

function activity(extra: Partial<RepActivity> = {}): RepActivity {
  return {
    id: 'HX01-A90',
    station: 'HX01',
    title: '代表进社区听民声',
    kind: '接待日',
    place: '幸福里社区活动室',
    starts: '2026-11-26T02:00:00Z',
    ends: '2026-11-26T04:00:00Z',
    capacity: 10,
    status: '',
    confirmed: 3,
    ...extra,
  }
}

describe('activities I am invited to', () => {
  it('signs up and takes the sign-up back', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/activities', () => json({ activities: [activity()] }))
    hub.on('POST', '/api/v1/rep/activities/HX01-A90/signup', () => json(activity({ status: 'confirmed', confirmed: 4 })))
    hub.on('POST', '/api/v1/rep/activities/HX01-A90/cancel', () => json(activity({ status: 'cancelled', confirmed: 3 })))
    const w = await open(ActivitiesView)
    expect(w.text()).toContain('已报名 3/10')
    await w.get('[data-testid="signup"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="signup-status"]').text()).toBe('已报名')
    expect(w.text()).toContain('已报名 4/10')
    expect(w.get('[data-testid="signup"]').text()).toBe('取消报名')
    await w.get('[data-testid="signup"]').trigger('click')
    await flushPromises()
    expect(hub.callsTo('/api/v1/rep/activities/HX01-A90/cancel')).toHaveLength(1)
    expect(w.get('[data-testid="signup"]').text()).toBe('报名参加')
  })

  it('says why a sign-up is not taken, and offers no button then', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/activities', () =>
      json({ activities: [activity({ refusal: 'signup_closed' }), activity({ id: 'HX01-A91', status: 'waitlisted', position: 2 })] }),
    )
    hub.on('POST', '/api/v1/rep/activities/HX01-A91/cancel', () => json({ code: 'signup_none', message: '没有找到您对这个活动的报名，无需取消。' }, 409))
    const w = await open(ActivitiesView)
    const [closed, waiting] = [w.get('[data-testid="activity-HX01-A90"]'), w.get('[data-testid="activity-HX01-A91"]')]
    expect(closed.text()).toContain('报名已截止')
    expect(closed.find('[data-testid="signup"]').exists()).toBe(false)
    expect(waiting.text()).toContain('候补第 2 位')
    await waiting.get('[data-testid="signup"]').trigger('click')
    await flushPromises()
    expect(waiting.get('[role="alert"]').text()).toBe('没有找到您对这个活动的报名，无需取消。')
  })
})

describe('my badge', () => {
  it('shows the valid badge as a QR image', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/badge', () => json({ serial: 'B0007', rep_name: '张三', valid_until: '2027-11-23T16:00:00Z', last_day: '2027-11-23' }))
    const w = await open(BadgeView)
    expect(w.get('[data-testid="badge-qr"]').attributes('src')).toBe('/api/v1/rep/badge.png?serial=B0007')
    expect(w.text()).toContain('有效期至 2027-11-23')
  })

  it('says plainly when there is none', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/rep/badge', () => json({ code: 'rep_badge_none', message: '您目前没有有效的代表证，请联系工作人员办理' }, 404))
    const w = await open(BadgeView)
    expect(w.get('[data-testid="badge-none"]').text()).toBe('您目前没有有效的代表证，请联系工作人员办理')
    expect(w.find('img').exists()).toBe(false)
  })
})
