// Timing of candidate lookups, run by `npm run bench:pinyin` (run.mjs). Candidates are worked
// out again on every key press, so the slowest realistic input must stay well inside a frame.
import { pinyinTable } from '@/components/kiosk/keyboard/table'
import { PinyinEngine } from '../engine'
import { loadPhrases } from '../load'

/** Inputs of 12 letters, the length the budget is set for, plus two other shapes. */
export const inputs = [
  'zhongguorenm', // partial last syllable
  'shequweishen', // whole syllables, then a syllable start that is itself whole
  'lajitongmanl',
  'louxiashuigu',
  'dianticuowuy',
  'shishishishi', // the most crowded syllable, six times
  'shequweisheng', // 13 letters: one whole phrase
  'shis', // short, but the partial syllable matches the most keys
]

export interface Timing {
  input: string
  runs: number
  medianMs: number
  p95Ms: number
  maxMs: number
  first: string
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}

export async function runBench(runs = 2000): Promise<{ loadMs: number; timings: Timing[] }> {
  const t0 = performance.now()
  const engine = new PinyinEngine(pinyinTable).withPhrases(await loadPhrases())
  const loadMs = performance.now() - t0
  const timings: Timing[] = []
  for (const input of inputs) {
    for (let i = 0; i < 50; i++) engine.candidates(input)
    const samples: number[] = []
    let first = ''
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      const got = engine.candidates(input)
      samples.push(performance.now() - start)
      first = got[0]?.text ?? ''
    }
    samples.sort((a, b) => a - b)
    timings.push({
      input,
      runs,
      medianMs: quantile(samples, 0.5),
      p95Ms: quantile(samples, 0.95),
      maxMs: samples[samples.length - 1] ?? NaN,
      first,
    })
  }
  return { loadMs, timings }
}
