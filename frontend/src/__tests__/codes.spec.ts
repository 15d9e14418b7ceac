import { describe, expect, it } from 'vitest'
import zh from '@/i18n/messages.zh-CN.json'
import en from '@/i18n/messages.en.json'
import { errorCodes, statusCodes } from '@/bindings/errors'
import { codedKey, errorKey } from '@/composables/useErrorText'
import { createAppI18n } from '@/i18n'

// Every code the station's frontend names in its own source (a comparison with an error's
// code, an AppError it makes, a catalogue key it asks for) must exist in both languages: the Go
// side only guarantees the codes it sends. The hub's console (src/console) and the
// representatives' phone workspace (src/rep) answer to the hub's API and word its codes from
// their own catalogues; hubCodes.spec.ts checks those against the hub's registry.
const sources = import.meta.glob<string>(['/src/**/*.ts', '/src/**/*.vue', '!/src/**/__tests__/**', '!/src/console/**', '!/src/rep/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

const patterns = [
  /\bcode\s*[!=]==?\s*'([a-z_]+)'/g,
  /'([a-z_]+)'\s*[!=]==?\s*[\w.?]*\bcode\b/g,
  /new AppError\('([a-z_]+)'/g,
  /\bcode\s*\|\|\s*'([a-z_]+)'/g,
  /[`'"]errors\.([a-z_]+)[`'"]/g,
]

// `typeof x.code !== 'string'` names a type, not a code
const typeofNames = new Set(['string', 'number', 'object', 'undefined', 'boolean', 'function'])

function namedCodes(): Map<string, string> {
  const found = new Map<string, string>()
  for (const [file, text] of Object.entries(sources)) {
    for (const re of patterns) {
      for (const m of text.matchAll(re)) if (m[1] && !typeofNames.has(m[1])) found.set(m[1], file)
    }
  }
  return found
}

describe('error codes', () => {
  it('finds the codes the frontend switches on', () => {
    // guards the scan itself: these are named in the stores today
    expect([...namedCodes().keys()]).toEqual(expect.arrayContaining(['locked', 'internal']))
  })

  it('has a message in both languages for every code the frontend names', () => {
    for (const [code, file] of namedCodes()) {
      expect(errorCodes as string[], `${code} in ${file}`).toContain(code)
      expect((en.errors as Record<string, string>)[code], `${code} in en`).toBeTruthy()
    }
  })

  it('has the same codes in both languages', () => {
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(zh.errors).sort())
    expect(Object.keys(en.status).sort()).toEqual(Object.keys(zh.status).sort())
    expect(statusCodes.length).toBeGreaterThan(0)
  })

  it('words a code with its parameters', () => {
    const { t } = createAppI18n().global
    expect(t(...errorKey('{"code":"text_too_short","message":"text_too_short (min=5)","params":{"min":"5"}}'))).toBe(
      '请至少写 5 个字，说清楚是什么问题',
    )
    expect(t(...codedKey({ code: 'rep_signed_in', params: { name: '张三' } }))).toBe('张三 代表签到成功')
    expect(t(...codedKey({ code: 'badge_forged' }))).toBe('代表证验证未通过：不是本区签发的代表证')
    expect(t(...codedKey({ code: 'from_a_newer_station' }))).toBe('出了点问题，请稍后再试')
    const enT = createAppI18n('en').global.t
    expect(enT(...codedKey({ code: 'sync_fact_refused', params: { seq: '7', fact: 'f-1' } }))).toBe(
      'Record 7 (f-1) was refused by the hub and skipped; please call a technician',
    )
  })
})
