import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { compactPhrases, phrasesModuleId, splitByInitial, type SourceDict } from './src/pinyin/compact'

// The keyboard's phrase dictionary, compacted from @pinyin-pro/data once per build and served
// as a module of loaders plus one lazily loaded chunk per first letter (src/pinyin/load.ts).
function pinyinPhrases(): Plugin {
  const prefix = `${phrasesModuleId}-`
  let shards: Map<string, string> | undefined
  const load = () => {
    const file = createRequire(import.meta.url).resolve('@pinyin-pro/data/complete.json')
    shards ??= splitByInitial(compactPhrases(JSON.parse(readFileSync(file, 'utf8')) as SourceDict))
    return shards
  }
  return {
    name: 'pinyin-phrases',
    resolveId: (id) => (id === phrasesModuleId || id.startsWith(prefix) ? `\0${id}` : null),
    load(id) {
      if (id === `\0${phrasesModuleId}`) {
        // Every key starts with a letter; listing all 26 spares dev and tests the compaction
        // until a chunk is actually imported.
        const letters = 'abcdefghijklmnopqrstuvwxyz'.split('')
        const entries = letters.map((k) => `${k}: () => import(${JSON.stringify(prefix + k)})`)
        return `export default {${entries.join(', ')}}`
      }
      if (!id.startsWith(`\0${prefix}`)) return null
      return `export default ${JSON.stringify(load().get(id.slice(prefix.length + 1)) ?? '')}`
    },
  }
}

// Wails serves dist/ from its own asset server, so asset URLs must be relative.
export default defineConfig({
  base: './',
  plugins: [vue(), pinyinPhrases()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // The station app, the hub's web console and the representatives' phone workspace share
    // one dist/ (and its assets/): the hub serves dist/ under /console/ and /m/, which the
    // relative base above already allows.
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        console: fileURLToPath(new URL('./console.html', import.meta.url)),
        rep: fileURLToPath(new URL('./rep.html', import.meta.url)),
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
  },
})
