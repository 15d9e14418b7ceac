import { createI18n } from 'vue-i18n'
import zh from './zh-CN'
import en from './en'
import type { Locale } from '@/bindings/models'

type Tree = { [key: string]: string | Tree }

// Other areas (the wall) ship their keys in `<area>.zh-CN.ts` / `<area>.en.ts`
// next to this file; they are merged in here under their own top-level keys.
const areaZh = import.meta.glob<{ default: Tree }>('./*.zh-CN.ts', { eager: true })
const areaEn = import.meta.glob<{ default: Tree }>('./*.en.ts', { eager: true })

function merge(base: Tree, modules: Record<string, { default: Tree }>): Tree {
  const out: Tree = { ...base }
  for (const mod of Object.values(modules)) {
    for (const [k, v] of Object.entries(mod.default)) out[k] = v
  }
  return out
}

export function buildMessages(): Record<Locale, Tree> {
  return {
    'zh-CN': merge(zh as Tree, areaZh),
    en: merge(en as Tree, areaEn),
  }
}

export function createAppI18n(locale: Locale = 'zh-CN') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: buildMessages(),
    missingWarn: false,
    fallbackWarn: false,
  })
}
