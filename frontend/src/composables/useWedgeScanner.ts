import { onScopeDispose } from 'vue'

/**
 * A USB keyboard-wedge scanner "types" its code as a burst of key presses a few
 * milliseconds apart and ends it with Enter. A person types at 100 ms or more
 * between keys. The detector keeps a burst only while every gap stays under
 * maxGapMs and reports it at Enter when it is at least minLength long; anything
 * slower is typing and is left alone.
 */
export interface WedgeOptions {
  maxGapMs?: number
  minLength?: number
  maxLength?: number
}

export const wedgeDefaults = { maxGapMs: 40, minLength: 8, maxLength: 2048 } as const

export interface WedgeDetector {
  /** feed takes one key (KeyboardEvent.key) at a time in ms; it returns the scanned text at Enter. */
  feed(key: string, at: number): string | null
  /** inBurst says whether the keys so far look like a scanner (for suppressing them). */
  inBurst(): boolean
  reset(): void
}

export function createWedgeDetector(opts: WedgeOptions = {}): WedgeDetector {
  const maxGap = opts.maxGapMs ?? wedgeDefaults.maxGapMs
  const minLength = opts.minLength ?? wedgeDefaults.minLength
  const maxLength = opts.maxLength ?? wedgeDefaults.maxLength
  let buf = ''
  let last = -Infinity

  const reset = () => {
    buf = ''
    last = -Infinity
  }

  return {
    feed(key, at) {
      const gap = at - last
      if (key === 'Enter') {
        const text = buf
        const fast = gap <= maxGap
        reset()
        return fast && text.length >= minLength ? text : null
      }
      if (key.length !== 1) return null // Shift and other modifiers arrive between characters
      if (gap > maxGap) buf = '' // too slow: a person typing, or the start of a new burst
      buf += key
      last = at
      if (buf.length > maxLength) reset()
      return null
    },
    inBurst: () => buf.length >= 4,
    reset,
  }
}

/**
 * useWedgeScanner listens to the whole window for scanner bursts and hands each
 * scan to onScan. Keys that are part of a recognised burst are kept from reaching
 * a focused field; the first few of a burst cannot be told from typing yet and may.
 */
export function useWedgeScanner(onScan: (text: string) => void, opts: WedgeOptions = {}) {
  const det = createWedgeDetector(opts)
  const handler = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return
    const text = det.feed(e.key, e.timeStamp)
    if (text !== null) {
      e.preventDefault()
      e.stopPropagation()
      onScan(text)
    } else if (det.inBurst()) {
      e.preventDefault()
    }
  }
  window.addEventListener('keydown', handler, true)
  onScopeDispose(() => window.removeEventListener('keydown', handler, true))
  return { reset: det.reset }
}
