// A representative's day on the phone (390×844), end to end against a real hub with the demo
// street and a kiosk: an admin points a WeCom robot at new cases of 幸福里社区; a resident
// submits a case there at the kiosk and the robot is told its number; 张三 scans his badge at
// the kiosk and signs in on his phone with the workbench's login QR, claims the case and sends
// a 秒回复 that the resident's public page shows; his 履职 record has the claim and the reply
// with their points and is rescored when the admin changes what a claim is worth; his annual
// PDF holds his name. The case then goes to a department (督办, 退单, 交办 again, reply) and the
// resident rates the reply at the kiosk: the month's 工作评议 figures of that department are
// what the test counts from the events it made.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startFakeRobot, startStack, waitFor } from './harness.mjs'
import { pdfText } from './pdftext.mjs'

const ADMIN = { login: 'phone-admin', password: 'phone-admin-pass-2026', name: '街道管理员' }
const ZHANG = { login: 'zhangsan', password: 'zhangsan-pass-2026', rep: 'HX01-R01', name: '张三' }
const DEPT = { login: 'dept-desk', password: 'dept-desk-pass-2026', name: '承办员' }
const COMMUNITY = '幸福里社区'
const ROBOT_KEY = 'wecom-robot-key-5566778899'
const REPLY = '您好，我是代表张三，路灯的问题已收到，今天下午到现场查看。'
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

let stack
let robot
let kiosk
let phone
let admin
const made = { number: '', dept: '', month: '' }

before(async () => {
  stack = await startStack({ role: 'kiosk' })
  robot = await startFakeRobot()
  stack.hubCommandInput(ADMIN.password + '\n', 'user', 'add', ADMIN.login, '--role', 'admin', '--name', ADMIN.name,
    '--password-stdin')
  stack.hubCommandInput(ZHANG.password + '\n', 'user', 'add', ZHANG.login, '--role', 'representative', '--rep', ZHANG.rep,
    '--name', ZHANG.name, '--password-stdin')
  admin = await apiLogin(ADMIN)
  kiosk = await stack.openPage('/#/kiosk', { width: 1080, height: 1920 })
  phone = await (await stack.browser.newContext({ ...PHONE, acceptDownloads: true })).newPage()
  phone.on('pageerror', (e) => console.error('phone page error:', e.message))
})

after(async () => {
  if (robot) await robot.close()
  if (stack) await stack.stop()
})

/** The month now running in the station's zone: 2026-12. */
function stationMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date())
  return `${parts.find((p) => p.type === 'year').value}-${parts.find((p) => p.type === 'month').value}`
}

// apiLogin signs in over the API and returns the session's cookie and CSRF token.
async function apiLogin(u) {
  const res = await fetch(stack.hubURL + '/api/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: u.login, password: u.password }),
  })
  assert.equal(res.status, 200, `login of ${u.login}`)
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: (await res.json()).csrf }
}

// call is an API call with a session from apiLogin; it returns the status and the JSON body.
async function call(session, method, path, body) {
  const res = await fetch(stack.hubURL + '/api/v1' + path, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

// phoneAPI calls the hub from the phone's page, with the session the login QR opened.
async function phoneAPI(method, path) {
  return phone.evaluate(async ({ method, path }) => {
    const res = await fetch('/api/v1' + path, { method })
    return { status: res.status, body: await res.json() }
  }, { method, path })
}

const kioskShot = (name) => kiosk.screenshot({ path: join(shots, `rep-phone-kiosk-${name}.png`) })
const phoneShot = (name) => phone.screenshot({ path: join(shots, `rep-phone-${name}.png`) })
const scan = (text) => kiosk.evaluate((t) => globalThis.go.app.Rep.SimulateScan(t), text)

// typePinyin presses the on-screen keys of each syllable and picks the wanted character.
async function typePinyin(pairs) {
  for (const [spelling, char] of pairs) {
    for (const letter of spelling) await kiosk.click(`.kiosk-keys [data-skbtn="${letter}"]`)
    await kiosk.locator('[data-testid="candidate"]', { hasText: char }).first().click()
  }
}

// residentIn puts the first demo card on the kiosk's (simulated) reader: a known resident.
async function residentIn() {
  await kiosk.goto(stack.appURL + '/#/kiosk')
  await kiosk.getByTestId('simulate-card').click({ timeout: 20000 })
  await kiosk.getByText('提交建议').first().waitFor({ timeout: 20000 })
}

async function residentOut() {
  await kiosk.goto(stack.appURL + '/#/kiosk/home')
  await kiosk.getByRole('button', { name: '退出' }).click()
  await kiosk.getByTestId('station-name').waitFor({ timeout: 20000 })
}

test('a case submitted at the kiosk reaches the WeCom robot of its community', async () => {
  const channel = await call(admin, 'POST', '/admin/notify/channels', {
    name: '幸福里代表群', kind: 'wecom', enabled: true, url: robot.url(ROBOT_KEY, 'key'),
    notices: ['new_case'], stations: [], communities: [COMMUNITY],
  })
  assert.equal(channel.status, 200, JSON.stringify(channel.body))

  await residentIn()
  await kiosk.getByText('提交建议').first().click()
  await kiosk.getByText('公共设施').first().click()
  const own = kiosk.getByText('自己填写')
  if (await own.isVisible().catch(() => false)) await own.click()
  await typePinyin([['lu', '路'], ['deng', '灯'], ['wan', '晚'], ['shang', '上'], ['bu', '不'], ['liang', '亮']])
  assert.equal((await kiosk.locator('.field').innerText()).trim(), '路灯晚上不亮')
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.locator('.step button, .step [role="radio"]').filter({ hasText: COMMUNITY }).first().click()
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.getByTestId('send').click()
  made.number = (await kiosk.getByTestId('case-number').innerText({ timeout: 20000 })).trim()
  assert.match(made.number, /^HX01-K1-\d{8}-\d{4}$/)
  await kiosk.locator('[data-testid="receipt-upload"][data-uploaded="true"]').waitFor({ timeout: 30000 })
  await kioskShot('receipt')

  const notice = await waitFor(() => robot.messages.find((m) => robot.text(m).includes(made.number)),
    `the robot told of ${made.number}`, 30000)
  assert.equal(notice.query.key, ROBOT_KEY)
  assert.equal(notice.body.msgtype, 'markdown')
  assert.ok(robot.text(notice).includes(COMMUNITY), robot.text(notice))
  // one notice of the case, whatever else the demo street's history sends
  assert.equal(robot.messages.filter((m) => robot.text(m).includes(made.number)).length, 1)
  await residentOut()
})

test('the representative signs in on the phone by the kiosk QR, claims the case and answers at once', async () => {
  const badge = stack.hubCommand('badge', 'issue', '--rep', ZHANG.rep, '--payload-only').trim()
  await waitFor(() => kiosk.evaluate(() => !!globalThis.go?.app?.Rep), 'bound Rep service')
  await scan(badge)
  await kiosk.getByTestId('workbench').waitFor({ timeout: 15000 })
  assert.equal((await kiosk.getByTestId('rep-name').innerText()).trim(), ZHANG.name)
  await kiosk.getByTestId('tab-phone').click()
  const loginURL = (await kiosk.getByTestId('phone-login-url').innerText({ timeout: 15000 })).trim()
  assert.ok(loginURL.startsWith(stack.hubURL + '/m/login?t='), loginURL)
  await kiosk.getByTestId('phone-login-qr').waitFor()
  await kioskShot('phone-login')
  await kiosk.getByTestId('leave-workbench').click()
  await kiosk.getByTestId('station-name').waitFor({ timeout: 15000 })

  // the phone opens what its camera read: no password asked, 新事项 at once
  await phone.goto(loginURL)
  const card = phone.getByTestId(`case-${made.number}`)
  await card.waitFor({ timeout: 20000 })
  assert.equal((await phone.getByTestId('rep-name').textContent()).trim(), ZHANG.name)
  const text = await card.textContent()
  assert.ok(text.includes(COMMUNITY) && text.includes('待领办'), text)
  const width = await phone.evaluate(() => document.scrollingElement.scrollWidth)
  assert.ok(width <= 390, `新事项 fits the phone's width (${width} px)`)
  await phone.evaluate(() => document.fonts.ready)
  await phoneShot('1-new')
  // the ticket is single-use: a second phone with the same address is refused
  const other = await (await stack.browser.newContext(PHONE)).newPage()
  await other.goto(loginURL)
  await other.getByTestId('ticket-error').filter({ hasText: '二维码已使用过' }).waitFor({ timeout: 20000 })
  assert.equal(await other.getByTestId(`case-${made.number}`).count(), 0)
  await other.screenshot({ path: join(shots, 'rep-phone-ticket-used.png') })
  await other.context().close()

  await card.click()
  await phone.getByTestId('claim').click()
  await phone.getByTestId('claim-dialog').waitFor()
  await phoneShot('2-confirm')
  await phone.getByTestId('claim-confirm').click()
  await phone.getByTestId('reply-form').waitFor({ timeout: 15000 })
  assert.equal(await phone.getByTestId('case-state').textContent(), '已领办')
  await phone.getByTestId('reply-text').fill(REPLY)
  await phone.getByTestId('reply-send').click()
  await phone.getByTestId('first-reply').waitFor({ timeout: 15000 })
  const timeline = await phone.getByTestId('timeline').textContent()
  assert.ok(timeline.includes('代表答复') && timeline.includes(REPLY), timeline)
  await phone.evaluate(() => document.fonts.ready)
  await phoneShot('3-replied')

  // the resident's public page, from the case's own link, shows the reply
  const statusURL = await phone.getByTestId('public-page').getAttribute('href')
  assert.ok(statusURL.startsWith(stack.hubURL + '/c/' + made.number + '?t='), statusURL)
  const resident = await (await stack.browser.newContext(PHONE)).newPage()
  await resident.goto(statusURL)
  const page = await resident.locator('body').textContent()
  assert.ok(page.includes('代表答复') && page.includes(REPLY) && page.includes('代表 张三'), page)
  // drawn with the hub's bundled font, not whatever the phone has (boxes on one without any)
  await resident.evaluate(() => document.fonts.ready)
  const faces = await resident.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family))
  assert.ok(faces.some((f) => f.includes('Noto Sans SC')), `fonts loaded on the public page: ${faces.join(', ')}`)
  await resident.screenshot({ path: join(shots, 'rep-phone-4-public.png'), fullPage: true })
  await resident.context().close()
})

test('the record shows the claim and the reply with their points, and a rule change rescores them', async () => {
  made.month = stationMonth()
  const rules = await call(admin, 'GET', '/record/rules')
  assert.equal(rules.status, 200)
  const price = (act) => rules.body.rules.acts.find((r) => r.act === act).points
  const mine = async () => {
    const r = await phoneAPI('GET', `/record/me?period=${made.month}`)
    assert.equal(r.status, 200)
    return r.body.record
  }
  const before = await mine()
  const ours = before.entries.filter((e) => e.case_number === made.number)
  assert.deepEqual(ours.map((e) => [e.act, e.points]), [['claim', price('claim')], ['reply_on_time', price('reply_on_time')]])
  const claims = before.totals.find((t) => t.act === 'claim')

  await phone.getByTestId('nav-record').click()
  await phone.getByTestId('record-points').waitFor({ timeout: 15000 })
  assert.equal((await phone.getByTestId('record-points').innerText()).trim(), String(before.points))
  const row = async (act) => (await phone.locator(`[data-testid="record-act"][data-act="${act}"]`).innerText()).replace(/\s+/g, ' ')
  assert.match(await row('claim'), new RegExp(`领办事项 ${claims.count} 次 ${claims.points} 分`))
  const entries = phone.getByTestId('record-entry').filter({ hasText: made.number })
  assert.equal(await entries.count(), 2, 'the claim and the reply are listed with the case number')
  const shown = (await entries.allInnerTexts()).join(' | ')
  assert.ok(shown.includes(`+${price('claim')}`) && shown.includes(`+${price('reply_on_time')}`) && shown.includes('按时首次答复'), shown)
  await phone.evaluate(() => document.fonts.ready)
  await phoneShot('5-record')

  // the admin makes a claim worth 9 points, without a cap: the past is rescored
  const edited = structuredClone(rules.body.rules)
  edited.acts = edited.acts.map((r) => (r.act === 'claim' ? { ...r, points: 9, cap: 0 } : r))
  const saved = await call(admin, 'PUT', '/record/rules', edited)
  assert.equal(saved.status, 200, JSON.stringify(saved.body))
  const after = await mine()
  assert.deepEqual(after.entries.filter((e) => e.case_number === made.number).map((e) => [e.act, e.points]),
    [['claim', 9], ['reply_on_time', price('reply_on_time')]])
  assert.equal(after.totals.find((t) => t.act === 'claim').points, claims.count * 9)
  assert.equal(after.points, before.points - claims.points + claims.count * 9)
  await phone.reload()
  await phone.getByTestId('record-points').waitFor({ timeout: 15000 })
  assert.equal((await phone.getByTestId('record-points').innerText()).trim(), String(after.points))
  assert.match(await row('claim'), new RegExp(`领办事项 ${claims.count} 次 ${claims.count * 9} 分`))
  const rescored = (await phone.getByTestId('record-entry').filter({ hasText: made.number }).allInnerTexts()).join(' | ')
  assert.ok(rescored.includes('+9'), rescored)

  // the annual 履职档案 downloads from the page and holds his Chinese name
  const [download] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId('record-pdf').click()])
  const chunks = []
  for await (const c of await download.createReadStream()) chunks.push(c)
  const pdf = Buffer.concat(chunks)
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
  const text = pdfText(pdf)
  assert.ok(text.includes(ZHANG.name) && text.includes(`${made.month.slice(0, 4)}年度人大代表履职档案`), text.slice(0, 300))
})

test('the month’s 工作评议 figures of a department are the counts of what was done with the case', async () => {
  const figures = async () => {
    const r = await call(admin, 'GET', `/reviews/figures?period=${made.month}`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    return r.body.departments
  }
  // the department the demo street gave least this month, among those a case of 和谐街道 may go
  // to (the neighbouring 和平街道's own offices, HP-*, serve only that street)
  const base = (await figures()).filter((d) => !d.code.startsWith('HP-')).toSorted((a, b) => a.received - b.received || a.code.localeCompare(b.code))[0]
  made.dept = base.code
  stack.hubCommandInput(DEPT.password + '\n', 'user', 'add', DEPT.login, '--role', 'department', '--dept', made.dept,
    '--name', DEPT.name, '--password-stdin')
  const due = new Date(Date.now() + 3 * 86400e3).toISOString()
  const staff = (...args) => stack.caseAct(made.number, ...args)
  const dept = (...args) => stack.hubCommand('case', 'act', made.number, ...args, '--user', DEPT.login)
  // 交办, 督办, the department sends it back (退单), 交办 again, it takes it up and replies
  staff('assign', '--dept', made.dept, '--due', due)
  staff('supervise', '--note', '请尽快到现场')
  dept('return', '--note', '需要先确认路灯产权')
  staff('assign', '--dept', made.dept, '--due', due)
  dept('progress', '--note', '已派人到现场查看')
  dept('reply', '--reply', '路灯已经修好，今晚恢复照明')
  const counted = { received: 1, accepted_on_time: 1, handled_on_time: 1, returned: 1, supervised: 1, rated: 1, unsatisfied: 0, rehandled: 0 }

  // the resident rates the reply at the kiosk: 基本满意 (2 of 3)
  await residentIn()
  await kiosk.getByText('我的事项').first().click()
  await kiosk.getByText(made.number).first().click({ timeout: 20000 })
  await kiosk.getByTestId('rating-panel').waitFor({ timeout: 20000 })
  await kiosk.locator('[data-rating="basically"]').click()
  await kiosk.getByTestId('send-rating').click()
  await kiosk.getByTestId('rating-panel').waitFor({ state: 'detached', timeout: 20000 })
  await kioskShot('rated')
  await residentOut()

  const want = Object.fromEntries(Object.entries(counted).map(([k, n]) => [k, base[k] + n]))
  const wantAvg = ((base.avg_rating ?? 0) * base.rated + 2) / (base.rated + 1)
  const got = await waitFor(async () => {
    const d = (await figures()).find((x) => x.code === made.dept)
    return d.rated === want.rated && d
  }, 'the kiosk rating at the hub', 30000)
  assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, got[k]])), want)
  assert.ok(Math.abs(got.avg_rating - wantAvg) < 1e-9, `average rating ${got.avg_rating}, want ${wantAvg}`)

  // the drill-down lists the case once, with what happened to it
  const cases = await call(admin, 'GET', `/reviews/figures/${made.dept}/cases?period=${made.month}`)
  const ours = cases.body.cases.filter((c) => c.number === made.number)
  assert.equal(ours.length, 1)
  assert.deepEqual(
    [ours[0].accepted_on_time, ours[0].handled_on_time, ours[0].returned, ours[0].supervised, ours[0].rating, ours[0].rehandled],
    [true, true, true, true, 'basically', false])

  // the phone shows the case among his finished ones with the resident's rating
  await phone.goto(stack.hubURL + '/m/#/done')
  const done = phone.getByTestId(`case-${made.number}`)
  await done.waitFor({ timeout: 15000 })
  assert.match(await done.getByTestId('rating').textContent(), /基本满意/)
  await phoneShot('6-done')
})
