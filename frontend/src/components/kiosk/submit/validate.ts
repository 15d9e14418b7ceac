import { minTextLength, type Draft } from '@/stores/cases'

export type Step = 'category' | 'template' | 'text' | 'location' | 'contact' | 'review'

export interface StepError {
  key: string
  params?: Record<string, number>
}

const mobile = /^1\d{10}$/

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
      return d.phone === '' || mobile.test(d.phone) ? null : { key: 'submit.phoneInvalid' }
    default:
      return null
  }
}
