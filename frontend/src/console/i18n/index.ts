import { createI18n } from 'vue-i18n'
import zh from './zh-CN'
import en from './en'
import provisionZh from './provision.zh-CN'
import provisionEn from './provision.en'
import notifyZh from './notify.zh-CN'
import notifyEn from './notify.en'
import recordZh from './record.zh-CN'
import recordEn from './record.en'
import reviewZh from './review.zh-CN'
import reviewEn from './review.en'
import levelsZh from './levels.zh-CN'
import levelsEn from './levels.en'

// The console keeps its own messages (not merged into the station's): it is a separate page.
export type ConsoleLocale = 'zh-CN' | 'en'

const LOCALE_KEY = 'liaison.console.locale'

export function savedLocale(): ConsoleLocale {
  try {
    return globalThis.localStorage?.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export function saveLocale(l: ConsoleLocale) {
  try {
    globalThis.localStorage?.setItem(LOCALE_KEY, l)
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export function createConsoleI18n(locale: ConsoleLocale = 'zh-CN') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: {
      'zh-CN': { ...zh, ...provisionZh, ...recordZh, ...notifyZh, ...reviewZh, ...levelsZh, errors: { ...zh.errors, ...provisionZh.errors, ...recordZh.errors } },
      en: { ...en, ...provisionEn, ...recordEn, ...notifyEn, ...reviewEn, ...levelsEn, errors: { ...en.errors, ...provisionEn.errors, ...recordEn.errors } },
    },
    missingWarn: false,
    fallbackWarn: false,
  })
}
