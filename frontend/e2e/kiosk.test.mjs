// A resident at the kiosk, end to end against the real Go backend and a real hub:
// tap a (simulated) ID card → consent → submit a case typed on the on-screen pinyin keyboard →
// receipt → find it in "my cases" with its timeline; then the hub replies and the resident rates.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startKiosk, waitFor } from './harness.mjs'

let stack
let page

before(async () => ({ stack, page } = await startKiosk()))
after(() => stack?.stop())

async function shot(name) {
  await page.screenshot({ path: join(shots, `kiosk-${name}.png`) })
}

// clearShot waits for the toasts to go first, so the screen under them is seen.
async function clearShot(name) {
  await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 15000 }).catch(() => undefined)
  await shot(name)
}

// typePinyin presses the on-screen keys of each syllable and picks the wanted character.
async function typePinyin(pairs) {
  for (const [spelling, char] of pairs) {
    for (const letter of spelling) await page.click(`.kiosk-keys [data-skbtn="${letter}"]`)
    await page.locator('[data-testid="candidate"]', { hasText: char }).first().click()
  }
}

const hubCases = () => stack.hubCommand('case', 'list')
let firstCase = { number: '', statusUrl: '' }

test('a new resident registers with a card, submits a case and follows it', async () => {
  // The first sample card's holder is a known demo resident; this card's holder is new.
  await page.getByRole('button', { name: '其他样例' }).click()
  await page.getByRole('button', { name: '港澳台居民居住证' }).click()
  await page.getByRole('button', { name: '同意', exact: true }).click({ timeout: 20000 })
  await page.getByText('提交建议').first().waitFor()
  // The four tiles share the screen, not its top quarter.
  const tile = await page.locator('.big-card').first().boundingBox()
  assert.ok(tile && tile.height > 600, `home tile ${tile?.height} px tall`)
  await shot('home')
  await page.getByText('提交建议').first().click()
  await shot('category')
  await page.getByText('环境卫生').first().click()
  // Categories with common issues offer them first; write our own text instead.
  const own = page.getByText('自己填写')
  if (await own.isVisible().catch(() => false)) await own.click()
  await typePinyin([['lu', '路'], ['deng', '灯'], ['huai', '坏'], ['le', '了'], ['hen', '很'], ['jiu', '久']])
  await shot('text')
  const field = page.locator('.field')
  assert.equal((await field.innerText()).trim(), '路灯坏了很久')
  await page.getByRole('button', { name: '下一步' }).click()
  // Location: take the first community offered.
  await page.locator('.step button, .step [role="radio"]').first().click()
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('button', { name: '下一步' }).click()
  for (const b of await page.locator('button.edit').all()) {
    const box = await b.boundingBox()
    assert.ok(box && box.height >= 72, `修改 button ${box?.height} px tall`)
  }
  await shot('review')
  await page.getByTestId('send').click()
  const number = (await page.getByTestId('case-number').innerText({ timeout: 20000 })).trim()
  assert.match(number, /^HX01-K1-\d{8}-\d{4}$/)
  await page.getByText('提交成功').first().waitFor()
  firstCase = { number, statusUrl: await page.locator('.qr').getAttribute('alt') }
  // Online, the case is uploaded within moments, and then the QR's page knows it.
  await page.locator('[data-testid="receipt-upload"][data-uploaded="true"]').waitFor({ timeout: 30000 })
  await shot('receipt')

  // The hub has it once it synced.
  const listed = await waitFor(() => {
    const out = hubCases()
    return out.includes(number) && out
  }, 'the case at the hub')
  assert.equal(listed.split(number).length - 1, 1, 'the case reached the hub exactly once')

  await page.goto(stack.appURL + '/#/kiosk/cases')
  await page.getByText(number).first().click()
  await page.getByText('路灯坏了很久').first().waitFor()
  await shot('detail')

  // Staff at the hub accept, assign and reply; the kiosk shows it and the resident rates.
  const act = (...args) => stack.caseAct(number, ...args)
  act('accept', '--rep', 'HX01-R01', '--rep-name', '测试代表')
  act('assign', '--dept', 'JD-CG', '--due', new Date(Date.now() + 3 * 86400e3).toISOString())
  act('reply', '--reply', '路灯已经修好', '--as', 'department')
  await page.getByTestId('rating-panel').waitFor({ timeout: 20000 })
  await page.getByText('路灯已经修好').first().waitFor()
  await page.locator('[data-rating="satisfied"]').click()
  await page.getByTestId('send-rating').click()
  await page.getByTestId('rating-panel').waitFor({ state: 'detached', timeout: 20000 })
  await shot('rated')
})

test('a returning resident finds their cases and rates a replied one', async () => {
  await page.goto(stack.appURL + '/#/kiosk/home')
  await page.getByRole('button', { name: '退出' }).click()
  await page.getByTestId('simulate-card').click()
  // Recognised: no consent notice this time.
  await page.getByText('我的事项').first().click({ timeout: 20000 })
  await page.getByText('小区东门的路灯坏了').first().click()
  await page.getByTestId('rating-panel').waitFor()
  await page.locator('[data-rating="unsatisfied"]').click()
  await page.getByTestId('reopen-notice').waitFor()
  await page.getByTestId('send-rating').click()
  await page.getByTestId('rating-panel').waitFor({ state: 'detached', timeout: 20000 })
  await page.getByText('重新办理').first().waitFor()
  await shot('reopened')

  // Checked in at an activity under way: it no longer offers 报名.
  await page.goto(stack.appURL + '/#/kiosk/activities')
  const live = page.locator('article.act--live', { has: page.getByRole('button', { name: '现场签到' }) }).first()
  await live.waitFor({ timeout: 20000 })
  const title = (await live.locator('h3, h2').first().innerText()).trim()
  await live.getByRole('button', { name: '现场签到' }).click()
  const done = page.locator('article.act', { hasText: title }).first()
  await done.getByText('已签到').first().waitFor({ timeout: 20000 })
  assert.equal(await done.getByTestId('signup').count(), 0, 'a checked-in activity still offers 报名')
  await clearShot('activity-checked-in')
})

test('a case submitted while the hub is down reaches it exactly once when it is back', async () => {
  await stack.stopHub()
  await page.goto(stack.appURL + '/#/kiosk/home')
  await page.getByText('离线').first().waitFor({ timeout: 30000 })
  await page.getByText('提交建议').first().click()
  await page.getByText('公共设施').first().click()
  const own = page.getByText('自己填写')
  if (await own.isVisible().catch(() => false)) await own.click()
  await typePinyin([['dian', '电'], ['ti', '梯'], ['huai', '坏'], ['le', '了'], ['hen', '很'], ['jiu', '久']])
  await page.getByRole('button', { name: '下一步' }).click()
  await page.locator('.step button, .step [role="radio"]').first().click()
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByTestId('send').click()
  const number = (await page.getByTestId('case-number').innerText({ timeout: 20000 })).trim()
  const upload = page.getByTestId('receipt-upload')
  assert.equal(await upload.getAttribute('data-uploaded'), 'false')
  assert.match(await upload.innerText(), /上传到区平台后/, 'the offline receipt says when its QR works')
  await shot('offline-receipt')
  assert.ok(!hubCases().includes(number), 'the hub cannot have it yet')

  await stack.startHub()
  const listed = await waitFor(() => {
    const out = hubCases()
    return out.includes(number) && out
  }, 'the offline case at the hub', 90000)
  assert.equal(listed.split(number).length - 1, 1, 'the offline case reached the hub exactly once')
  await page.locator('[data-testid="receipt-upload"][data-uploaded="true"]').waitFor({ timeout: 30000 })
  await page.getByText('已连接').first().waitFor({ timeout: 30000 })
})

test('a receipt QR opens its case for anyone, without its text; a number alone does not', async () => {
  assert.ok(firstCase.statusUrl.includes('/c/' + firstCase.number + '?t='), firstCase.statusUrl)
  await page.goto(stack.appURL + '/#/kiosk/home')
  await page.getByRole('button', { name: '退出' }).click()
  await page.getByTestId('station-name').waitFor()
  // The receipt scanned on the station's own (simulated serial) scanner, from the attract screen.
  await page.evaluate((t) => globalThis.go.app.Rep.SimulateScan(t), firstCase.statusUrl)
  await page.getByTestId('lookup-number').filter({ hasText: firstCase.number }).waitFor({ timeout: 20000 })
  assert.equal(await page.getByText('路灯坏了很久').count(), 0, 'the receipt view shows the case text')
  await clearShot('lookup-receipt')

  // An anonymous visitor: one message on 我的事项, and a number alone opens nothing.
  await page.goto(stack.appURL + '/#/kiosk')
  await page.getByRole('button', { name: '无证件继续' }).click()
  await page.getByText('我的事项').first().click()
  await page.getByTestId('cases-note').waitFor()
  assert.equal(await page.locator('.cases .muted').count(), 1, 'two messages on an empty 我的事项')
  await clearShot('anonymous-cases')
  await page.getByTestId('open-lookup').click()
  const field = (await page.getByTestId('lookup-field').innerText()).trim()
  for (const ch of firstCase.number.slice(field.length)) await page.locator(`[data-testid="lookup-pad"] [data-key="${ch}"]`).click()
  await page.getByTestId('lookup-search').click()
  await page.getByTestId('lookup-error').filter({ hasText: '没有找到' }).waitFor({ timeout: 10000 })
  assert.equal(await page.getByTestId('lookup-number').count(), 0)
  await clearShot('lookup-number-refused')
})
