import { useI18n } from 'vue-i18n'
import { isApiError } from '../api'

/**
 * errorText words an error for a person: our translation of its code, else the hub's own
 * Chinese message, else a generic sentence. Never a stack or an English exception.
 */
export function errorText(t: (key: string, named?: Record<string, unknown>) => string, te: (key: string) => boolean, err: unknown): string {
  if (isApiError(err)) {
    if (err.code === 'too_many_attempts') {
      return err.retryAfter !== null ? t('errors.too_many_attempts', { n: err.retryAfter }) : t('errors.too_many_attempts_later')
    }
    // stale and lifecycle refusals carry the one sentence that says who or why
    if ((err.code === 'stale' || err.code.startsWith('transition')) && err.message) return err.message
    if (te(`errors.${err.code}`)) return t(`errors.${err.code}`, err.params)
    if (err.message) return err.message
  }
  return t('errors.unknown')
}

export function useErrorText() {
  const { t, te } = useI18n()
  return (err: unknown) => errorText(t, te, err)
}
