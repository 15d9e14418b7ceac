import { beforeAll, describe, expect, it } from 'vitest'
import { PinyinEngine } from '@/pinyin/engine'
import { loadPhrases } from '@/pinyin/load'
import type { PhraseDictionary } from '@/pinyin/phrases'
import { pinyinTable } from '@/components/kiosk/keyboard/table'

const chars = new PinyinEngine(pinyinTable)

describe('PinyinEngine without phrases (before the dictionary loads)', () => {
  it('ships a table with the syllables residents need', () => {
    for (const s of ['lu', 'deng', 'la', 'ji', 'shui', 'dian', 'lou', 'zhong']) expect(chars.has(s)).toBe(true)
  })

  const cases: { name: string; input: string; consumed: number; includes: string }[] = [
    { name: 'whole syllable', input: 'lu', consumed: 2, includes: '路' },
    { name: 'longest syllable wins', input: 'xian', consumed: 4, includes: '先' },
    { name: 'two syllables take the first', input: 'zhongguo', consumed: 5, includes: '中' },
    { name: 'trailing partial', input: 'dengg', consumed: 4, includes: '灯' },
    { name: 'partial prefix offers its syllables', input: 'zho', consumed: 3, includes: '中' },
    { name: 'upper case is folded', input: 'SHUI', consumed: 4, includes: '水' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const got = chars.candidates(c.input)
      expect(got.every((x) => x.consumed === c.consumed)).toBe(true)
      expect(got.map((x) => x.text)).toContain(c.includes)
    })
  }

  it('offers nothing for letters no syllable starts with', () => {
    expect(chars.candidates('vvv')).toEqual([])
  })

  it('segments a run of syllables', () => {
    expect(chars.segment('lajitong')).toEqual(['la', 'ji', 'tong'])
  })
})

describe('PinyinEngine with the package dictionary', () => {
  let dict: PhraseDictionary
  let engine: PinyinEngine
  beforeAll(async () => {
    dict = await loadPhrases()
    engine = chars.withPhrases(dict)
    // The first load compacts the package's 19 MB word list, which takes a few seconds.
  }, 120_000)

  const texts = (input: string) => engine.candidates(input).map((c) => c.text)

  it('is the package’s full word list, not a short hand-made one', () => {
    // @pinyin-pro/data's complete.json holds about 270,000 spellings of phrases of 2–8 characters.
    expect(dict.countKeys()).toBeGreaterThan(200_000)
    // Everyday words of a neighbourhood office, none of them in the single-character table.
    expect(texts('shebaoka')[0]).toBe('社保卡')
    expect(texts('jianshenqicai')[0]).toBe('健身器材')
    expect(texts('juweihui')[0]).toBe('居委会')
  })

  it('puts 路灯 first for ludeng, then other phrases, then the characters of lu', () => {
    const got = engine.candidates('ludeng')
    expect(got[0]).toEqual({ text: '路灯', consumed: 6 })
    const firstSingle = got.findIndex((c) => [...c.text].length === 1)
    expect(firstSingle).toBeGreaterThan(0)
    expect(got.slice(0, firstSingle).every((c) => c.consumed === 6)).toBe(true)
    expect(got.slice(firstSingle).every((c) => [...c.text].length === 1 && c.consumed === 2)).toBe(true)
    expect(got.slice(firstSingle).map((c) => c.text)).toEqual(expect.arrayContaining(['路', '六', '陆']))
  })

  it('ranks phrases covering more of the input first, the more frequent first among equals', () => {
    const got = engine.candidates('shequweisheng')
    expect(got[0]).toEqual({ text: '社区卫生', consumed: 13 })
    const she = got.filter((c) => c.consumed === 5).map((c) => c.text)
    expect(she[0]).toBe('社区')
  })

  it('completes a partial last syllable and falls back to shorter phrases', () => {
    expect(engine.candidates('lajit').slice(0, 2)).toEqual([
      { text: '垃圾桶', consumed: 5 },
      { text: '垃圾筒', consumed: 5 },
    ])
    const got = engine.candidates('ludengh')
    // No three-character phrase reads lu deng h…, so the best choice is 路灯, leaving the h.
    expect(got.every((c) => c.consumed <= 6)).toBe(true)
    expect(got[0]).toEqual({ text: '路灯', consumed: 6 })
  })

  it('offers the characters of a first syllable still being typed', () => {
    const got = engine.candidates('zh')
    expect(got.map((c) => c.text)).toContain('中')
    expect(got.every((c) => c.consumed === 2)).toBe(true)
  })

  it('keeps phrases to the syllables before a typo', () => {
    const got = engine.candidates('ludengvv')
    expect(got[0]).toEqual({ text: '路灯', consumed: 6 })
  })
})
