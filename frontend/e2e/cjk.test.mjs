// Chinese is drawn by the bundled font on every screen, and every time is shown in the
// station's zone, on a machine that has neither a CJK system font nor the station's zone.
//
// The machine runs in UTC (TZ=UTC for the station, the hub and Chromium); the station is told
// Asia/Shanghai. For each screen the test asks Chromium, through the DevTools protocol
// (CSS.getPlatformFontsForNode), which font drew every element holding Chinese text, and fails
// on any other font than the bundled web font: a font without Chinese draws empty boxes. The
// wall's charts are SVG, so their labels are checked the same way, and each chart says which
// family its option named and whether that font was loaded when it drew.
process.env.TZ = 'UTC'

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { shots, startStack, waitFor } from './harness.mjs'

const BUNDLED = 'Noto Sans SC'
const STATION_TZ = 'Asia/Shanghai'
// CJK unified ideographs (and extension A), CJK symbols and punctuation, full-width forms
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/
const NOT_DRAWN = new Set(['SCRIPT', 'STYLE', 'TITLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD'])

// fontsOfChinese lists each rendered element that holds Chinese text with the platform fonts
// that drew its text. Elements that are not rendered (display: none) report no fonts.
async function fontsOfChinese(page) {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { nodes } = await cdp.send('DOM.getFlattenedDocument', { depth: -1, pierce: true })
    const byId = new Map(nodes.map((n) => [n.nodeId, n]))
    // all the text an element draws itself (its text children), for elements with Chinese in it
    const texts = new Map()
    for (const n of nodes) {
      if (n.nodeType !== 3 || n.parentId === undefined || NOT_DRAWN.has(byId.get(n.parentId)?.nodeName)) continue
      texts.set(n.parentId, `${texts.get(n.parentId) ?? ''}${n.nodeValue}`)
    }
    const out = []
    for (const [nodeId, text] of texts) {
      if (!CJK.test(text)) continue
      let fonts
      try {
        ;({ fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId }))
      } catch {
        continue // the node went away meanwhile
      }
      if (fonts.length > 0) out.push({ tag: byId.get(nodeId)?.nodeName ?? '?', text: text.trim(), fonts })
    }
    return out
  } finally {
    await cdp.detach().catch(() => {})
  }
}

// The bundled files are instances of a variable font: their name table says e.g. "Noto Sans SC Thin".
const bundled = (f) => f.isCustomFont && (f.familyName === BUNDLED || f.familyName.startsWith(`${BUNDLED} `))

// drawnRight tells whether the bundled font drew every Chinese character of an element. The
// protocol counts glyphs per font for the element as a whole, so: the bundled font drew at
// least as many glyphs as there are Chinese characters, and any other font drew no more
// glyphs than there are other visible characters (a symbol such as ✔ that the CJK font lacks).
function drawnRight(e) {
  const chars = [...e.text].filter((c) => c.trim() !== '')
  const cjk = chars.filter((c) => CJK.test(c)).length
  const mine = e.fonts.filter(bundled).reduce((n, f) => n + f.glyphCount, 0)
  const others = e.fonts.filter((f) => !bundled(f)).reduce((n, f) => n + f.glyphCount, 0)
  return mine >= cjk && others <= chars.length - cjk
}

// assertChineseInBundledFont checks a screen and saves its screenshot. Fonts load by slice as
// text appears, so the check is repeated until it holds or the deadline passes.
async function assertChineseInBundledFont(page, name, minElements = 3) {
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
  await page.screenshot({ path: join(shots, `cjk-${name}.png`) })
  assert.ok(last.checked >= minElements, `${name}: only ${last.checked} elements with Chinese were drawn`)
  assert.deepEqual(last.bad, [], `${name}: Chinese drawn by a font without it`)
}

// the date a Shanghai wall clock shows for an instant
const stationDay = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: STATION_TZ }).format(d)

test('the machine has no CJK font of its own, and runs in UTC', () => {
  let zh = ''
  try {
    zh = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim()
  } catch {
    // no fontconfig tools: nothing is installed through fontconfig either
  }
  // With a CJK system font installed the checks still hold: they accept only the web font.
  if (zh) console.log(`note: CJK system fonts present (${zh.split('\n').length}); only ${BUNDLED} (web) is accepted`)
  assert.equal(new Intl.DateTimeFormat().resolvedOptions().timeZone, 'UTC')
})

test('kiosk, representative workbench and technician screens draw Chinese with the bundled font; a due date reads the same everywhere', async (t) => {
  const stack = await startStack({ role: 'kiosk', tz: STATION_TZ })
  t.after(() => stack.stop())
  const page = await stack.openPage('/#/kiosk', { width: 1080, height: 1920 })
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'UTC', 'the browser runs in UTC')

  await page.getByTestId('simulate-card').waitFor({ timeout: 30000 })
  await assertChineseInBundledFont(page, 'attract')

  // The first sample card's holder is a returning resident: straight to home.
  await page.getByTestId('simulate-card').click()
  await page.getByText('我的事项').first().waitFor({ timeout: 20000 })
  await assertChineseInBundledFont(page, 'home')

  await page.getByText('提交建议').first().click()
  await page.getByText('环境卫生').first().waitFor()
  await assertChineseInBundledFont(page, 'submit-category')
  await page.getByText('环境卫生').first().click()
  const own = page.getByText('自己填写')
  if (await own.isVisible().catch(() => false)) await own.click()
  // the keyboard with candidates up: function keys, candidate bar, punctuation
  for (const [spelling, char] of [['lu', '路'], ['deng', '灯']]) {
    for (const letter of spelling) await page.click(`.kiosk-keys [data-skbtn="${letter}"]`)
    await page.locator('[data-testid="candidate"]', { hasText: char }).first().click()
  }
  for (const letter of 'huai') await page.click(`.kiosk-keys [data-skbtn="${letter}"]`)
  await page.getByTestId('candidate').first().waitFor()
  await assertChineseInBundledFont(page, 'submit-keyboard', 10)
  await page.locator('[data-testid="candidate"]', { hasText: '坏' }).first().click()
  for (const [spelling, char] of [['le', '了'], ['hen', '很'], ['jiu', '久']]) {
    for (const letter of spelling) await page.click(`.kiosk-keys [data-skbtn="${letter}"]`)
    await page.locator('[data-testid="candidate"]', { hasText: char }).first().click()
  }
  await page.getByRole('button', { name: '下一步' }).click()
  await page.locator('.step button, .step [role="radio"]').first().waitFor()
  await assertChineseInBundledFont(page, 'submit-location')
  await page.locator('.step button, .step [role="radio"]').first().click()
  await page.getByRole('button', { name: '下一步' }).click()
  // the phone pad: the keyboard in digits mode
  await page.locator('.kiosk-keys').first().waitFor()
  await assertChineseInBundledFont(page, 'submit-phone')
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByTestId('send').waitFor()
  await assertChineseInBundledFont(page, 'submit-review')
  await page.getByTestId('send').click()
  const number = (await page.getByTestId('case-number').innerText({ timeout: 20000 })).trim()
  const statusURL = await page.locator('img.qr').getAttribute('alt')
  assert.ok(statusURL?.startsWith(stack.hubURL), `status page URL ${statusURL}`)
  await assertChineseInBundledFont(page, 'receipt')

  // Staff accept and assign it with a due time at 01:30 in the station: in UTC that instant
  // is still the day before, which a machine-zone date would show.
  await waitFor(() => stack.hubCommand('case', 'list').includes(number), 'the case at the hub')
  const day = stationDay(new Date(Date.now() + 3 * 86400e3))
  const due = new Date(`${day}T01:30:00+08:00`)
  assert.notEqual(due.toISOString().slice(0, 10), day, 'the due time falls on another day in UTC')
  const act = (...args) => stack.caseAct(number, ...args)
  act('accept', '--rep', 'HX01-R01', '--rep-name', '测试代表')
  act('assign', '--dept', 'JD-CG', '--due', due.toISOString())

  await page.goto(stack.appURL + '/#/kiosk/cases')
  await page.getByText(number).first().waitFor({ timeout: 20000 })
  await assertChineseInBundledFont(page, 'my-cases')
  await page.getByText(number).first().click()
  const header = page.locator('dt:text-is("办理期限") + dd')
  // the assignment reaches the kiosk through sync; reopen the case until it shows
  await waitFor(async () => {
    if (await header.count()) return true
    await page.goto(stack.appURL + '/#/kiosk/cases')
    await page.getByText(number).first().click()
    await page.locator('.timeline').waitFor()
    return header.count()
  }, 'the assignment on the kiosk', 30000)
  const shownHeader = (await header.innerText()).trim()
  const note = (await page.locator('.timeline .note', { hasText: '办理期限' }).first().innerText()).trim()
  const shownTimeline = /办理期限 (\S+)/.exec(note)?.[1] ?? note
  await assertChineseInBundledFont(page, 'case-detail')

  const hubPage = await stack.browser.newPage({ viewport: { width: 390, height: 844 } })
  await hubPage.goto(statusURL)
  const shownHub = (await hubPage.locator('dt:text-is("办理期限") + dd').innerText()).trim()
  await hubPage.screenshot({ path: join(shots, 'cjk-hub-status.png') })
  await hubPage.close()
  assert.deepEqual(
    { header: shownHeader, timeline: shownTimeline, hub: shownHub },
    { header: day, timeline: day, hub: day },
    'the due date in the station zone on every surface',
  )

  await page.goto(stack.appURL + '/#/kiosk/reps')
  await page.locator('main').getByText(/代表/).first().waitFor({ timeout: 20000 })
  await assertChineseInBundledFont(page, 'representatives')

  await page.goto(stack.appURL + '/#/kiosk/activities')
  await page.getByTestId('signup').first().or(page.getByTestId('signup-place').first()).waitFor({ timeout: 20000 })
  await assertChineseInBundledFont(page, 'activities')

  // The representative's workbench: a badge scanned by the simulated serial scanner.
  await page.goto(stack.appURL + '/#/kiosk/home')
  await page.getByRole('button', { name: '退出' }).click()
  const badge = stack.hubCommand('badge', 'issue', '--rep', 'HX01-R01', '--payload-only').trim()
  await waitFor(() => page.evaluate(() => !!globalThis.go?.app?.Rep), 'bound Rep service')
  await page.evaluate((b) => globalThis.go.app.Rep.SimulateScan(b), badge)
  await page.getByTestId('workbench').waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'workbench-duty')
  await page.getByTestId('tab-cases').click()
  await page.getByTestId('unclaimed-case').first().waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'workbench-cases')
  await page.getByTestId('tab-reception').click()
  await page.getByTestId('field-topic').click()
  await page.getByTestId('as-case').check()
  await assertChineseInBundledFont(page, 'workbench-reception', 10)
  await page.getByTestId('tab-activities').click()
  await page.getByTestId('rep-activity').first().waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'workbench-activities')
  await page.getByTestId('show-checkin-qr').first().click()
  await page.getByTestId('checkin-qr').waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'checkin-qr')

  // The technician screen: the PIN pad, then the diagnostics with their monospaced values.
  await page.goto(stack.appURL + '/#/tech')
  await page.locator('.pin button').first().waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'technician-pin', 1)
  for (const d of '246810') await page.locator('.pin button', { hasText: new RegExp(`^${d}$`) }).first().click()
  await page.locator('.pin button', { hasText: /确定|确认|进入|解锁/ }).first().click()
  // Each of the technician's tabs: setup, diagnostics with their values, and the logs.
  await page.locator('[data-tab="setup"]').waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'technician-setup', 10)
  await page.locator('[data-tab="diagnostics"]').click()
  await page.locator('.grid').first().waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'technician', 10)
  await page.locator('[data-tab="logs"]').click()
  await page.locator('.logs').waitFor({ timeout: 15000 })
  await assertChineseInBundledFont(page, 'technician-logs', 3)
})

test('the wall draws Chinese, chart labels included, with the bundled font loaded before the first draw', async (t) => {
  const stack = await startStack({ role: 'wall', tz: STATION_TZ })
  t.after(() => stack.stop())
  const page = await stack.openPage('/#/wall', { width: 1920, height: 1080 })
  await page.locator('[data-total="year"]').waitFor({ timeout: 60000 })
  const charts = page.locator('.echart')
  await waitFor(async () => (await charts.count()) >= 3 && (await page.locator('.echart svg text').count()) > 0,
    'the charts drawn', 30000)
  await waitFor(async () => {
    const marks = await charts.evaluateAll((els) => els.map((e) => e.dataset.fontLoaded))
    return marks.every((m) => m !== undefined)
  }, 'every chart drawn', 30000)

  // What each chart's option named, and whether that font was there when it drew.
  const drawn = await charts.evaluateAll((els) =>
    els.map((e) => ({ family: e.dataset.fontFamily ?? '', first: e.dataset.fontLoadedFirst ?? '', loaded: e.dataset.fontLoaded ?? '' })))
  for (const c of drawn) {
    assert.match(c.family, new RegExp(`^['"]${BUNDLED}['"]`), `a chart's textStyle.fontFamily: ${c.family}`)
    assert.equal(c.first, 'true', 'the font was loaded when the chart first drew')
    assert.equal(c.loaded, 'true', 'the font was loaded when the chart last drew')
  }
  // Labels laid out with the font they are drawn in stay inside their chart: measured in
  // another font, the category names ran off the panel's left edge.
  const outside = await page.locator('.echart').evaluateAll((els) =>
    els.flatMap((el) => {
      const box = el.getBoundingClientRect()
      return [...el.querySelectorAll('svg text')]
        .map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1))
        .map(({ text, r }) => `${text} [${Math.round(r.left - box.left)}, ${Math.round(r.right - box.left)}] of ${Math.round(box.width)}`)
    }))
  assert.deepEqual(outside, [], 'chart labels cut by their chart')
  // The SVG labels carry that family, and the funnel's stage names are among them.
  const labels = await page.locator('.echart svg text').evaluateAll((els) =>
    els.map((e) => ({ text: e.textContent ?? '', family: getComputedStyle(e).fontFamily })))
  const chinese = labels.filter((l) => /[\u4e00-\u9fff]/.test(l.text))
  assert.ok(chinese.some((l) => l.text.includes('提交')), `funnel stages among ${chinese.map((l) => l.text).join(' ')}`)
  for (const l of chinese) assert.match(l.family, new RegExp(`^"?${BUNDLED}"?`), `font of "${l.text}"`)

  await assertChineseInBundledFont(page, 'wall', 20)
})
