// A street set up from an empty hub, end to end: the first admin comes from the command line;
// everything else is done by the admin in the console's pages in the browser — the station form
// and its communities, representatives and departments imported from XLSX files (a bad file
// refused with its row numbers, nothing changed), a category with its own deadlines, an activity
// with two places, a kiosk and a wall added with pairing codes. Stations started with those codes
// pair; at the kiosk a resident submits a case in the new category and signs up to the activity;
// two more sign up on the phone page, the third waits and is promoted when one cancels; the wall
// shows the street's board; a holiday clicked on the calendar page moves the case's deadline.
// The test reads the console's API to check what the pages saved; it sends to it only the
// import checks of the API itself (the bad file refused, the same file again changing nothing).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startStack, submitAtKiosk, waitFor } from './harness.mjs'
import { xlsx } from './xlsx.mjs'

const ADMIN = { login: 'setup-admin', password: 'setup-admin-pass-2026' }
const STATION = 'QL01'
const ZONE = 'Asia/Shanghai'

let stack
let api

before(async () => {
  stack = await startStack({ role: 'kiosk', seed: false, station: false })
})

after(async () => {
  if (stack) await stack.stop()
})

// consoleAPI logs in as a person does (POST /api/v1/login) and returns a caller that sends
// the session cookie and, on unsafe requests, the CSRF header the login answered with.
async function consoleAPI(hubURL, { login, password }) {
  const res = await fetch(hubURL + '/api/v1/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  })
  assert.equal(res.status, 200, 'login')
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrf } = await res.json()
  return async (method, path, body) => {
    const headers = { cookie }
    if (method !== 'GET') headers['x-csrf-token'] = csrf
    let payload
    if (body instanceof FormData) payload = body
    else if (body !== undefined) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(body)
    }
    const r = await fetch(hubURL + path, { method, headers, body: payload })
    const text = await r.text()
    let json
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: r.status, json, text }
  }
}

function upload(name, bytes) {
  const form = new FormData()
  form.append('file', new Blob([bytes]), name)
  return form
}

const localDate = (iso) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: ZONE })

// phoneSignUp posts the phone page's form as a resident's browser does and returns its text.
async function phoneSignUp(activity, phone, action, confirm = false) {
  const form = new URLSearchParams({ phone, action })
  if (confirm) form.set('confirm', '1')
  const r = await fetch(`${stack.hubURL}/a/signup/${activity}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  })
  assert.equal(r.status, 200, `phone ${action}`)
  return r.text()
}

// consolePage opens the console in the browser and logs in as the admin, as a person does.
async function consolePage() {
  const page = await (await stack.browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage()
  page.on('pageerror', (e) => console.error('console page error:', e.message))
  await page.goto(stack.hubURL + '/console/')
  await page.getByTestId('login-name').fill(ADMIN.login)
  await page.getByTestId('login-password').fill(ADMIN.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('current-user').waitFor({ timeout: 20000 })
  return page
}

const setupShot = (page, name) => page.screenshot({ path: join(shots, `setup-${name}.png`) })

// newItem opens a setup page's empty form (设置 → page → 新增), lets fill fill it and saves it;
// the page goes back to its list, where the new item's row must appear.
async function newItem(page, path, key, fill) {
  await page.goto(stack.hubURL + `/console/#/setup/${path}`)
  await page.getByTestId('setup-add').click({ timeout: 20000 })
  const form = page.getByTestId('setup-form')
  await form.waitFor({ timeout: 20000 })
  await fill(form)
  await form.getByTestId('setup-save').click()
  await page.locator(`[data-testid="setup-row"][data-key="${key}"]`).waitFor({ timeout: 20000 })
}

// typeIn adds values typed into a free multiselect field of a form, one chip each.
async function typeIn(form, field, values) {
  const box = form.getByTestId(`input-${field}`)
  for (const v of values) {
    await box.getByTestId('pick-input').fill(v)
    await box.getByTestId('pick-add').click()
    await box.getByTestId('pick-chip').filter({ hasText: v }).waitFor()
  }
}

// addDevice adds a device in 设置 → 设备 and returns the pairing code the console shows.
async function addDevice(page, role, name) {
  await page.goto(stack.hubURL + '/console/#/setup/devices')
  await page.getByTestId('device-add').click({ timeout: 20000 })
  await page.getByTestId('device-station').selectOption(STATION)
  await page.getByTestId('device-role').selectOption(role)
  await page.getByTestId('device-name').fill(name)
  await page.getByTestId('device-submit').click()
  const code = (await page.getByTestId('device-code').innerText({ timeout: 20000 })).replace(/[\s-]/g, '')
  assert.match(code, /^[A-Z0-9]{6,12}$/)
  await waitFor(() => page.getByTestId('device-qr').evaluate((img) => img.complete && img.naturalWidth > 0),
    'the pairing QR image')
  return code
}

// closePairing closes the pairing dialog once the technician has used the code.
async function closePairing(page) {
  const dialog = page.getByTestId('device-dialog')
  await dialog.locator('button.btn--primary').click()
  await dialog.waitFor({ state: 'detached', timeout: 20000 })
}

// deviceSeen waits until the hub has heard from the station's device in role.
async function deviceSeen(role) {
  return waitFor(async () => {
    const d = (await api('GET', '/api/v1/admin/devices')).json.devices
    return d.find((x) => x.station === STATION && x.role === role && x.last_seen) && d
  }, `the ${role} seen by the hub`, 60000)
}

// refItem reads back one reference item the console saved.
async function refItem(kind, key) {
  const r = await api('GET', `/api/v1/admin/ref/${kind}`)
  assert.equal(r.status, 200, r.text)
  const keyOf = (it) => it.code ?? it.id
  const it = r.json.items.find((x) => keyOf(x) === key)
  assert.ok(it, `${kind} ${key} saved`)
  return it
}

const REP_HEADER = ['编号', '姓名', '性别', '层级', '选区', '联系社区', '职务单位', '所属联络站']

test('an admin takes an empty hub to a working street through the console', async () => {
  // The hub is empty: no stations, no users.
  assert.ok(!stack.hubCommand('user', 'list').includes(ADMIN.login))
  stack.hubCommandInput(ADMIN.password + '\n', 'user', 'add', ADMIN.login, '--role', 'admin', '--name', '街道管理员',
    '--password-stdin')
  api = await consoleAPI(stack.hubURL, ADMIN)
  assert.deepEqual((await api('GET', '/api/v1/admin/ref/station')).json.items, [])

  // In the browser, 设置 → 联络站 → 新增: a station and the communities it serves; then 设置 →
  // 社区: each community.
  const admin = await consolePage()
  await newItem(admin, 'stations', STATION, async (form) => {
    await form.getByTestId('input-code').fill(STATION)
    await form.getByTestId('input-name').fill('青林社区人大代表联络站')
    await form.getByTestId('input-address').fill('青林路 18 号')
    await typeIn(form, 'communities', ['青林社区', '松风社区'])
    await form.getByTestId('input-hours').fill('周一至周五 9:00-17:00')
  })
  const station = await refItem('station', STATION)
  assert.deepEqual([station.name, station.address, station.communities, station.hours],
    ['青林社区人大代表联络站', '青林路 18 号', ['青林社区', '松风社区'], '周一至周五 9:00-17:00'])
  for (const [code, name] of [['QL-QL', '青林社区'], ['QL-SF', '松风社区']]) {
    await newItem(admin, 'communities', code, async (form) => {
      await form.getByTestId('input-code').fill(code)
      await form.getByTestId('input-name').fill(name)
      await form.getByTestId('input-station').selectOption(STATION)
    })
    const saved = await refItem('community', code)
    assert.equal(saved.name, name)
    assert.equal(saved.station, STATION)
  }

  // A bad representatives file: two bad rows, refused whole, with their row numbers.
  const bad = xlsx([
    REP_HEADER,
    ['QL-R01', '赵一', '男', '区', '第一选区', '青林社区', '青林小学', STATION],
    ['QL-R02', '', '女', '区', '第一选区', '青林社区', '社区卫生站', STATION],
    ['QL-R03', '孙三', '男', '乡', '第二选区', '松风社区', '物业公司', STATION],
  ])
  const refused = await api('POST', '/api/v1/admin/import/representative', upload('reps.xlsx', bad))
  assert.equal(refused.status, 422, refused.text)
  const rows = [...new Set(refused.json.problems.map((p) => p.row))].sort()
  assert.deepEqual(rows, [3, 4], 'the problems name rows 3 and 4 as the spreadsheet shows them')
  assert.deepEqual((await api('GET', '/api/v1/admin/ref/representative')).json.items, [], 'nothing imported')

  // In the browser: the same bad file shows its bad rows; the good file is previewed, then
  // imported; the same file again changes nothing.
  await admin.goto(stack.hubURL + '/console/#/setup/import')
  await admin.getByTestId('import-kind').selectOption('representative')
  await admin.getByTestId('import-file').setInputFiles({ name: 'reps.xlsx', mimeType: 'application/octet-stream', buffer: bad })
  await admin.getByTestId('import-problems').waitFor({ timeout: 20000 })
  assert.equal(await admin.locator('[data-testid="import-table"] tr.imp__row--bad').count(), 2)
  assert.ok(await admin.getByTestId('import-confirm').isDisabled(), 'a refused file cannot be imported')
  await setupShot(admin, 'import-refused')

  const reps = xlsx([
    REP_HEADER,
    ['QL-R01', '赵一', '男', '区', '第一选区', '青林社区', '青林小学', STATION],
    ['QL-R02', '钱二', '女', '区', '第一选区', '青林社区、松风社区', '社区卫生站', STATION],
    ['QL-R03', '孙三', '男', '镇', '第二选区', '松风社区', '物业公司', STATION],
  ])
  await admin.getByTestId('import-file').setInputFiles({ name: 'reps.xlsx', mimeType: 'application/octet-stream', buffer: reps })
  await admin.getByTestId('import-summary').filter({ hasText: '3' }).waitFor({ timeout: 20000 })
  assert.equal(await admin.getByTestId('import-problems').count(), 0)
  assert.deepEqual((await api('GET', '/api/v1/admin/ref/representative')).json.items, [], 'a preview writes nothing')
  await setupShot(admin, 'import-preview')
  await admin.getByTestId('import-confirm').click()
  await admin.getByTestId('import-done').waitFor({ timeout: 20000 })
  assert.equal((await api('GET', '/api/v1/admin/ref/representative')).json.items.length, 3)
  const again = await api('POST', '/api/v1/admin/import/representative', upload('reps.xlsx', reps))
  assert.equal(again.status, 200, again.text)
  assert.equal(again.json.created + again.json.updated, 0, 'a re-import changes nothing')
  assert.equal(again.json.unchanged, 3)

  // 设置 → 批量导入 again, on a fresh page, for the departments.
  const depts = xlsx([
    ['编码', '名称', '联系人', '联系电话'],
    ['QL-CG', '街道城管科', '周科长', '0571-87000001'],
    ['QL-JS', '街道建设科', '吴科长', '0571-87000002'],
  ])
  await admin.reload()
  await admin.getByTestId('import-kind').selectOption('department', { timeout: 20000 })
  await admin.getByTestId('import-file').setInputFiles({ name: 'depts.xlsx', mimeType: 'application/octet-stream', buffer: depts })
  await admin.getByTestId('import-summary').filter({ hasText: '新增 2 条' }).waitFor({ timeout: 20000 })
  await admin.getByTestId('import-confirm').click()
  await admin.getByTestId('import-done').filter({ hasText: '新增 2 条' }).waitFor({ timeout: 20000 })
  assert.deepEqual((await api('GET', '/api/v1/admin/ref/department')).json.items.map((d) => [d.code, d.name, d.contact]).sort(),
    [['QL-CG', '街道城管科', '周科长'], ['QL-JS', '街道建设科', '吴科长']])

  // 设置 → 事项类别: a category with its own deadlines; 设置 → 活动: an activity with two places.
  await newItem(admin, 'categories', 'road', async (form) => {
    await form.getByTestId('input-code').fill('road')
    await form.getByTestId('input-name').fill('道路设施')
    await form.getByTestId('input-icon').selectOption('lamp')
    await form.getByTestId('input-order').fill('1')
    await form.getByTestId('input-templates').fill('小区门口路灯不亮\n人行道路面破损')
    await form.getByTestId('input-accept_hours').fill('9')
    await form.getByTestId('input-handle_days').fill('3')
  })
  const category = await refItem('category', 'road')
  assert.deepEqual([category.name, category.icon, category.order, category.templates, category.accept_hours, category.handle_days],
    ['道路设施', 'lamp', 1, ['小区门口路灯不亮', '人行道路面破损'], 9, 3])
  // Three days on at 10:00 in the station's zone: between 2 and 4 days away at any hour, well
  // inside the wall's 7-day window (now + 7 days moved to 02:00 UTC passed it before 02:00 UTC).
  const starts = new Date(Date.now() + 3 * 86400e3)
  starts.setUTCHours(2, 0, 0, 0)
  const activity = 'QL-A01'
  await newItem(admin, 'activities', activity, async (form) => {
    await form.getByTestId('input-station').selectOption(STATION)
    await form.getByTestId('input-id').fill(activity)
    await form.getByTestId('input-title').fill('代表接待日')
    await form.getByTestId('input-kind').selectOption('接待日')
    await form.getByTestId('input-place').fill('联络站一楼')
    await form.getByTestId('input-starts').fill(`${localDate(starts)}T10:00`)
    await form.getByTestId('input-ends').fill(`${localDate(starts)}T12:00`)
    await form.getByTestId('input-capacity').fill('2')
  })
  const act = await refItem('activity', activity)
  assert.deepEqual([act.station, act.title, act.kind, act.place, act.capacity], [STATION, '代表接待日', '接待日', '联络站一楼', 2])
  assert.equal(new Date(act.starts).getTime(), starts.getTime())
  assert.equal(new Date(act.ends).getTime(), starts.getTime() + 2 * 3600e3)

  // A kiosk: the console gives the code a technician types (or scans as a QR).
  const code = await addDevice(admin, 'kiosk', '一楼大厅')
  await setupShot(admin, 'device-code')
  await stack.startStation({ pairCode: code })
  const listed = await deviceSeen('kiosk')
  await closePairing(admin)
  assert.equal(listed.filter((d) => d.station === STATION).length, 1)

  // At the kiosk: the new station's name, its category, a case.
  const kiosk = await stack.openPage('/#/kiosk', { width: 1080, height: 1920 })
  await kiosk.getByText('青林社区人大代表联络站').first().waitFor({ timeout: 60000 })
  const number = await submitAtKiosk(kiosk, { category: '道路设施', template: '小区门口路灯不亮', community: '青林社区' })
  assert.match(number, new RegExp(`^${STATION}-K1-\\d{8}-\\d{4}$`))
  await kiosk.screenshot({ path: join(shots, 'setup-kiosk-receipt.png') })

  // The case at the hub, with its accept deadline in working time.
  const row = await waitFor(async () => {
    const r = await api('GET', `/api/v1/cases?q=${encodeURIComponent(number)}`)
    return r.json?.cases?.find((c) => c.number === number)
  }, 'the case in the console', 60000)
  assert.equal(row.category, 'road')
  assert.ok(row.deadline, 'a submitted case has an accept deadline')

  // The resident signs up at the kiosk: the first place.
  await kiosk.goto(stack.appURL + '/#/kiosk/activities')
  const card = kiosk.locator('article.act', { hasText: '代表接待日' }).first()
  await card.getByTestId('signup').click({ timeout: 20000 })
  // Until the hub answers the kiosk says the place is not yet confirmed; then it is.
  await card.getByTestId('signup-place').filter({ hasText: '正式名额' }).waitFor({ timeout: 30000 })
  await kiosk.locator('.toast').first().waitFor({ state: 'detached', timeout: 15000 }).catch(() => undefined)
  await kiosk.screenshot({ path: join(shots, 'setup-kiosk-signup.png') })

  // Two more on the phone page: the second gets the last place, the third waits.
  await waitFor(async () => /报名成功/.test(await phoneSignUp(activity, '13800000001', 'signup')), 'second sign-up')
  assert.match(await phoneSignUp(activity, '13800000002', 'signup'), /候补第 1 位/)
  // One cancels (the page asks first): the waiting one is promoted.
  assert.match(await phoneSignUp(activity, '13800000001', 'cancel'), /取消/)
  assert.match(await phoneSignUp(activity, '13800000001', 'cancel', true), /已取消报名/)
  assert.match(await phoneSignUp(activity, '13800000002', 'status'), /已转为正式名额|报名成功/)

  // A wall for the same street: added in 设置 → 设备, paired the same way, showing the board.
  const wallCode = await addDevice(admin, 'wall', '大厅大屏')
  const wallURL = await stack.startStation({ pairCode: wallCode, as: 'wall' })
  const devices = await deviceSeen('wall')
  await closePairing(admin)
  assert.deepEqual(devices.filter((d) => d.station === STATION).map((d) => d.role).sort(), ['kiosk', 'wall'])
  const wall = await stack.openPage('/#/wall', { width: 1920, height: 1080 }, wallURL)
  await wall.locator('.wall-header__name', { hasText: '青林社区人大代表联络站' }).waitFor({ timeout: 60000 })
  await wall.locator('.wall-header__badge[data-state="connected"]', { hasText: '已同步' }).waitFor({ timeout: 60000 })
  await wall.locator('[data-total="year"]').waitFor({ timeout: 60000 })
  // the activity and the kiosk's case have reached the wall through the hub
  await wall.getByText('代表接待日').first().waitFor({ timeout: 60000 })
  await wall.getByText('小区门口路灯不亮').first().waitFor({ timeout: 60000 })
  await wall.waitForTimeout(3000) // the counters roll to their figures
  await wall.screenshot({ path: join(shots, 'setup-wall.png') })

  // A holiday on the day the case is due moves its deadline to a later day: 设置 → 工作日历,
  // a click on the day, 法定节假日, save.
  const due0 = row.deadline
  const day = localDate(due0)
  const year = day.slice(0, 4)
  await admin.goto(stack.hubURL + '/console/#/setup/calendar')
  const years = admin.getByTestId('calendar-year')
  await years.waitFor({ timeout: 20000 })
  if ((await years.inputValue()) !== year) await years.selectOption(year)
  const cell = admin.locator(`[data-testid="calendar-day"][data-date="${day}"]`)
  await cell.click({ timeout: 20000 })
  await admin.getByTestId('calendar-choice-holiday').check()
  await admin.getByTestId('calendar-name').fill('测试假日')
  await admin.getByTestId('calendar-apply').click()
  await admin.getByTestId('calendar-save').click()
  await admin.getByTestId('calendar-saved').waitFor({ timeout: 20000 })
  assert.equal(await cell.getAttribute('data-kind'), 'holiday')
  const cal = (await api('GET', `/api/v1/admin/calendar?year=${year}`)).json
  assert.deepEqual(cal.holidays.filter((h) => h.date === day).map((h) => h.name), ['测试假日'])
  assert.ok(!cal.workdays.some((d) => d.date === day))
  await cell.scrollIntoViewIfNeeded()
  await setupShot(admin, 'calendar')
  const moved = await waitFor(async () => {
    const r = await api('GET', `/api/v1/cases?q=${encodeURIComponent(number)}`)
    const c = r.json?.cases?.find((x) => x.number === number)
    return c && c.deadline !== due0 && c
  }, 'the deadline moved by the holiday')
  assert.ok(new Date(moved.deadline) > new Date(due0), `${moved.deadline} after ${due0}`)
  assert.notEqual(localDate(moved.deadline), day)

  await admin.goto(stack.hubURL + '/console/#/setup/representatives')
  await admin.getByTestId('setup-table').waitFor({ timeout: 20000 })
  await setupShot(admin, 'representatives')
  await admin.goto(stack.hubURL + '/console/#/setup/devices')
  await admin.getByTestId('device-row').nth(1).waitFor({ timeout: 20000 })
  await setupShot(admin, 'devices')
})
