import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import * as kiosk from '@/bindings/kiosk'
import { AppError } from '@/bindings/errors'
import { useSessionStore } from '@/stores/session'
import { useCasesStore } from '@/stores/cases'
import { useRepsStore } from '@/stores/reps'
import { on } from '@/events'
import { detail, fakeRuntime, receipt, session, summary } from './fixtures'

vi.mock('@/bindings/kiosk', () => ({
  GetSession: vi.fn(),
  AcceptConsent: vi.fn(),
  DeclineConsent: vi.fn(),
  StartAnonymous: vi.fn(),
  EndSession: vi.fn(),
  SimulateCard: vi.fn(),
  Categories: vi.fn(),
  Communities: vi.fn(),
  SubmitCase: vi.fn(),
  MyCases: vi.fn(),
  CaseDetailOf: vi.fn(),
  RateCase: vi.fn(),
  MyRepresentatives: vi.fn(),
  Representatives: vi.fn(),
  Activities: vi.fn(),
}))

const m = vi.mocked(kiosk)

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('session store', () => {
  it('wipes the session and every personal list when the session ends', async () => {
    m.GetSession.mockResolvedValue(session())
    m.MyCases.mockResolvedValue([summary()])
    m.EndSession.mockResolvedValue()
    const s = useSessionStore()
    const cases = useCasesStore()
    const reps = useRepsStore()
    await s.load()
    await cases.refresh()
    cases.draft.text = '路灯坏了三天了'
    reps.mine = [{ id: 'p1', name: '测试', gender: '', level: 'district', constituency: '', title: '', photoSeed: 1, photoUrl: '', onDutyToday: false, signedIn: false, mine: true, qrDataUrl: '' }]

    const failure = await s.end()

    expect(failure).toBeNull()
    expect(m.EndSession).toHaveBeenCalledOnce()
    expect(s.session).toBeNull()
    expect(cases.list).toEqual([])
    expect(cases.draft.text).toBe('')
    expect(reps.mine).toEqual([])
  })

  it('still wipes the screen when Go cannot be told', async () => {
    m.GetSession.mockResolvedValue(session())
    m.EndSession.mockRejectedValue(new AppError('internal', 'x'))
    const s = useSessionStore()
    await s.load()
    useCasesStore().draft.text = '草稿内容很长'
    const failure = await s.end()
    expect(failure?.code).toBe('internal')
    expect(s.session).toBeNull()
    expect(useCasesStore().draft.text).toBe('')
  })

  it('drops the previous resident data when a different session arrives', () => {
    const rt = fakeRuntime()
    try {
      const s = useSessionStore()
      const cases = useCasesStore()
      s.subscribe()
      rt.emit('session:changed', session({ id: 'a' }))
      cases.list = [summary()]
      rt.emit('session:changed', session({ id: 'a', needsConsent: false }))
      expect(cases.list).toHaveLength(1)
      rt.emit('session:changed', session({ id: 'b' }))
      expect(cases.list).toEqual([])
      expect(s.session?.id).toBe('b')
      s.unsubscribe()
      expect(rt.count('session:changed')).toBe(0)
    } finally {
      rt.uninstall()
    }
  })

  it('records a card error and clears it on a good read', () => {
    const rt = fakeRuntime()
    try {
      const s = useSessionStore()
      s.subscribe()
      rt.emit('card:error', { code: 'card_invalid' })
      expect(s.cardError).toBe('card_invalid')
      rt.emit('session:changed', session())
      expect(s.cardError).toBeNull()
    } finally {
      rt.uninstall()
    }
  })
})

describe('cases store', () => {
  it('keeps the draft when submit fails and clears it on success', async () => {
    const cases = useCasesStore()
    Object.assign(cases.draft, { category: 'trash', text: '垃圾桶满了没人清理', community: '测试社区', phone: '13800000000' })
    m.SubmitCase.mockRejectedValueOnce(new AppError('store_failed', '磁盘满'))

    await expect(cases.submit()).rejects.toMatchObject({ code: 'store_failed' })
    expect(cases.draft.text).toBe('垃圾桶满了没人清理')
    expect(cases.draft.phone).toBe('13800000000')
    expect(cases.submitting).toBe(false)
    expect(cases.submitError?.code).toBe('store_failed')
    expect(cases.receipt).toBeNull()

    m.SubmitCase.mockResolvedValueOnce(receipt())
    const r = await cases.submit()
    expect(r.number).toBe('HX01-0009')
    expect(m.SubmitCase).toHaveBeenLastCalledWith({
      category: 'trash', text: '垃圾桶满了没人清理', community: '测试社区', building: '', phone: '13800000000', anonymous: false,
    })
    expect(cases.draft.text).toBe('')
    expect(cases.receipt?.number).toBe('HX01-0009')
  })

  it('marks submitting while the call is in flight', async () => {
    const cases = useCasesStore()
    let resolve: (r: ReturnType<typeof receipt>) => void = () => {}
    m.SubmitCase.mockReturnValue(new Promise((res) => (resolve = res)))
    const p = cases.submit()
    expect(cases.submitting).toBe(true)
    await expect(cases.submit()).rejects.toThrow()
    resolve(receipt())
    await p
    expect(cases.submitting).toBe(false)
    expect(m.SubmitCase).toHaveBeenCalledOnce()
  })

  it('refreshes the list and the open detail on cases:changed', async () => {
    const rt = fakeRuntime()
    try {
      const cases = useCasesStore()
      m.MyCases.mockResolvedValueOnce([summary({ state: 'assigned' })])
      m.CaseDetailOf.mockResolvedValueOnce(detail({ summary: summary({ state: 'assigned' }) }))
      await cases.refresh()
      await cases.openDetail('c-1')

      m.MyCases.mockResolvedValueOnce([summary({ state: 'replied' })])
      m.CaseDetailOf.mockResolvedValueOnce(detail({ summary: summary({ state: 'replied' }) }))
      let done: Promise<void> = Promise.resolve()
      const off = on('cases:changed', (e) => (done = cases.onChanged(e.ids)))
      rt.emit('cases:changed', { ids: ['c-1'] })
      await done
      off()

      expect(m.MyCases).toHaveBeenCalledTimes(2)
      expect(cases.list[0]?.state).toBe('replied')
      expect(cases.detail?.summary.state).toBe('replied')
    } finally {
      rt.uninstall()
    }
  })

  it('leaves the open detail alone when other cases change', async () => {
    const cases = useCasesStore()
    m.MyCases.mockResolvedValue([summary()])
    m.CaseDetailOf.mockResolvedValue(detail())
    await cases.openDetail('c-1')
    await cases.onChanged(['c-2'])
    expect(m.CaseDetailOf).toHaveBeenCalledOnce()
    expect(m.MyCases).toHaveBeenCalledOnce()
  })

  it('updates the list entry after a rating', async () => {
    const cases = useCasesStore()
    cases.list = [summary()]
    m.RateCase.mockResolvedValue(detail({ summary: summary({ canRate: false, rating: 'unsatisfied', state: 'reopened' }) }))
    await cases.rate('c-1', 'unsatisfied', ' 还是没修好 ')
    expect(m.RateCase).toHaveBeenCalledWith('c-1', 'unsatisfied', '还是没修好')
    expect(cases.list[0]?.state).toBe('reopened')
    expect(cases.rating).toBe(false)
  })
})
