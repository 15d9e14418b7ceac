// Splitting typed pinyin ("ludengh") into syllables (lu, deng, h…), without tones or apostrophes.

export type PieceKind = 'syllable' | 'partial' | 'unknown'

export interface Piece {
  text: string
  /** syllable: a whole syllable; partial: the start of one (last piece only); unknown: no syllable starts so */
  kind: PieceKind
}

const unknownCost = 100

export class Syllables {
  private readonly whole: Set<string>
  private readonly starts = new Set<string>()
  private readonly longest: number

  constructor(syllables: Iterable<string>) {
    this.whole = new Set([...syllables].map((s) => s.toLowerCase()).filter((s) => /^[a-z]+$/.test(s)))
    let longest = 1
    for (const s of this.whole) {
      longest = Math.max(longest, s.length)
      for (let n = 1; n <= s.length; n++) this.starts.add(s.slice(0, n))
    }
    this.longest = longest
  }

  has(syllable: string): boolean {
    return this.whole.has(syllable)
  }

  /** isStart tells whether some syllable starts with prefix. */
  isStart(prefix: string): boolean {
    return this.starts.has(prefix)
  }

  /**
   * segment splits letters into the fewest pieces, every one a whole syllable except that the
   * last may be the start of one. Among equally short splits the longer first syllable wins, as
   * in other pinyin keyboards: "fangan" is fang'an, "xian" stays one syllable. Letters that no
   * syllable can cover become unknown pieces, so a typo does not hide the rest.
   */
  segment(input: string): Piece[] {
    const b = input.toLowerCase()
    const n = b.length
    // cost[i], step[i], kind[i]: the cheapest split of b[i:], the length and kind of its first piece.
    const cost = new Array<number>(n + 1).fill(Infinity)
    const step = new Array<number>(n + 1).fill(0)
    const kind = new Array<PieceKind>(n + 1).fill('unknown')
    cost[n] = 0
    for (let i = n - 1; i >= 0; i--) {
      for (let len = Math.min(this.longest, n - i); len >= 1; len--) {
        const piece = b.slice(i, i + len)
        const rest = cost[i + len] ?? Infinity
        let c = Infinity
        let k: PieceKind = 'syllable'
        if (this.whole.has(piece)) c = 1 + rest
        else if (i + len === n && this.starts.has(piece)) {
          c = 1
          k = 'partial'
        }
        if (c < (cost[i] ?? Infinity)) {
          cost[i] = c
          step[i] = len
          kind[i] = k
        }
      }
      const skip = unknownCost + (cost[i + 1] ?? Infinity)
      if (skip < (cost[i] ?? Infinity)) {
        cost[i] = skip
        step[i] = 1
        kind[i] = 'unknown'
      }
    }
    const out: Piece[] = []
    for (let i = 0; i < n; ) {
      const len = Math.max(1, step[i] ?? 1)
      const k = kind[i] ?? 'unknown'
      const text = b.slice(i, i + len)
      const last = out[out.length - 1]
      // Unknown letters in a row read better as one piece.
      if (k === 'unknown' && last?.kind === 'unknown') last.text += text
      else out.push({ text, kind: k })
      i += len
    }
    return out
  }
}
