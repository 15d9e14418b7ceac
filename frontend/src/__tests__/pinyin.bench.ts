import { bench, describe } from 'vitest'
import { PinyinEngine } from '@/components/kiosk/keyboard/pinyin'
import { pinyinTable } from '@/components/kiosk/keyboard/table'

// Candidates are recomputed on every key press; they must stay far below a frame.
const engine = new PinyinEngine(pinyinTable)

describe('pinyin engine', () => {
  bench('build engine from the bundled table', () => {
    new PinyinEngine(pinyinTable)
  })
  bench('candidates: whole syllable', () => {
    engine.candidates('zhuang')
  })
  bench('candidates: multi-syllable buffer', () => {
    engine.candidates('lajitongmanle')
  })
  bench('candidates: partial prefix', () => {
    engine.candidates('zh')
  })
  bench('segment 6 syllables', () => {
    engine.segment('xiaoqulajitong')
  })
})
