import { describe, expect, it } from 'vitest'
import { compactPhrases, splitByInitial, tonelessPinyin, type SourceDict } from '@/pinyin/compact'
import { PhraseDictionary } from '@/pinyin/phrases'

// A made-up source in the package's shape: word → [pinyin, frequency].
const source: SourceDict = {
  路灯: ['lù dēng', 4e-10],
  六等: ['liù děng', 2e-11],
  绿灯: ['lǜ dēng', 6e-11],
  路: ['lù', 3e-8],
  阿Q: ['ā Q', 1e-11],
  一丁点儿: ['yì dīng diǎn er', 2e-11],
  错拼: ['cuò', 1e-11],
  阿姨: ['ā yí', 1e-11],
  做饭: ['zuò fàn', 1e-11],
}

describe('compactPhrases', () => {
  it('strips tones and writes ü as v', () => {
    expect(tonelessPinyin('lǜ  dēng')).toBe('lv deng')
    expect(tonelessPinyin('nǚ ér')).toBe('nv er')
  })

  it('writes sorted keys, most frequent word first, counts in units of the rarest', () => {
    expect(compactPhrases(source).split('\n')).toEqual([
      'a yi\t阿姨 1',
      'liu deng\t六等 2',
      'lu deng\t路灯 14',
      'lv deng\t绿灯 6',
      'yi ding dian er\t一丁点儿 2',
      'zuo fan\t做饭 1',
    ])
  })

  it('leaves out single characters, non-Han words, bad spellings and overlong phrases', () => {
    const text = compactPhrases(source, { maxChars: 3, minCount: 1 })
    for (const w of ['路\t', '阿Q', '错拼', '一丁点儿']) expect(text).not.toContain(w)
  })

  it('leaves out phrases seen fewer times than asked', () => {
    expect(compactPhrases(source, { maxChars: 8, minCount: 3 }).split('\n')).toEqual(['lu deng\t路灯 14', 'lv deng\t绿灯 6'])
  })
})

describe('PhraseDictionary', () => {
  const text = compactPhrases({ ...source, 路况: ['lù kuàng', 5e-10], 露营: ['lù yíng', 3e-11] })
  const dict = new PhraseDictionary(splitByInitial(text).values())

  it('splits the text by first letter without losing a line', () => {
    const shards = splitByInitial(text)
    expect([...shards.keys()]).toEqual(['a', 'l', 'y', 'z'])
    expect([...shards.values()].join('\n')).toBe(text)
  })

  it('finds exact keys, including the first and the last line', () => {
    expect(dict.exact('lu deng').map((p) => p.word)).toEqual(['路灯'])
    expect(dict.exact('a yi').map((p) => p.word)).toEqual(['阿姨'])
    expect(dict.exact('zuo fan').map((p) => p.word)).toEqual(['做饭'])
  })

  it('finds nothing for keys it lacks, before, between and after its lines', () => {
    for (const k of ['a', 'lu', 'lu den', 'lu dengg', 'zzz']) expect(dict.exact(k), k).toEqual([])
  })

  it('ranks prefix matches by frequency and keeps only keys of the asked length', () => {
    expect(dict.withPrefix('lu ', 2, 10).map((p) => p.word)).toEqual(['路况', '路灯', '露营'])
    expect(dict.withPrefix('lu ', 2, 1).map((p) => p.word)).toEqual(['路况'])
    expect(dict.withPrefix('yi d', 2, 10)).toEqual([])
    expect(dict.withPrefix('yi d', 4, 10).map((p) => p.word)).toEqual(['一丁点儿'])
  })

  it('counts its keys', () => {
    expect(dict.countKeys()).toBe(8)
    expect(new PhraseDictionary(['']).countKeys()).toBe(0)
  })
})
