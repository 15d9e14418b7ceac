// Synthetic boards for the wall's tests: names are placeholders, never real people.
import type { Board, DeviceStatus } from '@/bindings/models'

export function sampleBoard(over: Partial<Board> = {}): Board {
  return {
    generatedAt: '2025-03-07T09:30:00+08:00',
    stationName: '测试街道人大代表联络站',
    offlineSince: null,
    totals: { year: 1234, month: 87, today: 6, open: 42, overdue: 3 },
    rates: { response: 0.8765, completion: 0.5, satisfaction: null },
    rateDefs: { response: '按时受理数 ÷ 提交数', completion: '办结数 ÷ (提交数 − 撤回数)', satisfaction: '(满意 + 基本满意) ÷ 评价数' },
    funnel: { submitted: 100, accepted: 80, assigned: 60, replied: 40, closed: 30 },
    categories: [
      { name: '环境卫生', count: 12 },
      { name: '交通出行', count: 7 },
    ],
    trend: Array.from({ length: 30 }, (_, i) => ({
      day: `2025-02-${String((i % 28) + 1).padStart(2, '0')}`,
      submitted: i % 5,
      closed: i % 3,
    })),
    ticker: [
      { at: '2025-03-07T09:10:00+08:00', kind: 'case', category: '环境卫生', community: '测试社区', surnameMask: '张*', text: '楼道堆放杂物' },
      { at: '2025-03-07T09:20:00+08:00', kind: 'reply', category: '交通出行', community: '示例社区', surnameMask: '李*', text: '已协调增设非机动车停放点' },
    ],
    onDuty: [
      { name: '测试代表甲', level: '区', signedIn: true },
      { name: '测试代表乙', level: '市', signedIn: false },
    ],
    activities: [
      { title: '代表接待日', starts: '2025-03-07T09:00:00+08:00', ends: '2025-03-07T11:00:00+08:00', place: '联络站一楼', attended: 8, capacity: 20, live: true },
    ],
    projects: [
      { name: '老旧小区加装电梯', progress: 60, milestones: [{ title: '立项', due: '2025-01-10', done: true }, { title: '施工', due: '2025-05-01', done: false }] },
    ],
    hotWords: [
      { word: '停车', weight: 9 },
      { word: '加装电梯', weight: 5 },
      { word: '垃圾分类', weight: 2 },
    ],
    ranking: null,
    ...over,
  }
}

/** A published ranking of six departments (two pages of the panel). */
export function sampleRanking(): NonNullable<Board['ranking']> {
  const names = ['街道城管科', '区住建局', '区交通局', '区民政局', '物业公司', '区水务局']
  return {
    title: '2025年2月承办单位工作评议',
    period: '2025年2月',
    rows: names.map((name, i) => ({
      rank: i + 1,
      name,
      score: 95.5 - i * 7.25,
      grade: i < 2 ? '满意' : i < 5 ? '基本满意' : '不满意',
      received: 10 - i,
      handleRate: i === 5 ? null : 1 - i / 10,
      avgRating: i === 5 ? null : 3 - i / 4,
    })),
  }
}

export function sampleStatus(state: DeviceStatus['sync']['state'], offlineSince: string | null = null): DeviceStatus {
  const periph = { state: 'off' as const, port: '', simulated: false, lastError: '', lastEventAt: null }
  return {
    sync: { state, hubUrl: '', lastSyncAt: '2025-03-07T08:00:00+08:00', offlineSince, errorCode: '', outboxDepth: 0, lagEvents: 0, epoch: '', cursor: 0, refused: 0, lastRefused: null },
    reader: periph,
    scanner: periph,
    store: { ok: true, path: '', error: '', readOnly: '' },
  }
}
