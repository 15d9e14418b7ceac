// The hub console draws its Chinese with the font it bundles, on every page of the setup area,
// on a machine without a CJK system font.
//
// An admin signs in, and on each setup page (the list, and for the reference kinds an item's
// form) the test asks Chromium through the DevTools protocol (CSS.getPlatformFontsForNode)
// which fonts drew every element holding Chinese text. It fails when Chinese was drawn by any
// other font than the bundled web font: a font without Chinese draws empty boxes.
process.env.TZ = 'UTC'

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startStack, waitFor } from './harness.mjs'

const BUNDLED = 'Noto Sans SC'
// CJK unified ideographs (and extension A), CJK symbols and punctuation, full-width forms
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/
const NOT_DRAWN = new Set(['SCRIPT', 'STYLE', 'TITLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD'])
const ADMIN = { login: 'cjk-admin', password: 'cjk-admin-password-2026' }

// The pages of #/setup/, each with what shows once its data has come from the hub.
const LOADED_LIST = '[data-testid="setup-row"], [data-testid="setup-empty"]'
const PAGES = {
  stations: LOADED_LIST, communities: LOADED_LIST, representatives: LOADED_LIST, departments: LOADED_LIST,
  categories: LOADED_LIST, activities: LOADED_LIST, projects: LOADED_LIST,
  duty: '[data-testid="duty-day"]', import: '[data-testid="import-kind"]', words: '[data-testid="words-sensitive-text"]',
  calendar: '[data-testid="calendar-day"]', devices: '[data-testid="device-table"]', badges: '[data-testid="badge-table"]',
  updates: '[data-testid="updates-off"], [data-testid="updates-none"], [data-testid="updates-served"]',
}

// fontsOfChinese lists each rendered element whose own text holds Chinese, with the fonts that
// drew it. The protocol counts the glyphs of the element's whole subtree (a name chip counts
// its ✕ button too), so the element's subtree text is kept alongside its own.
async function fontsOfChinese(page) {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { nodes } = await cdp.send('DOM.getFlattenedDocument', { depth: -1, pierce: true })
    const byId = new Map(nodes.map((n) => [n.nodeId, n]))
    const own = new Map()
    const all = new Map()
    for (const n of nodes) {
      if (n.nodeType !== 3 || n.parentId === undefined || NOT_DRAWN.has(byId.get(n.parentId)?.nodeName)) continue
      own.set(n.parentId, `${own.get(n.parentId) ?? ''}${n.nodeValue}`)
      for (let id = n.parentId; id !== undefined; id = byId.get(id)?.parentId) {
        all.set(id, `${all.get(id) ?? ''}${n.nodeValue}`)
      }
    }
    const out = []
    for (const [nodeId, text] of own) {
      if (!CJK.test(text)) continue
      let fonts
      try {
        ;({ fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId }))
      } catch {
        continue // the node went away meanwhile
      }
      if (fonts.length > 0) out.push({ tag: byId.get(nodeId)?.nodeName ?? '?', text: text.trim(), subtree: all.get(nodeId) ?? text, fonts })
    }
    return out
  } finally {
    await cdp.detach().catch(() => {})
  }
}

// The bundled files are instances of a variable font: their name table says e.g. "Noto Sans SC Thin".
const bundled = (f) => f.isCustomFont && (f.familyName === BUNDLED || f.familyName.startsWith(`${BUNDLED} `))

// drawnRight: the bundled font drew at least as many glyphs as the element has Chinese
// characters, and other fonts drew no more glyphs than there are other visible characters in
// the element's subtree (a symbol such as ✕ that the CJK font lacks).
function drawnRight(e) {
  const visible = (s) => [...s].filter((c) => c.trim() !== '')
  const cjk = visible(e.text).filter((c) => CJK.test(c)).length
  const otherChars = visible(e.subtree).filter((c) => !CJK.test(c)).length
  const mine = e.fonts.filter(bundled).reduce((n, f) => n + f.glyphCount, 0)
  const others = e.fonts.filter((f) => !bundled(f)).reduce((n, f) => n + f.glyphCount, 0)
  return mine >= cjk && others <= otherChars
}

// assertChineseInBundledFont checks a screen and saves its screenshot. Fonts load by slice as
// text appears, so the check is repeated until it holds or the deadline passes.
async function assertChineseInBundledFont(page, name, minElements = 5) {
  let last = { checked: 0, bad: [] }
  try {
    await waitFor(async () => {
      await page.evaluate(() => document.fonts.ready)
      const found = await fontsOfChinese(page)
      const bad = found
        .filter((e) => !drawnRight(e))
        .map((e) => `<${e.tag.toLowerCase()}> "${e.text.slice(0, 40)}" drawn by ${e.fonts.map((f) => `${f.familyName}${f.isCustomFont ? ' (web)' : ''} ×${f.glyphCount}`).join(', ')}`)
      last = { checked: found.length, bad }
      return found.length >= minElements && bad.length === 0
    }, `Chinese on ${name} drawn by ${BUNDLED}`, 8000)
  } catch {
    // fall through to the assertions, which say what is wrong
  }
  await page.screenshot({ path: join(shots, `console-cjk-${name}.png`) })
  assert.ok(last.checked >= minElements, `${name}: only ${last.checked} elements with Chinese were drawn`)
  assert.deepEqual(last.bad, [], `${name}: Chinese drawn by a font without it`)
}

test('the console draws Chinese with its bundled font on the sign-in page and every setup page', async (t) => {
  const stack = await startStack({ seed: true, station: false })
  t.after(() => stack.stop())
  stack.hubCommandInput(`${ADMIN.password}\n`, 'user', 'add', ADMIN.login, '--role', 'admin', '--name', '字体检查员',
    '--password-stdin')
  const page = await (await stack.browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage()
  page.on('pageerror', (e) => console.error('page error:', e.message))

  await page.goto(stack.hubURL + '/console/')
  await page.getByTestId('login-submit').waitFor({ timeout: 30000 })
  await assertChineseInBundledFont(page, 'login', 3)
  await page.getByTestId('login-name').fill(ADMIN.login)
  await page.getByTestId('login-password').fill(ADMIN.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('nav-setup').waitFor({ timeout: 30000 })

  for (const [p, loaded] of Object.entries(PAGES)) {
    await page.goto(`${stack.hubURL}/console/#/setup/${p}`)
    await page.getByTestId('setup-layout').waitFor({ timeout: 30000 })
    await page.locator(`[data-testid="setup-link-${p}"].router-link-active`).waitFor({ timeout: 30000 })
    await page.locator(loaded).first().waitFor({ timeout: 30000 })
    await assertChineseInBundledFont(page, p)
    // a reference kind's form: the first item's, or a new one's when the list is empty
    const add = page.getByTestId('setup-add')
    if (await add.count()) {
      const edit = page.getByTestId('setup-edit').first()
      if (await edit.count()) await edit.click()
      else await add.click()
      await page.getByTestId('setup-form').waitFor({ timeout: 30000 })
      await assertChineseInBundledFont(page, `${p}-form`)
    }
  }
})

// pdfPages counts the pages of a PDF Chromium printed (its page objects are not compressed).
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length
}

test('the monthly report prints with the bundled font, charts included, and the wall sheet fits one A4 page', async (t) => {
  const stack = await startStack({ seed: true, station: false })
  t.after(() => stack.stop())
  const STAFF = { login: 'report-staff', password: 'report-staff-password-2026' }
  stack.hubCommandInput(`${STAFF.password}\n`, 'user', 'add', STAFF.login, '--role', 'staff', '--name', '报告员',
    '--password-stdin')
  const page = await (await stack.browser.newContext({ viewport: { width: 1200, height: 1000 } })).newPage()
  page.on('pageerror', (e) => console.error('page error:', e.message))
  await page.goto(stack.hubURL + '/console/')
  await page.getByTestId('login-name').fill(STAFF.login)
  await page.getByTestId('login-password').fill(STAFF.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('nav-report').click()
  // the first report after the hub starts loads the word dictionary
  await page.getByTestId('report-document').waitFor({ timeout: 120000 })
  const month = await page.getByTestId('report-month').inputValue()
  assert.match(month, /^\d{4}-\d{2}$/)
  const received = Number(await page.getByTestId('kpi-received').locator('strong').textContent())
  assert.ok(received > 0, `the demo street has cases in ${month}`)

  // The printable page: no bar, the report's blocks and charts, Chinese in the bundled font
  // (the charts' SVG text too).
  await page.goto(`${stack.hubURL}/console/#/reports/print?month=${month}`)
  // ready once the hot topics are there (the dictionary may still be loading)
  await page.locator('[data-testid="report-print-page"][data-ready="yes"]').waitFor({ timeout: 120000 })
  await page.getByTestId('chart-category').locator('svg text').first().waitFor({ timeout: 30000 })
  assert.equal(await page.getByTestId('app-bar').count(), 0, 'the print page shows no navigation bar')
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.getByTestId('report-print').isVisible(), false, 'the print button is not printed')
  const chartFonts = await page.locator('[data-testid="chart-category"] svg text').evaluateAll((els) =>
    els.filter((e) => /[\u4e00-\u9fff]/.test(e.textContent ?? '')).map((e) => getComputedStyle(e).fontFamily))
  assert.ok(chartFonts.length > 0 && chartFonts.every((f) => f.includes('Noto Sans SC')), `chart text fonts: ${chartFonts}`)
  await assertChineseInBundledFont(page, 'report-print', 20)
  const full = await page.pdf({ preferCSSPageSize: true, printBackground: true })
  assert.ok(pdfPages(full) >= 1)

  // The notice-wall sheet: large type on exactly one A4 page.
  await page.emulateMedia({ media: 'screen' })
  await page.goto(`${stack.hubURL}/console/#/reports/print?month=${month}&wall=1`)
  await page.locator('[data-testid="report-print-page"][data-ready="yes"]').waitFor({ timeout: 60000 })
  assert.ok(await page.getByTestId('wall-topic').count() > 0, 'the wall sheet shows the hot topics')
  await assertChineseInBundledFont(page, 'report-wall', 10)
  await page.emulateMedia({ media: 'print' })
  const size = await page.getByTestId('wall-received').locator('strong').evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
  assert.ok(size >= 40, `the wall's figures are large (${size}px)`)
  const wall = await page.pdf({ preferCSSPageSize: true, printBackground: true })
  assert.equal(pdfPages(wall), 1, 'the wall sheet prints on one page')
})
