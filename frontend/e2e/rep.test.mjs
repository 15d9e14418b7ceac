// A representative at the kiosk and a resident's phone at the hub, end to end against the real
// Go backend and a real hub: the hub issues a badge → the simulated serial scanner scans it →
// duty sign-in → the representative claims a case and the hub sees the claim; then the kiosk's
// rotating check-in QR, opened in Chromium, records one check-in and refuses a reused and a
// stale code.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startKiosk, waitFor } from './harness.mjs'

let stack
let page

before(async () => ({ stack, page } = await startKiosk()))
after(() => stack?.stop())

const hub = (...args) => stack.hubCommand(...args)
const shot = (name) => page.screenshot({ path: join(shots, `rep-${name}.png`) })

// scan sends text through the kiosk's simulated serial scanner (demo-only bound method).
const scan = (text) => page.evaluate((t) => globalThis.go.app.Rep.SimulateScan(t), text)

test('a badge scan signs the representative in and opens the workbench; a claim reaches the hub', async () => {
  const badge = hub('badge', 'issue', '--rep', 'HX01-R01', '--payload-only').trim()
  assert.match(badge, /^LB1\./)

  // A forged badge (one signature byte changed) is refused with a message and opens nothing.
  const forged = badge.slice(0, -3) + (badge.at(-3) === 'A' ? 'B' : 'A') + badge.slice(-2)
  await waitFor(() => page.evaluate(() => !!globalThis.go?.app?.Rep), 'bound Rep service')
  await scan(forged)
  await page.getByText('验证未通过').first().waitFor({ timeout: 15000 })
  assert.equal(await page.getByTestId('workbench').count(), 0)

  await scan(badge)
  await page.getByTestId('workbench').waitFor({ timeout: 15000 })
  await page.getByText('代表签到成功').first().waitFor()
  assert.equal((await page.getByTestId('rep-name').innerText()).trim(), '张三')
  assert.match(await page.getByTestId('duty-state').innerText(), /值班中/)
  await shot('workbench')

  await page.getByTestId('tab-cases').click()
  const first = page.getByTestId('unclaimed-case').first()
  await first.waitFor({ timeout: 15000 })
  const number = (await first.locator('strong').innerText()).trim()
  await first.getByTestId('claim').click()
  await page.getByText(`已领办 ${number}`).first().waitFor()
  await shot('claimed')

  // Signing out: the chip says so, with the time.
  await page.getByTestId('tab-duty').click()
  await page.getByRole('button', { name: '值班签退' }).click()
  await waitFor(async () => /^已签退 \d\d:\d\d$/.test((await page.getByTestId('duty-state').innerText()).trim()),
    'the chip to say 已签退 with the time', 15000)
  await shot('signed-out')

  // The claim is a fact in the kiosk's outbox; the hub shows the case accepted once it synced.
  await waitFor(() => {
    const line = hub('case', 'list', '--state', 'accepted').split('\n').find((l) => l.includes(number))
    return line !== undefined
  }, `hub sees the claim of ${number}`, 30000)
})

test('the rotating check-in QR records a phone check-in once and refuses a reused or stale code', async () => {
  await page.getByTestId('tab-activities').click()
  await page.getByTestId('show-checkin-qr').first().click({ timeout: 15000 })
  const qr = page.getByTestId('checkin-qr')
  await qr.waitFor({ timeout: 15000 })
  const url = await qr.getAttribute('data-url')
  const window0 = Number(await qr.getAttribute('data-window'))
  assert.ok(url.startsWith(stack.hubURL + '/a/checkin?c='), url)
  await shot('checkin-qr')

  const phone = await stack.browser.newContext({ viewport: { width: 390, height: 844 } })
  const p = await phone.newPage()
  const submit = async (number) => {
    await p.goto(url)
    await p.fill('#phone', number)
    await p.click('#submit')
    return p.locator('#result').getAttribute('data-result')
  }
  assert.equal(await submit('13800138000'), 'ok')
  await p.getByText('签到成功').waitFor()
  await p.screenshot({ path: join(shots, 'rep-phone-ok.png') })

  // The same person with the same code: refused, nothing recorded twice.
  assert.equal(await submit('138 0013 8000'), 'refused')
  await p.getByText('已经签到').waitFor()

  // The kiosk counts the phone check-in once it came back through sync.
  await waitFor(async () => /已签到 1 人/.test(await page.getByTestId('attended').innerText()),
    'attendance count on the kiosk', 30000)

  // Two windows later the first code is stale: the page refuses it without a form.
  await waitFor(async () => Number(await qr.getAttribute('data-window')) >= window0 + 2,
    'the code to rotate twice', 100000)
  const resp = await p.goto(url)
  assert.equal(resp.status(), 410)
  await p.getByText('二维码已过期').waitFor()
  assert.equal(await p.locator('#phone').count(), 0)
  await phone.close()
})
