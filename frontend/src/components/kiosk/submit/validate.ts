import { minTextLength, type Draft } from '@/stores/cases'

export type Step = 'category' | 'template' | 'text' | 'location' | 'contact' | 'review'

export interface StepError {
  key: string
  params?: Record<string, number>
}

/** maxPhoneLength is domain.MaxPhoneLen: the longest number, as typed, the hub accepts. */
export const maxPhoneLength = 20

/**
 * validPhone is domain.ValidPhone (sync/domain/phone.go): a mainland mobile number, a landline
 * with its area code, or a local landline of 7 or 8 digits; dashes and spaces between digits
 * are allowed, up to maxPhoneLength characters. Both sides test the cases of
 * sync/domain/testdata/phones.json.
 */
export function validPhone(p: string): boolean {
  if (p.length > maxPhoneLength) return false
  const d = p.replace(/[- ]/g, '')
  return /^1[3-9]\d{9}$/.test(d) || /^0[1-9]\d{8,10}$/.test(d) || /^[2-9]\d{6,7}$/.test(d)
}

/** validateStep says what keeps a resident from leaving a step, or null. */
export function validateStep(step: Step, d: Draft, communities: readonly string[]): StepError | null {
  switch (step) {
    case 'category':
      return d.category ? null : { key: 'submit.stepCategory' }
    case 'text':
      return [...d.text.trim()].length >= minTextLength ? null : { key: 'submit.textTooShort', params: { n: minTextLength } }
    case 'location':
      return communities.length === 0 || d.community ? null : { key: 'submit.community' }
    case 'contact':
      return d.phone === '' || validPhone(d.phone) ? null : { key: 'submit.phoneInvalid' }
    default:
      return null
  }
}
