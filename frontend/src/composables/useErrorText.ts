import { useI18n } from 'vue-i18n'
import { toAppError } from '@/bindings/errors'

/** useErrorText words any error for a person: t('errors.<code>'). */
export function useErrorText() {
  const { t } = useI18n()
  return (err: unknown) => t(`errors.${toAppError(err).code}`)
}
