import { useI18n } from 'vue-i18n'
import { isErrorCode, isStatusCode, toAppError, type Params } from '@/bindings/errors'

/** Coded is what Go reports besides errors: a code and its parameters (a scan, the sync status). */
export interface Coded {
  code: string
  params?: Params | null
}

type Translate = (key: string, params: Params) => string

/** errorKey is the catalogue key of any thrown value: errors.<code>. */
export function errorKey(err: unknown): [string, Params] {
  const e = toAppError(err)
  return [`errors.${e.code}`, e.params]
}

/** codedKey is the catalogue key of a reported code: status.<code>, or errors.<code>. */
export function codedKey(c: Coded): [string, Params] {
  const params = c.params ?? {}
  if (isStatusCode(c.code)) return [`status.${c.code}`, params]
  if (isErrorCode(c.code)) return [`errors.${c.code}`, params]
  return ['errors.internal', {}]
}

function words(t: Translate) {
  return {
    error: (err: unknown) => t(...errorKey(err)),
    coded: (c: Coded | null | undefined) => (c && c.code ? t(...codedKey(c)) : ''),
  }
}

/** useErrorText words any error for a person: errors.<code> with its parameters. */
export function useErrorText() {
  const { t } = useI18n()
  return words(t).error
}

/** useCodedText words a code Go reported (a scan result, the sync status); '' for none. */
export function useCodedText() {
  const { t } = useI18n()
  return words(t).coded
}
