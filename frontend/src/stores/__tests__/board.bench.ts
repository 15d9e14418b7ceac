// The work one board refetch costs the wall outside Vue and the renderer: normalising the
// board and building every chart option and the word-cloud layout.
import { bench, describe } from 'vitest'
import { normalizeBoard } from '../board'
import { categoryOption, funnelOption, gaugeOption, trendOption } from '@/components/wall/charts'
import { layoutHotWords } from '@/components/wall/motion'
import { sampleBoard } from '@/views/wall/__tests__/wallFixtures'

const big = sampleBoard({
  ticker: Array.from({ length: 200 }, (_, i) => ({ ...sampleBoard().ticker[0]!, text: `第${i}条` })),
  categories: Array.from({ length: 40 }, (_, i) => ({ name: `分类${i}`, count: i * 3 })),
  hotWords: Array.from({ length: 200 }, (_, i) => ({ word: `热词${i}`, weight: (i * 37) % 101 })),
})

describe('board refetch', () => {
  bench('normalizeBoard + options + hot words', () => {
    const b = normalizeBoard(big)
    gaugeOption(b.rates.response, '#fff')
    gaugeOption(b.rates.completion, '#fff')
    gaugeOption(b.rates.satisfaction, '#fff')
    funnelOption(b.funnel, (s) => s)
    categoryOption(b.categories)
    JSON.stringify(trendOption(b.trend, { submitted: '提交', closed: '办结' }))
    layoutHotWords(b.hotWords, 22, 56, 24)
  })
})
