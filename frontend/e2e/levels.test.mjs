// 街道 → 区, end to end on the demo district: a resident submits at the kiosk of 和谐街道; the
// street's staff accept the case and hand it up (上报) to 示范区; the district's staff find it
// among the 上报件 and assign it to a district department (区住建局), which replies; the
// resident rates it at the kiosk, whose timeline says where it went. The street can no longer
// assign it. The district's 区域总览 shows its two streets, each with its own figures, and
// their sum; the same board in large type is the district's wall. The district's monthly
// report breaks down by street, and a street's row opens that street's report. The district
// hall's wall screen signs in with a display account and opens on the wall.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { actOnCase, shots, startKiosk, submitTypedAtKiosk, waitFor } from './harness.mjs'

const STREET = { login: 'e2e-hx', name: '街道赵干事', password: 'street-pass-2026', node: 'HX' }
const DISTRICT = { login: 'e2e-qu', name: '区钱干事', password: 'district-pass-2026', node: 'SFQ' }
const DEPT = { login: 'e2e-quzj', name: '孙科长', password: 'dept-pass-2026', dept: 'Q-ZJ' }
const HALL = { login: 'e2e-hall', name: '区大厅大屏', password: 'hall-pass-2026', node: 'SFQ' }

let stack
let kiosk

before(async () => ({ stack, page: kiosk } = await startKiosk({ stationArgs: ['--idle', '600'] })))
after(() => stack?.stop())

function addUser(u, role) {
  const place = u.node ? ['--node', u.node] : ['--dept', u.dept]
  stack.hubCommandInput(u.password + '\n', 'user', 'add', u.login, '--role', role, '--name', u.name, ...place, '--password-stdin')
}

// consoleAs logs u in to the console in a page of its own and waits for the page it lands on
// (the console's bar; a wall screen's account has none and lands on its board).
async function consoleAs(u, viewport = { width: 1366, height: 768 }, landed = 'current-user') {
  const page = await (await stack.browser.newContext({ viewport })).newPage()
  page.on('pageerror', (e) => console.error('console page error:', e.message))
  await page.goto(stack.hubURL + '/console/')
  await page.getByTestId('login-name').fill(u.login)
  await page.getByTestId('login-password').fill(u.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId(landed).waitFor({ timeout: 20000 })
  return page
}

async function openCase(page, number) {
  await page.goto(`${stack.hubURL}/console/#/cases/${number}`)
  await page.getByTestId('case-page').waitFor({ timeout: 20000 })
}

test('a case escalated by the street is assigned by the district and rated at the kiosk; the district board adds up its streets', async () => {
  addUser(STREET, 'staff')
  addUser(DISTRICT, 'staff')
  addUser(DEPT, 'department')

  const number = await submitTypedAtKiosk(kiosk, '环境卫生', [['lu', '路'], ['mian', '面'], ['huai', '坏'], ['le', '了'], ['hen', '很'], ['jiu', '久']])
  const street = await consoleAs(STREET)
  await waitFor(async () => {
    const r = await street.evaluate(async (n) => (await fetch(`/api/v1/cases/${n}`)).status, number)
    return r === 200
  }, 'the case at the hub', 60000)

  // The street accepts it and hands it up to the district.
  await openCase(street, number)
  assert.equal(await street.getByTestId('case-level').innerText(), '和谐街道')
  await actOnCase(street, 'accept', async () => {
    await street.getByTestId('field-rep').selectOption('HX01-R01')
  })
  await actOnCase(street, 'escalate', async () => {
    assert.equal(await street.getByTestId('field-to').inputValue(), 'SFQ', 'the level above is offered first')
    const offered = await street.locator('[data-testid="field-to"] option').allInnerTexts()
    assert.deepEqual(offered, ['示范区', '示范市'], 'the street may hand the case up to the district or the city')
    await street.getByTestId('field-note').fill('道路属区管主干道，街道无权维修')
  })
  await street.getByTestId('case-level').filter({ hasText: '示范区' }).waitFor({ timeout: 15000 })
  assert.ok((await street.getByTestId('timeline').innerText()).includes('上报至示范区'), 'the console timeline shows the escalation')
  assert.ok(await street.getByTestId('action-assign').isDisabled(), 'the street no longer assigns an escalated case')
  await street.screenshot({ path: join(shots, 'levels-street-escalated.png') })

  // The district finds it among the 上报件 and assigns it to a district department.
  const district = await consoleAs(DISTRICT)
  await district.goto(`${stack.hubURL}/console/#/cases?tab=all&escalated=1`)
  const row = district.locator(`[data-testid="case-row"][data-case-number="${number}"]`)
  await row.waitFor({ timeout: 30000 })
  assert.ok(await district.getByTestId('filter-escalated').isChecked())
  await district.screenshot({ path: join(shots, 'levels-district-inbox.png') })
  await row.getByTestId('row-open').click()
  await district.getByTestId('case-page').waitFor()
  await district.getByTestId('action-assign').click()
  await district.getByTestId('action-dialog-assign').waitFor()
  const depts = await district.getByTestId('field-dept').locator('option').allInnerTexts()
  assert.ok(depts.includes('区住建局'), `district departments offered: ${depts}`)
  assert.ok(!depts.includes('街道城管科'), `a street's office is not offered to the district: ${depts}`)
  await district.getByTestId('field-dept').selectOption(DEPT.dept)
  await district.screenshot({ path: join(shots, 'levels-district-assign.png') })
  await district.getByTestId('action-submit').click()
  await district.getByTestId('action-dialog-assign').waitFor({ state: 'detached', timeout: 15000 })
  await district.getByTestId('case-state').filter({ hasText: '已交办' }).waitFor({ timeout: 15000 })

  // The district department replies.
  const dept = await consoleAs(DEPT, { width: 1024, height: 768 })
  await openCase(dept, number)
  await actOnCase(dept, 'reply', async () => {
    await dept.getByTestId('field-reply').fill('区住建局已安排养护队修补路面，三日内完工。')
  })

  // The resident rates it at the kiosk; the timeline there says it went to the district.
  await kiosk.goto(stack.appURL + '/#/kiosk/cases')
  await kiosk.getByText(number).first().click()
  await kiosk.getByTestId('rating-panel').waitFor({ timeout: 30000 })
  await kiosk.getByText('上报至示范区').first().waitFor({ timeout: 10000 })
  await kiosk.locator('[data-rating="satisfied"]').click()
  await kiosk.getByTestId('send-rating').click()
  await kiosk.getByTestId('rating-panel').waitFor({ state: 'detached', timeout: 20000 })
  await kiosk.getByText('已办结').first().waitFor({ timeout: 30000 })
  await kiosk.screenshot({ path: join(shots, 'levels-kiosk-closed.png') })
  await district.reload()
  await district.getByTestId('case-state').filter({ hasText: '已办结' }).waitFor({ timeout: 30000 })

  // The district's board: its two streets, each with its own figures, adding up to its own.
  await district.goto(`${stack.hubURL}/console/#/board`)
  await district.getByTestId('board-areas').waitFor({ timeout: 20000 })
  const board = await district.evaluate(async () => (await fetch('/api/v1/board')).json())
  assert.equal(board.area.code, 'SFQ')
  assert.deepEqual(board.children.map((c) => c.code).sort(), ['HP', 'HX'])
  for (const c of board.children) assert.ok(c.rates.submitted > 0, `${c.name} has cases of its own`)
  const sum = (k) => board.children.reduce((n, c) => n + c.rates[k], 0)
  for (const k of ['submitted', 'open', 'overdue', 'closed', 'rated']) assert.equal(board.area.rates[k], sum(k), `the district's ${k} is its streets' sum`)
  const shown = await district.locator('[data-testid="board-area"] [data-testid="area-submitted"]').allInnerTexts()
  assert.deepEqual(shown.map(Number).sort(), board.children.map((c) => c.rates.submitted).sort())
  await district.screenshot({ path: join(shots, 'levels-district-board.png') })

  // Drill down to the street, then the wall in large type.
  await district.getByTestId('board-open-HX').click()
  await district.getByTestId('board-title').filter({ hasText: '和谐街道' }).waitFor()
  await district.setViewportSize({ width: 1920, height: 1080 })
  await district.goto(`${stack.hubURL}/console/#/board/wall`)
  await district.getByTestId('board-areas').waitFor({ timeout: 20000 })
  await district.screenshot({ path: join(shots, 'levels-district-wall.png') })

  // The street sees its own area only.
  const own = await street.evaluate(async () => (await fetch('/api/v1/board?node=SFQ')).status)
  assert.equal(own, 400, "a street's account cannot open the district's board")

  // The district's 民情报告 breaks down by street; a street's row opens that street's report,
  // which counts exactly what the street's own account reads.
  await district.setViewportSize({ width: 1366, height: 768 })
  await district.goto(`${stack.hubURL}/console/#/reports`)
  await district.getByTestId('report-by-area').waitFor({ timeout: 30000 })
  const areas = await district.locator('[data-testid="area-row"] td:first-child').allInnerTexts()
  assert.deepEqual(areas, ['和谐街道', '和平街道'])
  const month = await district.getByTestId('report-month').inputValue()
  const read = (page, q) => page.evaluate(async (q) => (await fetch('/api/v1/reports/monthly?' + q)).json(), q)
  const whole = await read(district, `month=${month}`)
  const streets = await read(street, `month=${month}`)
  assert.equal(whole.area, '示范区')
  assert.equal(streets.area, '和谐街道')
  assert.equal(whole.by_area[0].received, streets.received, "the district's row of 和谐街道 is the street's own report")
  assert.equal(whole.received, whole.by_area[0].received + whole.by_area[1].received)
  await district.getByTestId('report-by-area').scrollIntoViewIfNeeded()
  await district.screenshot({ path: join(shots, 'levels-district-report.png') })
  await district.getByTestId('area-drill-HX').click()
  await district.locator('h1').filter({ hasText: '民情报告 · 和谐街道' }).waitFor({ timeout: 15000 })
  assert.equal(await district.getByTestId('kpi-received').locator('.kpi__value').innerText(), String(streets.received))

  // The district hall's wall screen signs in with a display account and opens on the wall.
  addUser(HALL, 'display')
  const hall = await consoleAs(HALL, { width: 1920, height: 1080 }, 'board-areas')
  assert.ok(hall.url().endsWith('#/board/wall'), `the wall screen opened ${hall.url()}`)
  assert.equal(await hall.getByTestId('app-bar').count(), 0, 'the wall shows no console bar')
  const denied = await hall.evaluate(async () => (await fetch('/api/v1/cases')).status)
  assert.equal(denied, 403, "a wall screen's account reads no cases")
})
