import { describe, expect, it } from 'vitest'
import { Syllables } from '@/pinyin/syllables'
import { pinyinTable } from '@/components/kiosk/keyboard/table'

const syllables = new Syllables(Object.keys(pinyinTable))
const split = (s: string) => syllables.segment(s).map((p) => `${p.text}${p.kind === 'syllable' ? '' : `(${p.kind})`}`)

describe('Syllables.segment', () => {
  const cases: { input: string; want: string[] }[] = [
    { input: 'ludeng', want: ['lu', 'deng'] },
    { input: 'ludengh', want: ['lu', 'deng', 'h(partial)'] },
    { input: 'xian', want: ['xian'] },
    { input: 'fangan', want: ['fang', 'an'] },
    { input: 'zhongguorenm', want: ['zhong', 'guo', 'ren', 'm(partial)'] },
    { input: 'shequweisheng', want: ['she', 'qu', 'wei', 'sheng'] },
    { input: 'xiaoqulajitong', want: ['xiao', 'qu', 'la', 'ji', 'tong'] },
    { input: 'zho', want: ['zho(partial)'] },
    { input: 'LUDENG', want: ['lu', 'deng'] },
    { input: 'vvv', want: ['vvv(unknown)'] },
    { input: 'luvvdeng', want: ['lu', 'vv(unknown)', 'deng'] },
    { input: '', want: [] },
  ]
  for (const c of cases) it(c.input || '(empty)', () => expect(split(c.input)).toEqual(c.want))

  it('knows whole syllables and their starts', () => {
    expect(syllables.has('zhuang')).toBe(true)
    expect(syllables.has('zhuan')).toBe(true)
    expect(syllables.has('zhuo')).toBe(true)
    expect(syllables.has('zhv')).toBe(false)
    expect(syllables.isStart('zhu')).toBe(true)
    expect(syllables.isStart('zhv')).toBe(false)
  })
})
