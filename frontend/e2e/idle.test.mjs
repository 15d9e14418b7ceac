// A resident is never cut off while using the kiosk, and an idle session still ends.
// The station runs with --idle 30: Go's own backstop would end a session 60 s after the last
// thing it heard, so three minutes of typing only survive if every tap keeps the session alive
// on both sides. The development build's own window (on Xvfb) shows the same session and runs
// its own countdown; it must not end the session either (it hears session:active).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startKiosk } from './harness.mjs'

const idleSeconds = 30
let stack
let page

before(async () => ({ stack, page } = await startKiosk({ stationArgs: ['--idle', String(idleSeconds)] })))
after(() => stack?.stop())

const shot = (name) => page.screenshot({ path: join(shots, `kiosk-idle-${name}.png`) })
const pause = (ms) => new Promise((r) => setTimeout(r, ms))
const warning = () => page.getByText('还在吗？')

test('three minutes of typing lose nothing; then idle → warning → 继续使用 → warning → wipe', async () => {
  await page.getByRole('button', { name: '无证件继续' }).click()
  await page.getByText('提交建议').first().click()
  await page.getByText('环境卫生').first().click()
  const own = page.getByText('自己填写')
  if (await own.isVisible().catch(() => false)) await own.click()

  // One tap about every 2 s for 180 s: l, u, then the candidate 路.
  const taps = [
    () => page.click('.kiosk-keys [data-skbtn="l"]'),
    () => page.click('.kiosk-keys [data-skbtn="u"]'),
    () => page.locator('[data-testid="candidate"]', { hasText: '路' }).first().click(),
  ]
  const started = Date.now()
  let n = 0
  while (Date.now() - started < 180_000) {
    await taps[n % 3]()
    n++
    assert.equal(await warning().isVisible(), false, `the idle warning came up while typing (tap ${n})`)
    await pause(2000)
  }
  // finish the character in progress
  while (n % 3 !== 0) await taps[n++ % 3]()
  const chars = n / 3
  await shot('typing')
  assert.equal((await page.locator('.field').innerText()).trim(), '路'.repeat(chars), 'everything typed is there')
  assert.match(page.url(), /#\/kiosk\/submit/, 'still on the submit screen')

  // Idle: the warning comes after the configured time; 继续使用 extends the session.
  let quietFrom = Date.now()
  await warning().waitFor({ timeout: (idleSeconds + 15) * 1000 })
  let waited = (Date.now() - quietFrom) / 1000
  assert.ok(waited >= idleSeconds - 2 && waited <= idleSeconds + 8, `warning after ${waited} s of quiet`)
  await shot('warning')
  await page.getByRole('button', { name: '继续使用' }).click()
  await warning().waitFor({ state: 'hidden' })
  assert.equal((await page.locator('.field').innerText()).trim(), '路'.repeat(chars), 'the draft survived 继续使用')

  // Left alone again: warning, then the session is wiped and the attract screen shows.
  quietFrom = Date.now()
  await warning().waitFor({ timeout: (idleSeconds + 15) * 1000 })
  waited = (Date.now() - quietFrom) / 1000
  assert.ok(waited >= idleSeconds - 2, `second warning after ${waited} s`)
  const warnedAt = Date.now()
  await page.getByTestId('station-name').waitFor({ timeout: 30_000 })
  const wiped = (Date.now() - warnedAt) / 1000
  assert.ok(wiped >= 8 && wiped <= 20, `wiped ${wiped} s after the warning`)
  await shot('wiped')
  // The draft went with the session: a new session starts with an empty text.
  await page.getByRole('button', { name: '无证件继续' }).click()
  await page.getByText('提交建议').first().click()
  await page.getByText('环境卫生').first().click()
  if (await own.isVisible().catch(() => false)) await own.click()
  assert.equal(await page.locator('.field .placeholder').count(), 1, 'nothing of the wiped session is left')
})
