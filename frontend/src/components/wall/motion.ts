// Pure motion and layout math for the wall: the odometer digits, the burn-in shift, the
// hot-word sizes and the ticker's scroll window. Kept apart from the components so the
// numbers can be tested without a DOM.

/** Ease-out cubic: fast start, gentle landing, as a rolling counter should settle. */
export function easeOutCubic(t: number): number {
  const x = Math.min(1, Math.max(0, t))
  return 1 - (1 - x) ** 3
}

/**
 * Roll position (0..10, fractional) of every digit of a counter showing `value`, most
 * significant first, padded to `digits` places. The ones digit turns continuously; a higher
 * digit turns only while every lower digit is rolling over from 9 to 0, as on an odometer.
 * A digit strip holding 0..9 then 0 again shows the position by translating -pos cells.
 */
export function odometerPositions(value: number, digits: number): number[] {
  const v = Number.isFinite(value) && value > 0 ? value : 0
  const out: number[] = []
  for (let i = digits - 1; i >= 0; i--) {
    const place = 10 ** i
    const whole = Math.floor(v / place) % 10
    // How far the lower digits are past "all nines": 0..1 while they roll over.
    const below = v % place
    const carry = i === 0 ? v - Math.floor(v) : Math.max(0, below - (place - 1))
    out.push(whole + carry)
  }
  return out
}

/** Number of digit places needed to show every value in the list (at least 1). */
export function digitCount(...values: number[]): number {
  let max = 0
  for (const v of values) if (Number.isFinite(v) && v > max) max = v
  return Math.max(1, String(Math.floor(max)).length)
}

/** Default burn-in period and reach: a 3 px step every 4 minutes is invisible to a viewer. */
export const BURN_IN_PERIOD_MS = 4 * 60 * 1000
export const BURN_IN_AMPLITUDE_PX = 3

// Nine positions visited in an order that never jumps farther than one step per period.
const BURN_IN_PATH: ReadonlyArray<readonly [number, number]> = [
  [0, 0], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1],
]

/**
 * The canvas shift (design px) for the given elapsed time: static pixels of the panel (panel
 * borders, labels) move a few pixels every few minutes so none is lit identically for weeks.
 */
export function burnInOffset(
  elapsedMs: number,
  periodMs = BURN_IN_PERIOD_MS,
  amplitude = BURN_IN_AMPLITUDE_PX,
): { x: number; y: number } {
  if (!Number.isFinite(elapsedMs) || elapsedMs < 0 || periodMs <= 0) return { x: 0, y: 0 }
  const step = Math.floor(elapsedMs / periodMs) % BURN_IN_PATH.length
  const p = BURN_IN_PATH[step] ?? [0, 0]
  return { x: p[0] * amplitude, y: p[1] * amplitude }
}

export interface SizedWord {
  word: string
  weight: number
  size: number
  /** 0 for the heaviest word, rising; lets the view vary colour by rank. */
  rank: number
}

/**
 * Font sizes for the hot-word cloud. Weights map to sizes on a square-root scale (area grows
 * with weight, so a word twice as frequent does not look four times as big). The heaviest
 * words are placed in the middle of the list so the flex-wrapped cloud is fullest at its centre.
 */
export function layoutHotWords(
  words: ReadonlyArray<{ word: string; weight: number }>,
  minPx: number,
  maxPx: number,
  limit = 30,
): SizedWord[] {
  // One entry per word (the heaviest), so the cloud never shows a word twice.
  const best = new Map<string, { word: string; weight: number }>()
  for (const w of words) {
    if (typeof w.word !== 'string' || w.word.trim() === '' || !Number.isFinite(w.weight) || w.weight <= 0) continue
    const seen = best.get(w.word)
    if (!seen || seen.weight < w.weight) best.set(w.word, w)
  }
  const valid = [...best.values()]
    .sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word))
    .slice(0, Math.max(0, limit))
  if (valid.length === 0) return []
  const maxW = Math.sqrt(valid[0]?.weight ?? 1)
  const minW = Math.sqrt(valid[valid.length - 1]?.weight ?? 1)
  const sized = valid.map((w, rank) => {
    const t = maxW === minW ? 1 : (Math.sqrt(w.weight) - minW) / (maxW - minW)
    return { word: w.word, weight: w.weight, size: Math.round(minPx + t * (maxPx - minPx)), rank }
  })
  // Interleave: heaviest in the centre, alternating outward.
  const centred: SizedWord[] = []
  sized.forEach((w, i) => (i % 2 === 0 ? centred.push(w) : centred.unshift(w)))
  return centred
}

/**
 * The ticker scrolls through its list one row at a time: hold for holdMs, then slide for
 * slideMs. Returns the index of the top row and the slide fraction (0..1) at time t.
 */
export function tickerPhase(
  t: number,
  count: number,
  holdMs: number,
  slideMs: number,
): { index: number; frac: number } {
  const cycle = holdMs + slideMs
  if (count <= 0 || cycle <= 0 || !Number.isFinite(t) || t < 0) return { index: 0, frac: 0 }
  const step = Math.floor(t / cycle)
  const within = t - step * cycle
  const frac = within <= holdMs ? 0 : easeOutCubic((within - holdMs) / Math.max(1, slideMs))
  return { index: step % count, frac }
}
