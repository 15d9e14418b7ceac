import { describe, expect, it } from 'vitest'
import { validateStep, validPhone, type Step } from '@/components/kiosk/submit/validate'
import type { Draft } from '@/stores/cases'
import phones from '../../../sync/domain/testdata/phones.json'

const base: Draft = { category: 'trash', template: '', text: '楼下垃圾没人清理', community: '测试社区', building: '', phone: '', anonymous: false }

describe('validateStep', () => {
  const cases: { name: string; step: Step; patch: Partial<Draft>; communities?: string[]; key: string | null }[] = [
    { name: 'category required', step: 'category', patch: { category: '' }, key: 'submit.stepCategory' },
    { name: 'short text', step: 'text', patch: { text: '  太短 ' }, key: 'submit.textTooShort' },
    { name: 'text counted in characters', step: 'text', patch: { text: '路灯不亮了' }, key: null },
    { name: 'community required when offered', step: 'location', patch: { community: '' }, communities: ['测试社区'], key: 'submit.community' },
    { name: 'community optional when none known', step: 'location', patch: { community: '' }, communities: [], key: null },
    { name: 'empty phone ok', step: 'contact', patch: { phone: '' }, key: null },
    { name: 'mobile ok', step: 'contact', patch: { phone: '13800000000' }, key: null },
    { name: 'short phone rejected', step: 'contact', patch: { phone: '1380000' }, key: 'submit.phoneInvalid' },
    { name: 'landline with area code ok', step: 'contact', patch: { phone: '075512345678' }, key: null },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const got = validateStep(c.step, { ...base, ...c.patch }, c.communities ?? ['测试社区'])
      expect(got?.key ?? null).toBe(c.key)
    })
  }
})

// The Go side tests the same cases (sync/domain/phone_test.go), so the two rules stay one rule.
describe('validPhone', () => {
  const cases: { valid: string[]; invalid: string[] } = phones
  it('has cases', () => {
    expect(cases.valid.length).toBeGreaterThan(0)
    expect(cases.invalid.length).toBeGreaterThan(0)
  })
  for (const p of cases.valid) it(`accepts ${JSON.stringify(p)}`, () => expect(validPhone(p)).toBe(true))
  for (const p of cases.invalid) it(`refuses ${JSON.stringify(p)}`, () => expect(validPhone(p)).toBe(false))
})
