// The representatives' phone workspace on a phone-sized screen (390×844), against a real hub
// with the demo street: 张三 (HX01-R01, 幸福里社区) logs in with his account, opens a new case of
// his community, claims it after the confirmation, and sends a 秒回复; the resident's public
// page shows it as 代表答复 at once. A case another representative claims meanwhile leaves his
// list without a reload, and that representative's claim of 张三's case is refused with who
// has it. Every Chinese text of the case page is drawn with the bundled font.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startStack, waitFor } from './harness.mjs'

const ZHANG = { login: 'zhangsan', password: 'zhangsan-pass-2026', rep: 'HX01-R01', name: '张三' }
const LI = { login: 'lisi', password: 'lisi-pass-2026', rep: 'HX01-R02', name: '李四' }
const PHONE = { width: 390, height: 844 }
const REPLY = '您好，我是代表张三，您反映的问题已收到，明天上午到现场查看。'
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/

let stack
let page

before(async () => {
  stack = await startStack({ station: false })
  for (const u of [ZHANG, LI]) {
    stack.hubCommandInput(u.password + '\n', 'user', 'add', u.login, '--role', 'representative', '--rep', u.rep,
      '--name', u.name, '--password-stdin')
  }
  const ctx = await stack.browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
  page = await ctx.newPage()
  page.on('pageerror', (e) => console.error('rep page error:', e.message))
})

after(async () => {
  if (stack) await stack.stop()
})

const shot = (name) => page.screenshot({ path: join(shots, `repphone-${name}.png`) })

// apiLogin signs in over the API as a phone would and returns the cookie and CSRF token.
async function apiLogin(u) {
  const res = await fetch(stack.hubURL + '/api/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: u.login, password: u.password }),
  })
  assert.equal(res.status, 200)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  return { cookie, csrf: (await res.json()).csrf }
}

// chineseNotInBundledFont lists the elements whose Chinese text some other font drew.
async function chineseNotInBundledFont() {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('DOM.enable')
  await cdp.send('CSS.enable')
  const { nodes } = await cdp.send('DOM.getFlattenedDocument', { depth: -1, pierce: true })
  const byId = new Map(nodes.map((n) => [n.nodeId, n]))
  const own = new Map()
  for (const n of nodes) {
    const parent = byId.get(n.parentId)
    if (n.nodeType !== 3 || !parent || ['SCRIPT', 'STYLE', 'TITLE', 'HEAD'].includes(parent.nodeName)) continue
    own.set(n.parentId, `${own.get(n.parentId) ?? ''}${n.nodeValue}`)
  }
  const bad = []
  let checked = 0
  for (const [nodeId, text] of own) {
    if (!CJK.test(text)) continue
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId }).catch(() => ({ fonts: [] }))
    if (fonts.length === 0) continue
    checked++
    if (fonts.some((f) => f.familyName !== 'Noto Sans SC' && !f.isCustomFont)) bad.push({ text: text.trim(), fonts })
  }
  await cdp.detach()
  return { bad, checked }
}

test('a representative claims a new case on the phone and the resident sees the 秒回复', async () => {
  await page.goto(stack.hubURL + '/m/')
  await page.getByTestId('login-name').fill(ZHANG.login)
  await page.getByTestId('login-password').fill(ZHANG.password)
  await shot('1-login')
  await page.getByTestId('login-submit').click()

  // 新事项: the demo street's submitted cases of 幸福里社区
  const first = page.locator('[data-testid="case-list"] a').first()
  await first.waitFor({ timeout: 20000 })
  assert.equal(await page.getByTestId('rep-name').textContent(), '张三')
  const cards = await page.locator('[data-testid="case-list"] a').allTextContents()
  assert.ok(cards.length > 0 && cards.every((c) => c.includes('幸福里社区') && c.includes('待领办')), cards.join(' | '))
  const number = (await first.getAttribute('data-testid')).replace(/^case-/, '')
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth)
  assert.ok(width <= PHONE.width, `the list fits the phone's width (${width} px)`)
  await shot('2-new')

  // live: 李四 (same community) claims the last of them on his phone; it leaves 张三's list
  // without a reload
  if (cards.length > 1) {
    const last = page.locator('[data-testid="case-list"] a').last()
    const taken = (await last.getAttribute('data-testid')).replace(/^case-/, '')
    const li = await apiLogin(LI)
    const res = await fetch(stack.hubURL + `/api/v1/rep/cases/${taken}/claim`, {
      method: 'POST',
      headers: { Cookie: li.cookie, 'X-CSRF-Token': li.csrf },
    })
    assert.equal(res.status, 200)
    await page.getByTestId(`case-${taken}`).waitFor({ state: 'detached', timeout: 15000 })
  }

  await first.click()
  await page.getByTestId('claim').waitFor()
  await page.getByTestId('claim').click()
  await page.getByTestId('claim-dialog').waitFor()
  await shot('3-confirm')
  await page.getByTestId('claim-confirm').click()
  await page.getByTestId('reply-form').waitFor({ timeout: 15000 })
  assert.equal(await page.getByTestId('case-state').textContent(), '已领办')

  await page.getByTestId('reply-text').fill(REPLY)
  await page.getByTestId('reply-send').click()
  await page.getByTestId('first-reply').waitFor({ timeout: 15000 })
  const timeline = await page.getByTestId('timeline').textContent()
  assert.ok(timeline.includes('代表答复') && timeline.includes(REPLY), timeline)
  await page.evaluate(() => document.fonts.ready)
  const fonts = await chineseNotInBundledFont()
  assert.ok(fonts.checked > 5, `checked ${fonts.checked} elements`)
  assert.deepEqual(fonts.bad, [], 'Chinese drawn by a font other than the bundled one')
  await shot('4-replied')

  // the resident's public page, opened from its link, shows the reply at once
  const statusURL = await page.getByTestId('public-page').getAttribute('href')
  assert.ok(statusURL.startsWith(stack.hubURL + '/c/' + number + '?t='), statusURL)
  const resident = await (await stack.browser.newContext({ viewport: PHONE, isMobile: true })).newPage()
  await resident.goto(statusURL)
  const publicText = await resident.locator('body').textContent()
  assert.ok(publicText.includes('代表答复') && publicText.includes(REPLY) && publicText.includes('代表 张三'), publicText)
  await resident.screenshot({ path: join(shots, 'repphone-5-public.png'), fullPage: true })

  // 李四 serves the same community: his claim of the taken case is refused, naming 张三
  const li = await apiLogin(LI)
  const res = await fetch(stack.hubURL + `/api/v1/rep/cases/${number}/claim`, {
    method: 'POST',
    headers: { Cookie: li.cookie, 'X-CSRF-Token': li.csrf },
  })
  assert.equal(res.status, 409)
  const body = await res.json()
  assert.equal(body.code, 'rep_claimed')
  assert.equal(body.message, '该事项已由 张三 领办')

  // 我的事项 lists it with its state
  await page.getByTestId('nav-mine').click()
  await page.getByTestId(`case-${number}`).waitFor({ timeout: 15000 })
  await shot('6-mine')
})

test('the representative signs up for an activity he is invited to and shows his badge QR', async () => {
  // the demo street invites its representatives to its inspections, meetings and training
  await page.getByTestId('nav-activities').click()
  const open = page.locator('li:has([data-testid="signup"])').first()
  await open.waitFor({ timeout: 15000 })
  const id = (await open.getAttribute('data-testid')).replace(/^activity-/, '')
  await open.getByTestId('signup').click()
  await waitFor(async () => (await open.getByTestId('signup-status').textContent()).trim() === '已报名', 'the sign-up confirmed')
  await shot('7-activities')
  // the hub holds the place: asked afresh, it says so
  const zhang = await apiLogin(ZHANG)
  const list = await (await fetch(stack.hubURL + '/api/v1/rep/activities', { headers: { Cookie: zhang.cookie } })).json()
  assert.equal(list.activities.find((a) => a.id === id)?.status, 'confirmed')

  // the badge the hub issued him, as a QR image the kiosk's scanner reads
  stack.hubCommand('badge', 'issue', '--rep', ZHANG.rep, '--payload-only')
  await page.getByTestId('nav-badge').click()
  const qr = page.getByTestId('badge-qr')
  await qr.waitFor({ timeout: 15000 })
  await waitFor(() => qr.evaluate((img) => img.complete && img.naturalWidth === 512), 'the badge image loaded')
  await shot('8-badge')
})
