import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createAppI18n } from '@/i18n'
import { normalizeBoard } from '@/stores/board'
import { sampleBoard, sampleRanking } from '@/views/wall/__tests__/wallFixtures'
import RankingPanel from '../RankingPanel.vue'
import { nextTurn, TREND_ONLY, TREND_TICKS, type RankingTurn } from '../rankingTurn'

describe('nextTurn', () => {
  it('shows the trend, then every page of the ranking, then the trend again', () => {
    let turn: RankingTurn = TREND_ONLY
    const seen: (number | null)[] = []
    for (let i = 0; i < 2 * (TREND_TICKS + 2); i++) {
      turn = nextTurn(turn, 6, 4)
      seen.push(turn.page)
    }
    expect(seen).toEqual([null, 0, 1, null, null, 0, 1, null])
  })

  it('keeps the trend when no ranking is published, and drops a ranking that went away', () => {
    expect(nextTurn(TREND_ONLY, 0)).toEqual(TREND_ONLY)
    expect(nextTurn({ page: 1, trendTicks: 0 }, 0)).toEqual(TREND_ONLY)
    // a ranking that shrank while showing its last page goes back to the trend
    expect(nextTurn({ page: 3, trendTicks: 0 }, 5, 4)).toEqual(TREND_ONLY)
  })
})

describe('RankingPanel', () => {
  const mountPanel = (page: number, ranking = sampleRanking()) =>
    mount(RankingPanel, { props: { ranking, page, pageSize: 4 }, global: { plugins: [createAppI18n('zh-CN')] } })

  it('shows one page of departments, best first, with their figures', () => {
    const w = mountPanel(0)
    const rows = w.findAll('tbody tr')
    expect(rows).toHaveLength(4)
    expect(rows[0]!.findAll('td').map((td) => td.text())).toEqual(['1', '街道城管科', '95.5', '100.0%', '3.00', '满意'])
    expect(rows[0]!.classes()).toContain('ranking__top')
    expect(rows[3]!.classes()).not.toContain('ranking__top')
    expect(w.text()).toContain('1/2')
    expect(w.find('thead').text()).toContain('按期答复')
  })

  it('shows the next page, with — for figures that do not exist', () => {
    const w = mountPanel(1)
    const rows = w.findAll('tbody tr')
    expect(rows.map((r) => r.find('td.ranking__name').text())).toEqual(['物业公司', '区水务局'])
    expect(rows[1]!.findAll('td').map((td) => td.text())).toEqual(['6', '区水务局', '59.3', '—', '—', '不满意'])
    expect(w.text()).toContain('2/2')
  })

  it('says so when the period had no cases, and shows no page mark for one page', () => {
    const w = mountPanel(0, { ...sampleRanking(), rows: [] })
    expect(w.text()).toContain('评议期间内没有交办事项')
    expect(w.find('table').exists()).toBe(false)
    expect(w.text()).not.toContain('1/1')
  })
})

describe('normalizeBoard ranking', () => {
  it('keeps a ranking, bounds its rows, and drops one that is not an object', () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({ ...sampleRanking().rows[0]!, rank: i + 1 }))
    const b = normalizeBoard({ ...sampleBoard(), ranking: { ...sampleRanking(), rows } })
    expect(b.ranking?.rows).toHaveLength(60)
    expect(b.ranking?.period).toBe('2025年2月')
    expect(normalizeBoard({ ...sampleBoard(), ranking: undefined }).ranking).toBeNull()
    expect(normalizeBoard(sampleBoard({ ranking: 'x' as never })).ranking).toBeNull()
  })
})
