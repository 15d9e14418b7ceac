// A small pinyin engine over a syllable → characters table (most frequent first).
// Input is whole or partial syllables typed without tones, e.g. "zhongguo".

export type PinyinTable = Readonly<Record<string, string>>

export interface Candidates {
  /** How many letters of the buffer a chosen candidate consumes. */
  consumed: number
  chars: string[]
}

const maxSyllable = 6
const maxPartialChars = 40

export class PinyinEngine {
  private readonly table: Map<string, string[]>

  constructor(table: PinyinTable) {
    this.table = new Map()
    for (const [syllable, chars] of Object.entries(table)) {
      const list = chars.split(/\s+/).filter(Boolean)
      if (list.length > 0) this.table.set(syllable.toLowerCase(), list)
    }
  }

  has(syllable: string): boolean {
    return this.table.has(syllable)
  }

  /** candidates for the first syllable of buffer: the longest known prefix, else every syllable it starts. */
  candidates(buffer: string): Candidates {
    const b = buffer.toLowerCase()
    if (b.length === 0) return { consumed: 0, chars: [] }
    for (let n = Math.min(maxSyllable, b.length); n > 0; n--) {
      const chars = this.table.get(b.slice(0, n))
      // A prefix shorter than the buffer is only taken when the rest can still form syllables,
      // so "xian" stays one syllable but "zhongg" splits after "zhong".
      if (chars && (n === b.length || this.startsSyllable(b.slice(n)))) return { consumed: n, chars }
    }
    return { consumed: b.length, chars: this.partial(b) }
  }

  /** segment splits a buffer greedily into known syllables; unknown tails stay as they are. */
  segment(buffer: string): string[] {
    const out: string[] = []
    let rest = buffer.toLowerCase()
    while (rest.length > 0) {
      const { consumed } = this.candidates(rest)
      const n = Math.max(1, consumed)
      out.push(rest.slice(0, n))
      rest = rest.slice(n)
    }
    return out
  }

  private startsSyllable(rest: string): boolean {
    for (const key of this.table.keys()) if (key.startsWith(rest) || rest.startsWith(key)) return true
    return false
  }

  private partial(prefix: string): string[] {
    const seen = new Set<string>()
    const keys = [...this.table.keys()].filter((k) => k.startsWith(prefix)).sort((a, b) => a.length - b.length)
    // Round-robin over the matching syllables so each contributes its most common characters first.
    for (let i = 0; seen.size < maxPartialChars; i++) {
      let added = false
      for (const k of keys) {
        const c = this.table.get(k)?.[i]
        if (c !== undefined) {
          seen.add(c)
          added = true
        }
      }
      if (!added) break
    }
    return [...seen].slice(0, maxPartialChars)
  }
}
