import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import * as rep from '@/bindings/rep'
import * as kiosk from '@/bindings/kiosk'
import { AppError } from '@/bindings/errors'
import type { ActivityCard, ActivityStatus } from '@/bindings/models'
import { useActivitiesStore } from '@/stores/activities'
import { canCancel, canSignUp, placeLabel } from '@/stores/signupPlace'
import SignUpButtons from '@/components/kiosk/SignUpButtons.vue'
import { createAppI18n } from '@/i18n'

vi.mock('@/bindings/rep', () => ({
  ActivityStatusOf: vi.fn(),
  SignUpActivity: vi.fn(),
  CancelSignUp: vi.fn(),
  CheckInActivity: vi.fn(),
  CheckInCode: vi.fn(),
  MySignUps: vi.fn(),
  SignUpCode: vi.fn(),
}))
vi.mock('@/bindings/kiosk', () => ({ Activities: vi.fn() }))

const r = vi.mocked(rep)
const k = vi.mocked(kiosk)

function card(over: Partial<ActivityCard> = {}): ActivityCard {
  return {
    id: 'HX01-A06', title: '养老服务设施议事会', kind: '议事会', place: '枫林社区活动室', description: '',
    starts: '2026-12-10T14:30:00+08:00', ends: '2026-12-10T16:30:00+08:00', capacity: 2, signedUp: 0,
    confirmed: 0, waiting: 0, attended: 0, mine: false, state: 'upcoming', cancelled: false, signUpRefusal: '',
    ...over,
  }
}

function status(over: Partial<ActivityStatus> = {}): ActivityStatus {
  return {
    activityId: 'HX01-A06', capacity: 2, signedUp: 0, confirmed: 0, waiting: 0, attended: 0, signUpRefusal: '',
    mine: false, checkedIn: false, place: '', position: 0, promoted: false, reason: '', ...over,
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('placeLabel', () => {
  it('words each answer of the hub, and says when the hub has not answered yet', () => {
    expect(placeLabel(status())).toBeNull()
    expect(placeLabel(status({ place: 'confirmed' }))?.key).toBe('signup.confirmed')
    expect(placeLabel(status({ place: 'confirmed', promoted: true }))?.key).toBe('signup.promoted')
    expect(placeLabel(status({ place: 'waitlisted', position: 3 }))).toEqual({ key: 'signup.waitlisted', params: { n: 3 }, tone: 'wait' })
    expect(placeLabel(status({ place: 'pending' }))?.tone).toBe('pending')
    expect(placeLabel(status({ place: 'cancelling' }))?.key).toBe('signup.cancelling')
    expect(placeLabel(status({ place: 'cancelled' }))?.key).toBe('signup.cancelled')
    expect(placeLabel(status({ place: 'cancelled', reason: 'signup_closed' }))?.key).toBe('errors.signup_closed')
  })

  it('offers 报名 only while sign-up is open and 取消 only to someone taking part', () => {
    expect(canSignUp(card(), status())).toBe(true)
    expect(canSignUp(card({ signUpRefusal: 'activity_cancelled' }), status())).toBe(false)
    expect(canSignUp(card({ state: 'past' }), null)).toBe(false)
    expect(canSignUp(card(), status({ mine: true, place: 'pending' }))).toBe(false)
    expect(canCancel(card(), status({ mine: true, place: 'waitlisted' }))).toBe(true)
    expect(canCancel(card(), status({ place: 'cancelled' }))).toBe(false)
    expect(canCancel(card({ state: 'past' }), status({ mine: true }))).toBe(false)
  })
})

describe('activities store', () => {
  it('puts the answer of a sign-up and a cancellation into the list and 我的报名', async () => {
    k.Activities.mockResolvedValue([card()])
    r.MySignUps.mockResolvedValue([{ activity: card(), status: status({ mine: true, place: 'pending', signedUp: 1 }) }])
    const s = useActivitiesStore()
    await s.load()
    await s.loadMine()
    r.SignUpActivity.mockResolvedValue(status({ mine: true, place: 'waitlisted', position: 1, signedUp: 3, confirmed: 2, waiting: 1 }))
    await s.signUp('HX01-A06')
    expect(s.list[0]).toMatchObject({ signedUp: 3, confirmed: 2, waiting: 1 })
    expect(s.mine[0]?.status.place).toBe('waitlisted')
    r.CancelSignUp.mockResolvedValue(status({ place: 'cancelling', signedUp: 2, confirmed: 2 }))
    await s.cancel('HX01-A06')
    expect(s.mine[0]?.status.place).toBe('cancelling')
    expect(s.list[0]?.signedUp).toBe(2)
    s.reset()
    expect(s.mine).toEqual([])
  })

  it('keeps the failure of 我的报名 to show it', async () => {
    r.MySignUps.mockRejectedValue(new AppError('card_required', 'card'))
    const s = useActivitiesStore()
    await s.loadMine()
    expect(s.mineError?.code).toBe('card_required')
  })
})

describe('SignUpButtons', () => {
  function mountButtons(st: ActivityStatus) {
    return mount(SignUpButtons, {
      props: { activity: card(), status: st },
      global: { plugins: [createAppI18n()] },
      attachTo: document.body,
    })
  }

  it('shows the waitlist place and cancels only after the confirmation', async () => {
    const w = mountButtons(status({ mine: true, place: 'waitlisted', position: 2 }))
    expect(w.get('[data-testid="signup-place"]').text()).toBe('候补第 2 位')
    expect(w.find('[data-testid="signup"]').exists()).toBe(false)
    await w.get('[data-testid="signup-cancel"]').trigger('click')
    const keep = document.querySelector<HTMLButtonElement>('[data-testid="signup-cancel-keep"]')
    expect(document.body.textContent).toContain('确定要取消报名吗？')
    keep?.click()
    await flushPromises()
    expect(r.CancelSignUp).not.toHaveBeenCalled()
    expect(document.querySelector('[data-testid="signup-cancel-confirm"]')).toBeNull()

    r.CancelSignUp.mockResolvedValue(status({ place: 'cancelling' }))
    await w.get('[data-testid="signup-cancel"]').trigger('click')
    document.querySelector<HTMLButtonElement>('[data-testid="signup-cancel-confirm"]')?.click()
    await flushPromises()
    expect(r.CancelSignUp).toHaveBeenCalledWith('HX01-A06')
    expect(w.emitted('changed')?.[0]?.[0]).toMatchObject({ place: 'cancelling' })
    w.unmount()
  })

  it('says plainly that a sign-up made offline waits for the hub', () => {
    const w = mountButtons(status({ mine: true, place: 'pending' }))
    expect(w.get('[data-testid="signup-place"]').text()).toBe('已报名，等待区平台确认名额')
    expect(w.find('[data-testid="signup-cancel"]').exists()).toBe(true)
    w.unmount()
  })
})
