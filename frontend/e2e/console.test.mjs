// The hub's console, end to end: on a hub with no users, an admin is created with the command
// line and sets up a staff and a department account in the browser; a case a resident submits
// at the kiosk appears in the staff inbox without a reload, staff accept and assign it, the
// department sees only its own cases and replies, the resident rates it at the kiosk, and the
// case reads 已办结 with each actor's real name on the kiosk, in the console and on the public
// page; the 问题清单 XLSX holds its row.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { actOnCase, shots, startKiosk, submitTypedAtKiosk, waitFor } from './harness.mjs'

const STAFF = { login: 'wangzr', name: '王主任', password: 'desk-pass-2026' }
const DEPT = { login: 'chengguan', name: '刘科长', password: 'dept-pass-2026', code: 'JD-CG', unit: '街道城管科' }
const ADMIN = { login: 'admin', password: 'admin-pass-2026' }

let stack
let kiosk

// The resident's kiosk session waits while the staff and the department work the case in the
// console; on a busy machine that outlasts the default minute without a touch, and the session
// would end before the rating (idle.test.mjs tests the idle path).
before(async () => ({ stack, page: kiosk } = await startKiosk({ stationArgs: ['--idle', '600'] })))
after(() => stack?.stop())

async function consolePage(viewport = { width: 1366, height: 768 }) {
  const page = await (await stack.browser.newContext({ viewport })).newPage()
  page.on('pageerror', (e) => console.error('console page error:', e.message))
  await page.goto(stack.hubURL + '/console/')
  return page
}

async function login(page, { login, password }) {
  await page.getByTestId('login-name').fill(login)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('current-user').waitFor({ timeout: 20000 })
}

async function addUser(page, u, role) {
  await page.getByTestId('nav-users').click()
  await page.getByTestId('user-add').click()
  await page.getByTestId('user-login').fill(u.login)
  await page.getByTestId('user-name').fill(u.name)
  await page.getByTestId('user-role').selectOption(role)
  if (u.code) await page.getByTestId('user-dept').selectOption(u.code)
  await page.getByTestId('user-password').fill(u.password)
  await page.getByTestId('user-add-submit').click()
  await page.locator(`[data-testid="user-row"][data-login="${u.login}"]`).waitFor({ timeout: 10000 })
}

// sharedStrings reads the text cells of an XLSX file (a zip) without a zip library: the
// central directory names each member and where its deflated bytes start.
function xlsxStrings(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  assert.ok(eocd >= 0, 'the export is a zip file')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  let text = ''
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    if (name.startsWith('xl/')) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
      const data = buf.subarray(start, start + size)
      text += (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    }
    p += 46 + nameLen + extraLen + commentLen
  }
  return text
}

test('a case goes from the kiosk to 已办结 through the console, with real names', async () => {
  // An empty hub: the first admin comes from the command line.
  const listed = stack.hubCommand('user', 'list')
  assert.ok(!listed.includes(ADMIN.login), 'the hub starts with no users')
  stack.hubCommandInput(ADMIN.password + '\n', 'user', 'add', ADMIN.login, '--role', 'admin', '--name', '系统管理员',
    '--password-stdin')

  const admin = await consolePage()
  await admin.getByTestId('login-form').waitFor()
  await admin.screenshot({ path: join(shots, 'console-login.png') })
  await login(admin, ADMIN)
  await addUser(admin, STAFF, 'staff')
  await addUser(admin, DEPT, 'department')
  await admin.screenshot({ path: join(shots, 'console-users.png') })

  const staff = await consolePage()
  await login(staff, STAFF)
  await staff.getByTestId('tab-to_accept').click()
  await staff.getByTestId('case-table').waitFor()

  // A resident submits at the kiosk.
  const number = await submitTypedAtKiosk(kiosk, '环境卫生', [['lu', '路'], ['deng', '灯'], ['huai', '坏'], ['le', '了'], ['hen', '很'], ['jiu', '久']])

  // It appears in the staff inbox without a reload.
  const row = staff.locator(`[data-testid="case-row"][data-case-number="${number}"]`)
  await row.waitFor({ timeout: 60000 })
  await staff.screenshot({ path: join(shots, 'console-inbox.png') })
  await row.getByTestId('row-open').click()
  await staff.getByTestId('case-page').waitFor()
  await actOnCase(staff, 'accept', async () => {
    await staff.getByTestId('field-rep').selectOption('HX01-R01')
  })
  await actOnCase(staff, 'assign', async () => {
    await staff.getByTestId('field-dept').selectOption(DEPT.code)
  })
  await staff.getByTestId('case-state').filter({ hasText: '已交办' }).waitFor({ timeout: 15000 })
  await staff.screenshot({ path: join(shots, 'console-case-assigned.png') })

  // The department sees only its own cases, whatever it asks for.
  const dept = await consolePage({ width: 1024, height: 768 })
  await login(dept, DEPT)
  const mine = await dept.evaluate(async () => (await fetch('/api/v1/cases?tab=all&per_page=200&dept=Q-ZJ')).json())
  assert.ok(mine.cases.length > 0, 'the department has cases')
  for (const c of mine.cases) assert.equal(c.dept_code, 'JD-CG', `case ${c.number} belongs to ${c.dept_code}`)
  const found = await dept.evaluate(async (n) => (await fetch(`/api/v1/cases?tab=all&q=${encodeURIComponent(n)}`)).json(), number)
  assert.deepEqual(found.cases.map((c) => c.number), [number], 'full-text search finds the case by its number')
  await dept.getByTestId('tab-all').click()
  await dept.getByTestId('filter-q').fill(number)
  await dept.getByTestId('filter-q').press('Enter')
  await dept.screenshot({ path: join(shots, 'console-dept-search.png') })
  await dept.locator(`[data-testid="case-row"][data-case-number="${number}"]`).getByTestId('row-open').click()
  await dept.getByTestId('case-page').waitFor()
  await actOnCase(dept, 'reply', async () => {
    await dept.getByTestId('field-reply').fill('垃圾已清运，并增加了清运频次。')
  })
  await dept.screenshot({ path: join(shots, 'console-case-replied.png') })

  // The resident rates it at the kiosk.
  await kiosk.goto(stack.appURL + '/#/kiosk/cases')
  await kiosk.getByText(number).first().click()
  await kiosk.getByTestId('rating-panel').waitFor({ timeout: 30000 })
  await kiosk.locator('[data-rating="satisfied"]').click()
  await kiosk.getByTestId('send-rating').click()
  await kiosk.getByTestId('rating-panel').waitFor({ state: 'detached', timeout: 20000 })

  // 已办结, with each actor's real name, on the kiosk, the console and the public page.
  const staffActor = '王主任（街道人大工委）'
  const deptActor = `刘科长（${DEPT.unit}）`
  await kiosk.getByText('已办结').first().waitFor({ timeout: 30000 })
  await kiosk.getByText(staffActor).first().waitFor({ timeout: 10000 })
  await kiosk.screenshot({ path: join(shots, 'console-kiosk-closed.png') })

  await staff.reload()
  await staff.getByTestId('case-state').filter({ hasText: '已办结' }).waitFor({ timeout: 30000 })
  const timeline = await staff.getByTestId('timeline').innerText()
  assert.ok(timeline.includes(staffActor), `console timeline names ${staffActor}: ${timeline}`)
  assert.ok(timeline.includes(deptActor), `console timeline names ${deptActor}: ${timeline}`)
  await staff.screenshot({ path: join(shots, 'console-case-closed.png') })

  const detail = await staff.evaluate(async (n) => (await fetch(`/api/v1/cases/${n}`)).json(), number)
  const pub = await (await fetch(detail.status_url)).text()
  assert.ok(pub.includes('已办结'), 'the public page says 已办结')
  assert.ok(pub.includes(staffActor), `the public page names ${staffActor}`)

  // The 问题清单 export holds the row.
  const xlsx = await staff.evaluate(async (n) => {
    const r = await fetch(`/api/v1/cases/export.xlsx?tab=all&q=${encodeURIComponent(n)}`)
    return Array.from(new Uint8Array(await r.arrayBuffer()))
  }, number)
  const cells = xlsxStrings(Buffer.from(xlsx))
  assert.ok(cells.includes(number), 'the XLSX holds the case number')
  assert.ok(cells.includes('编号'), 'the XLSX has its Chinese header')
})
