// A freshly installed station (no hub, no pairing, no devices) is set up on its own touch
// screen: the technician opens the service screen, chooses the ports, test-reads both devices,
// types the hub's address and a pairing code from the hub on the on-screen pads, and ends with
// every part green.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pairingCode, shots, startKiosk, waitFor } from './harness.mjs'

let stack
let page

before(async () => ({ stack, page } = await startKiosk({ paired: false })))
after(() => stack?.stop())

const shot = (name, full = false) => page.screenshot({ path: join(shots, `tech-${name}.png`), fullPage: full })

async function tapPin(digits) {
  for (const d of digits) await page.locator('.pad__key', { hasText: new RegExp(`^${d}$`) }).click()
  await page.locator('.pad__key--ok').click()
}

// typeOn taps each character of text on a KeyPad; "http://" is one key.
async function typeOn(pad, text) {
  let rest = text
  for (const prefix of ['https://', 'http://']) {
    if (rest.startsWith(prefix)) {
      await page.locator(`[data-testid="${pad}"] [data-key="${prefix}"]`).click()
      rest = rest.slice(prefix.length)
    }
  }
  for (const ch of rest) await page.locator(`[data-testid="${pad}"] [data-key="${ch}"]`).click()
}

const chip = (key) => page.getByTestId(`summary-${key}`)

test('a fresh station goes from 未配对 to green diagnostics on its touch screen', async () => {
  await page.getByText('未配对').first().waitFor({ timeout: 20000 })
  await shot('unpaired')

  // Hold the station name for three seconds.
  const name = page.getByTestId('station-name')
  const box = await name.boundingBox()
  assert.ok(box && box.width > 0, 'the hold target is there before pairing')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.waitForURL(/#\/tech/, { timeout: 10000 })
  await page.mouse.up()

  // A wrong PIN: the pad stays where it is under the finger.
  const padBefore = await page.locator('.pad').boundingBox()
  await tapPin('1111')
  await page.getByTestId('pin-error').filter({ hasText: '密码不正确' }).waitFor()
  const padAfter = await page.locator('.pad').boundingBox()
  assert.deepEqual(padAfter, padBefore, 'the PIN pad moved when the error appeared')
  await shot('pin-error')
  await tapPin('246810')
  await page.getByTestId('pair-panel').waitFor()
  assert.equal(await chip('paired').getAttribute('data-state'), 'bad')
  assert.equal(await chip('reader').getAttribute('data-state'), 'off')

  // Ports: the simulators, applied at once; then a test read of each.
  await page.locator('[data-reader="sim"]').click()
  await page.locator('[data-scanner="sim"]').click()
  await page.getByTestId('ports-save').click()
  await page.getByTestId('ports-message').filter({ hasText: '已生效' }).waitFor({ timeout: 20000 })
  await page.getByTestId('test-reader').click()
  await page.getByTestId('reader-result').filter({ hasText: '读到：居民身份证' }).waitFor({ timeout: 30000 })
  await page.getByTestId('test-scanner').click()
  await page.getByTestId('scanner-result').filter({ hasText: 'LIAISON-TEST-' }).waitFor({ timeout: 30000 })
  await page.getByTestId('ports-panel').screenshot({ path: join(shots, 'tech-ports.png') })

  // Pairing: the hub's address and a code from the hub, both typed on the pads.
  const code = pairingCode(stack.hubCommand('device', 'add', '--station', 'HX01', '--role', 'kiosk', '--name', '一楼大厅'))
  await typeOn('hub-pad', stack.hubURL)
  assert.equal((await page.getByTestId('pair-hub').innerText()).trim(), stack.hubURL)
  await typeOn('code-pad', code)
  await page.getByTestId('pair-panel').screenshot({ path: join(shots, 'tech-pair.png') })
  await page.getByTestId('pair-submit').click()
  await page.getByTestId('pair-message').filter({ hasText: '配对成功' }).waitFor({ timeout: 30000 })

  // Every part green: paired, syncing, both devices, the store.
  for (const key of ['paired', 'sync', 'reader', 'scanner', 'store']) {
    await waitFor(async () => (await chip(key).getAttribute('data-state')) === 'good', `${key} green`, 60000)
  }
  await page.locator('.diag').evaluate((el) => el.scrollTo(0, 0))
  await shot('green')
  await page.locator('[data-tab="diagnostics"]').click()
  await page.getByText('和谐街道人大代表联络站').first().waitFor()
  await shot('diagnostics')

  // The hub kept the name it gave with the code (the station sent none).
  const devices = stack.hubCommand('device', 'list')
  assert.match(devices, /一楼大厅/, 'the hub kept its name for the device:\n' + devices)

  // Back on the attract screen the station is known and online.
  await page.locator('[data-tab="setup"]').click()
  await page.getByRole('button', { name: '锁定' }).click()
  await page.getByText('和谐街道人大代表联络站').first().waitFor({ timeout: 20000 })
  await page.getByText('已连接').first().waitFor({ timeout: 30000 })
  await shot('attract-paired')
})
