// The pinyin engine behind the on-screen keyboard: single characters from the keyboard's
// syllable table, and phrases from the dictionary once it has loaded (see load.ts).
import type { PhraseDictionary } from './phrases'
import { Syllables, type Piece } from './syllables'

/** syllable → characters separated by spaces, most common first */
export type PinyinTable = Readonly<Record<string, string>>

export interface Candidate {
  text: string
  /** how many letters at the start of the input choosing this candidate uses up */
  consumed: number
}

export interface EngineOptions {
  /** most phrase candidates offered for one input */
  maxPhrases: number
  /** most characters offered for a first syllable that is still being typed ("zh") */
  maxPartialChars: number
}

const defaults: EngineOptions = { maxPhrases: 48, maxPartialChars: 40 }

export class PinyinEngine {
  private readonly chars = new Map<string, string[]>()
  private readonly syllables: Syllables
  private readonly opts: EngineOptions

  constructor(
    table: PinyinTable,
    private readonly phrases: PhraseDictionary | null = null,
    opts: Partial<EngineOptions> = {},
  ) {
    for (const [syllable, list] of Object.entries(table)) {
      const chars = list.split(/\s+/).filter(Boolean)
      if (chars.length > 0) this.chars.set(syllable.toLowerCase(), chars)
    }
    this.syllables = new Syllables(this.chars.keys())
    this.opts = { ...defaults, ...opts }
  }

  /** withPhrases is this engine's table joined to a loaded phrase dictionary. */
  withPhrases(phrases: PhraseDictionary): PinyinEngine {
    const table: Record<string, string> = {}
    for (const [s, list] of this.chars) table[s] = list.join(' ')
    return new PinyinEngine(table, phrases, this.opts)
  }

  get hasPhrases(): boolean {
    return this.phrases !== null
  }

  has(syllable: string): boolean {
    return this.syllables.has(syllable)
  }

  segment(input: string): string[] {
    return this.syllables.segment(input).map((p) => p.text)
  }

  /**
   * candidates for input: phrases first, those covering more of the input before shorter
   * ones and the more frequent first among equals; then the characters of the first syllable.
   */
  candidates(input: string): Candidate[] {
    const pieces = this.syllables.segment(input)
    const first = pieces[0]
    if (!first) return []
    const out = this.phraseCandidates(pieces)
    const seen = new Set(out.map((c) => c.text))
    for (const text of this.firstChars(first)) {
      if (!seen.has(text)) out.push({ text, consumed: first.text.length })
      seen.add(text)
    }
    return out
  }

  private phraseCandidates(pieces: Piece[]): Candidate[] {
    if (!this.phrases) return []
    // Phrases follow the leading run of syllables; letters after an unknown piece are left alone.
    let usable = 0
    while (usable < pieces.length && pieces[usable]?.kind !== 'unknown') usable++
    const out: Candidate[] = []
    const seen = new Set<string>()
    for (let n = usable; n >= 2 && out.length < this.opts.maxPhrases; n--) {
      const head = pieces.slice(0, n)
      const consumed = head.reduce((sum, p) => sum + p.text.length, 0)
      const key = head.map((p) => p.text).join(' ')
      const room = this.opts.maxPhrases - out.length
      const found =
        head[n - 1]?.kind === 'partial' ? this.phrases.withPrefix(key, n, room) : this.phrases.exact(key).slice(0, room)
      for (const p of found) {
        if (seen.has(p.word)) continue
        seen.add(p.word)
        out.push({ text: p.word, consumed })
      }
    }
    return out
  }

  private firstChars(first: Piece): string[] {
    if (first.kind === 'syllable') return this.chars.get(first.text) ?? []
    if (first.kind === 'partial') return this.partialChars(first.text)
    return []
  }

  /** partialChars offers the most common characters of every syllable prefix starts, in turn. */
  private partialChars(prefix: string): string[] {
    const lists = [...this.chars.entries()]
      .filter(([s]) => s.startsWith(prefix))
      .sort((a, b) => a[0].length - b[0].length)
      .map(([, list]) => list)
    const seen = new Set<string>()
    for (let i = 0; seen.size < this.opts.maxPartialChars; i++) {
      let added = false
      for (const list of lists) {
        const c = list[i]
        if (c === undefined) continue
        seen.add(c)
        added = true
      }
      if (!added) break
    }
    return [...seen].slice(0, this.opts.maxPartialChars)
  }
}
