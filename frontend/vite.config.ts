import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { compactPhrases, phrasesModuleId, type SourceDict } from './src/pinyin/compact'

// The keyboard's phrase dictionary, compacted from @pinyin-pro/data at build time and loaded
// as its own chunk (src/pinyin/load.ts).
function pinyinPhrases(): Plugin {
  const resolved = `\0${phrasesModuleId}`
  return {
    name: 'pinyin-phrases',
    resolveId: (id) => (id === phrasesModuleId ? resolved : null),
    load(id) {
      if (id !== resolved) return null
      const file = createRequire(import.meta.url).resolve('@pinyin-pro/data/complete.json')
      const source = JSON.parse(readFileSync(file, 'utf8')) as SourceDict
      return `export default ${JSON.stringify(compactPhrases(source))}`
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
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.spec.ts'],
    restoreMocks: true,
  },
})
