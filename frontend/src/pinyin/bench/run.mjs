// npm run bench:pinyin — loads the benchmark through Vite, so the phrase dictionary is built
// by the same plugin as in the app, and prints the timing of candidate lookups.
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const server = await createServer({ root, appType: 'custom', logLevel: 'warn', server: { middlewareMode: true, hmr: false } })
try {
  const { runBench } = await server.ssrLoadModule('/src/pinyin/bench/pinyinBench.ts')
  const runs = Number(process.env.RUNS ?? 2000)
  const { loadMs, timings } = await runBench(runs)
  console.log(`dictionary loaded in ${loadMs.toFixed(0)} ms (includes compacting it in the dev server)`)
  console.table(
    timings.map((t) => ({
      input: t.input,
      letters: t.input.length,
      runs: t.runs,
      'median ms': t.medianMs.toFixed(3),
      'p95 ms': t.p95Ms.toFixed(3),
      'max ms': t.maxMs.toFixed(3),
      first: t.first,
    })),
  )
} finally {
  await server.close()
}
