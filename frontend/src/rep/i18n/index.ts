import { createI18n } from 'vue-i18n'
import { useI18n } from 'vue-i18n'
import zh from './zh-CN'
import en from './en'
import recordZh from './record.zh-CN'
import recordEn from './record.en'
import dutyZh from './duty.zh-CN'
import dutyEn from './duty.en'
import { isApiError } from '@/console/api'

// The phone workspace keeps its own messages: it is a page of its own, like the console.
export type RepLocale = 'zh-CN' | 'en'

const LOCALE_KEY = 'liaison.rep.locale'

export function savedRepLocale(): RepLocale {
  try {
    return globalThis.localStorage?.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export function saveRepLocale(l: RepLocale) {
  try {
    globalThis.localStorage?.setItem(LOCALE_KEY, l)
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export function createRepI18n(locale: RepLocale = 'zh-CN') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': { ...zh, ...recordZh, ...dutyZh }, en: { ...en, ...recordEn, ...dutyEn } },
    missingWarn: false,
    fallbackWarn: false,
  })
}

/**
 * useRepErrorText words an error: in Chinese the hub's own sentence when it has one (it names
 * who claimed a case, how long a note may be), else our catalogue by code, else a generic
 * sentence. Never a stack or an exception's text.
 */
export function useRepErrorText() {
  const { t, te, locale } = useI18n()
  return (err: unknown): string => {
    if (isApiError(err)) {
      if (err.code === 'too_many_attempts') {
        return err.retryAfter !== null ? t('errors.too_many_attempts', { n: err.retryAfter }) : t('errors.too_many_attempts_later')
      }
      if (locale.value === 'zh-CN' && err.status !== 0 && err.message && err.message !== err.code) return err.message
      if (te(`errors.${err.code}`)) return t(`errors.${err.code}`)
      if (err.message && err.message !== err.code) return err.message
    }
    return t('errors.unknown')
  }
}
