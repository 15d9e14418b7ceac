// Phrase lookups over the compact dictionary text (see compact.ts for its format). The text is
// searched in place: a binary search over character offsets snaps to line starts, so a lookup
// costs a few dozen short string comparisons and loading costs no index at all. The text comes
// in shards, one per first letter of the keys; every lookup goes to a single shard.

export interface Phrase {
  word: string
  /** relative frequency; only comparisons between phrases mean anything */
  count: number
}

export class PhraseDictionary {
  private readonly shards = new Map<string, Shard>()

  /** Each text holds the sorted lines of the keys of one first letter (compact.ts splitByInitial). */
  constructor(texts: Iterable<string>) {
    for (const text of texts) if (text.length > 0) this.shards.set(text.charAt(0), new Shard(text))
  }

  /** countKeys counts the distinct pinyin spellings; it walks all the text. */
  countKeys(): number {
    let n = 0
    for (const shard of this.shards.values()) n += shard.countKeys()
    return n
  }

  /** exact returns the phrases spelled exactly key ("lu deng"), most frequent first. */
  exact(key: string): Phrase[] {
    return this.shards.get(key.charAt(0))?.exact(key) ?? []
  }

  /**
   * withPrefix returns the phrases of every key that starts with prefix and has exactly
   * syllables syllables ("lu deng h" with 3 finds 路灯会…), most frequent first.
   */
  withPrefix(prefix: string, syllables: number, limit: number): Phrase[] {
    if (prefix.length === 0) return []
    return this.shards.get(prefix.charAt(0))?.withPrefix(prefix, syllables, limit) ?? []
  }
}

class Shard {
  constructor(private readonly text: string) {}

  countKeys(): number {
    let n = 1
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) n++
    return n
  }

  exact(key: string): Phrase[] {
    const at = this.lowerBound(key)
    return at < this.text.length && this.keyAt(at) === key ? this.wordsAt(at) : []
  }

  withPrefix(prefix: string, syllables: number, limit: number): Phrase[] {
    const out: Phrase[] = []
    for (let at = this.lowerBound(prefix); at < this.text.length; at = this.nextLine(at)) {
      const key = this.keyAt(at)
      if (!key.startsWith(prefix)) break
      if (countSyllables(key) === syllables) out.push(...this.wordsAt(at))
    }
    out.sort((a, b) => b.count - a.count)
    return out.slice(0, limit)
  }

  /** lowerBound is the offset of the first line whose key is not less than target. */
  private lowerBound(target: string): number {
    let lo = 0
    let hi = this.text.length
    // Lines before lo have smaller keys; lines from hi on do not. Both are line starts.
    while (lo < hi) {
      const mid = this.lineStart(lo + ((hi - lo) >> 1))
      if (this.keyAt(mid) < target) lo = this.nextLine(mid)
      else hi = mid
    }
    return lo
  }

  private lineStart(pos: number): number {
    return pos <= 0 ? 0 : this.text.lastIndexOf('\n', pos - 1) + 1
  }

  private nextLine(at: number): number {
    const end = this.text.indexOf('\n', at)
    return end < 0 ? this.text.length : end + 1
  }

  private keyAt(at: number): string {
    const tab = this.text.indexOf('\t', at)
    return this.text.slice(at, tab < 0 ? this.text.length : tab)
  }

  private wordsAt(at: number): Phrase[] {
    const tab = this.text.indexOf('\t', at)
    const end = this.text.indexOf('\n', at)
    if (tab < 0 || (end >= 0 && tab > end)) return []
    const parts = this.text.slice(tab + 1, end < 0 ? this.text.length : end).split(' ')
    const out: Phrase[] = []
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const count = parseInt(parts[i + 1] ?? '', 36)
      out.push({ word: parts[i] ?? '', count: Number.isFinite(count) ? count : 1 })
    }
    return out
  }
}

function countSyllables(key: string): number {
  let n = 1
  for (let i = key.indexOf(' '); i >= 0; i = key.indexOf(' ', i + 1)) n++
  return n
}
