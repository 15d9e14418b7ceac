import type { CaseDetail, CaseSummary, Receipt, Session } from '@/bindings/models'

export function session(over: Partial<Session> = {}): Session {
  return {
    id: 's-1',
    kind: 'resident',
    residentId: 'r-1',
    surnameMask: '张*',
    idMasked: '1101**********002X',
    cardType: 'id',
    returning: false,
    needsConsent: false,
    community: '测试社区',
    startedAt: '2024-05-01T09:00:00+08:00',
    ...over,
  }
}

export function summary(over: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: 'c-1',
    number: 'HX01-0001',
    category: 'trash',
    categoryName: '环境卫生',
    text: '楼下垃圾桶满了没人清理',
    state: 'replied',
    submittedAt: '2024-05-01T09:00:00+08:00',
    updatedAt: '2024-05-02T09:00:00+08:00',
    overdue: false,
    canRate: true,
    rating: '',
    ...over,
  }
}

export function detail(over: Partial<CaseDetail> = {}): CaseDetail {
  return {
    summary: summary(),
    community: '测试社区',
    building: '3号楼',
    repName: '测试代表',
    deptName: '测试街道城管科',
    due: '2024-05-10T00:00:00+08:00',
    reply: '已安排清运',
    ratingComment: '',
    statusUrl: 'https://hub.example/c/HX01-0001',
    qrDataUrl: 'data:image/png;base64,AAAA',
    timeline: [],
    ...over,
  }
}

export function receipt(): Receipt {
  return {
    caseId: 'c-9',
    number: 'HX01-0009',
    submittedAt: '2024-05-01T09:00:00+08:00',
    statusUrl: 'https://hub.example/c/HX01-0009',
    qrDataUrl: 'data:image/png;base64,AAAA',
  }
}

type Handler = (...data: unknown[]) => void

/** fakeRuntime stands in for the Wails runtime's event bus. */
export function fakeRuntime() {
  const handlers = new Map<string, Set<Handler>>()
  const rt = {
    EventsOnMultiple(name: string, cb: Handler) {
      const set = handlers.get(name) ?? new Set<Handler>()
      set.add(cb)
      handlers.set(name, set)
      return () => set.delete(cb)
    },
  }
  ;(globalThis as { runtime?: unknown }).runtime = rt
  return {
    emit(name: string, payload: unknown) {
      for (const h of handlers.get(name) ?? []) h(payload)
    },
    count: (name: string) => handlers.get(name)?.size ?? 0,
    uninstall() {
      delete (globalThis as { runtime?: unknown }).runtime
    },
  }
}
