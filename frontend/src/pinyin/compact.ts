// Build-time compaction of the phrase dictionary shipped by @pinyin-pro/data (complete.json:
// the jieba word list with each word's pinyin and relative frequency). It runs in the Vite
// config (Node), so it must stay free of DOM and Node APIs alike.
//
// Output: one text of lines sorted by key, "key\tword count word count…", where key is the
// toneless pinyin with syllables separated by spaces (ü written v, as typed), words of a key are
// ordered most frequent first, and count is the word's frequency in base 36 (in units of the
// rarest word). Sorted text lets the station binary-search it without building any index.

/**
 * The id the keyboard imports the compact dictionary by; served by the Vite plugin as one small
 * module of loaders and one chunk per first letter (`${phrasesModuleId}-l`), each well under a
 * megabyte, so no single script is large to fetch and parse.
 */
export const phrasesModuleId = 'virtual:pinyin-phrases'

/** word → [pinyin with tone marks, relative frequency, …] */
export type SourceDict = Readonly<Record<string, readonly [string, number, ...unknown[]]>>

export interface CompactOptions {
  /** Phrases longer than this many characters are left out; nobody types them on a kiosk. */
  maxChars: number
  /**
   * Phrases seen fewer times than this in the source's corpus are left out. 1 keeps all
   * (about 7.5 MB); 2 drops the words seen once and more than halves the size, but also loses
   * everyday words such as 社保卡 and 健身器材.
   */
  minCount: number
}

export const defaultCompactOptions: CompactOptions = { maxChars: 8, minCount: 1 }

const han = /^[\u3400-\u9fff]+$/
const syllable = /^[a-z]+$/

/** tonelessPinyin turns "lǜ dēng" into "lv deng". */
export function tonelessPinyin(pinyin: string): string {
  return pinyin
    .normalize('NFD')
    .replace(/u\u0308/g, 'v')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .join(' ')
}

export function compactPhrases(source: SourceDict, opts: CompactOptions = defaultCompactOptions): string {
  // A few thousand toned syllables spell every word; converting each once keeps the build quick.
  const toneless = new Map<string, string>()
  const spell = (pinyin: string) =>
    pinyin
      .trim()
      .split(/\s+/)
      .map((s) => {
        let t = toneless.get(s)
        if (t === undefined) toneless.set(s, (t = tonelessPinyin(s)))
        return t
      })
      .join(' ')
  let rarest = Infinity
  for (const entry of Object.values(source)) if (entry[1] > 0 && entry[1] < rarest) rarest = entry[1]
  const groups = new Map<string, { word: string; count: number }[]>()
  for (const [word, entry] of Object.entries(source)) {
    const chars = [...word]
    // Single characters come from the keyboard's own syllable table, which also knows every
    // reading of a polyphone; the dictionary adds what that table cannot: phrases.
    if (chars.length < 2 || chars.length > opts.maxChars || !han.test(word)) continue
    const key = spell(entry[0])
    const syllables = key.split(' ')
    if (syllables.length !== chars.length || !syllables.every((s) => syllable.test(s))) continue
    const count = Math.max(1, Math.round(entry[1] / rarest))
    if (count < opts.minCount) continue
    const list = groups.get(key)
    if (list) list.push({ word, count })
    else groups.set(key, [{ word, count }])
  }
  const keys = [...groups.keys()].sort(compareKeys)
  const lines: string[] = []
  for (const key of keys) {
    const words = groups.get(key) ?? []
    words.sort((a, b) => b.count - a.count || compareKeys(a.word, b.word))
    lines.push(`${key}\t${words.map((w) => `${w.word} ${w.count.toString(36)}`).join(' ')}`)
  }
  return lines.join('\n')
}

/** compareKeys orders by UTF-16 code units, the order the station's binary search relies on. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** splitByInitial cuts the compact text into one text per first letter of the keys. */
export function splitByInitial(text: string): Map<string, string> {
  const lines = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    const initial = line.charAt(0)
    if (!initial) continue
    const list = lines.get(initial)
    if (list) list.push(line)
    else lines.set(initial, [line])
  }
  return new Map([...lines].map(([initial, list]) => [initial, list.join('\n')]))
}
