import { describe, expect, it } from 'vitest'
import { PinyinEngine } from '@/components/kiosk/keyboard/pinyin'
import { pinyinTable } from '@/components/kiosk/keyboard/table'

const engine = new PinyinEngine(pinyinTable)

describe('PinyinEngine', () => {
  it('ships a table with the syllables residents need', () => {
    for (const s of ['lu', 'deng', 'la', 'ji', 'shui', 'dian', 'lou', 'zhong']) expect(engine.has(s)).toBe(true)
  })

  const cases: { name: string; buffer: string; consumed: number; includes: string }[] = [
    { name: 'whole syllable', buffer: 'lu', consumed: 2, includes: '路' },
    { name: 'longest syllable wins', buffer: 'xian', consumed: 4, includes: '先' },
    { name: 'two syllables take the first', buffer: 'zhongguo', consumed: 5, includes: '中' },
    { name: 'trailing partial', buffer: 'dengg', consumed: 4, includes: '灯' },
    { name: 'partial prefix offers its syllables', buffer: 'zho', consumed: 3, includes: '中' },
    { name: 'upper case is folded', buffer: 'SHUI', consumed: 4, includes: '水' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const got = engine.candidates(c.buffer)
      expect(got.consumed).toBe(c.consumed)
      expect(got.chars).toContain(c.includes)
    })
  }

  it('offers nothing for letters no syllable starts with', () => {
    expect(engine.candidates('vvv').chars).toEqual([])
  })

  it('segments a run of syllables', () => {
    expect(engine.segment('lajitong')).toEqual(['la', 'ji', 'tong'])
  })
})
