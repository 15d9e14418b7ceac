import { describe, expect, it } from 'vitest'
import { HUB_CODES } from '@/console/api/generated'
import consoleZh from '@/console/i18n/zh-CN'
import consoleEn from '@/console/i18n/en'
import provisionZh from '@/console/i18n/provision.zh-CN'
import provisionEn from '@/console/i18n/provision.en'
import recordZh from '@/console/i18n/record.zh-CN'
import recordEn from '@/console/i18n/record.en'
import repZh from '@/rep/i18n/zh-CN'
import repEn from '@/rep/i18n/en'

// The hub's console (src/console) and the representatives' phone workspace (src/rep) word
// the hub's codes from their own catalogues (errors.<code>) and show the hub's message, worded
// from sync/text, for a code they do not know. HUB_CODES is generated from Go's registry
// (sync/domain), so a catalogue entry or a comparison with a code the hub no longer has, or
// never had, fails here.

/** Codes the client makes itself (console/api/client.ts, the error wording), not the hub. */
const clientCodes = new Set(['network', 'bad_response', 'unknown', 'too_many_attempts_later'])

const hubCodes = new Set<string>(HUB_CODES)

const catalogues = {
  console: {
    'zh-CN': { ...consoleZh.errors, ...provisionZh.errors, ...recordZh.errors } as Record<string, string>,
    en: { ...consoleEn.errors, ...provisionEn.errors, ...recordEn.errors } as Record<string, string>,
  },
  rep: { 'zh-CN': repZh.errors as Record<string, string>, en: repEn.errors as Record<string, string> },
}

const sources = import.meta.glob<string>(['/src/console/**/*.ts', '/src/console/**/*.vue', '/src/rep/**/*.ts', '/src/rep/**/*.vue', '!/src/**/__tests__/**', '!/src/console/api/generated.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

// `typeof x.code !== 'string'` names a type, not a code
const typeofNames = new Set(['string', 'number', 'object', 'undefined', 'boolean', 'function'])

/** The codes a file compares an error's code with, and the errors.<code> keys it asks for. */
function named(text: string): { compared: string[]; keys: string[] } {
  const compared: string[] = []
  for (const re of [/\bcode\s*[!=]==?\s*'([a-z_]+)'/g, /'([a-z_]+)'\s*[!=]==?\s*[\w.?]*\bcode\b/g]) {
    for (const m of text.matchAll(re)) if (m[1] && !typeofNames.has(m[1])) compared.push(m[1])
  }
  const keys = [...text.matchAll(/[`'"]errors\.([a-z_]+)[`'"]/g)].map((m) => m[1] ?? '')
  return { compared, keys }
}

function sideOf(file: string): keyof typeof catalogues {
  return file.startsWith('/src/rep/') ? 'rep' : 'console'
}

describe('hub codes', () => {
  it('are generated from the Go registry', () => {
    // guards the generated list itself: codes of the sign-in and of the case desk
    expect(HUB_CODES).toEqual(expect.arrayContaining(['bad_credentials', 'csrf', 'case_not_found', 'internal']))
  })

  it('word only codes the hub answers with, or the client makes', () => {
    for (const [side, langs] of Object.entries(catalogues)) {
      for (const [lang, errors] of Object.entries(langs)) {
        for (const code of Object.keys(errors)) {
          expect(hubCodes.has(code) || clientCodes.has(code), `${side} ${lang}: errors.${code} is not a hub code`).toBe(true)
        }
      }
    }
  })

  it('have the same codes in both languages', () => {
    for (const [side, langs] of Object.entries(catalogues)) {
      expect(Object.keys(langs.en).sort(), side).toEqual(Object.keys(langs['zh-CN']).sort())
    }
  })

  it('compares errors only with codes that exist, and asks only for keys it has', () => {
    let found = 0
    for (const [file, text] of Object.entries(sources)) {
      const { compared, keys } = named(text)
      const errors = catalogues[sideOf(file)]
      found += compared.length + keys.length
      for (const code of compared) {
        expect(hubCodes.has(code) || clientCodes.has(code), `${code} in ${file}`).toBe(true)
      }
      for (const key of keys) {
        expect(errors['zh-CN'][key], `errors.${key} in ${file} (zh-CN)`).toBeTruthy()
        expect(errors.en[key], `errors.${key} in ${file} (en)`).toBeTruthy()
      }
    }
    // guards the scan: the sign-in and the lists compare codes and ask for keys today
    expect(found).toBeGreaterThan(10)
  })
})
