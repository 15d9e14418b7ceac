// End-to-end harness: a real hub (release build) with demo data, a development build of the
// station bound to the real Go backend, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createServer } from 'node:net'
import { chromium } from 'playwright-core'

const root = resolve(import.meta.dirname, '..', '..')
const bin = join(root, 'build', 'bin')

/** shots is where the tests' screenshots go. */
export const shots = join(root, 'build', 'e2e')
mkdirSync(shots, { recursive: true })

export async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => res(port))
    })
  })
}

export async function waitFor(check, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs
  let lastErr
  while (Date.now() < deadline) {
    try {
      const v = await check()
      if (v) return v
    } catch (e) {
      lastErr = e
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? ': ' + lastErr.message : ''}`)
}

// Starts Xvfb (the development build still opens its window), a hub and one station. The
// station's zone is named (tz), as every installed station's is.
// paired: false starts a freshly installed station (no hub, no pairing, no devices), as a
// technician finds it; stationArgs are added to the station's command line.
//
// The development build's own window (a WebView on the Xvfb display) shows the same Go
// backend as the browser pages: it sits on the attract screen, follows session:changed and
// runs its own idle countdown. A session in use in a browser page stays open because the page
// reports activity to Go, which tells every window (session:active).
// seed: false starts the hub empty, as a street installs it; station: false starts no station
// until the test calls startStation (e.g. with a pairing code the console gave it).
export async function startStack({ role = 'kiosk', tz = 'Asia/Shanghai', paired = true, seed = true, station = true,
  stationArgs: extra = [] } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'liaison-e2e-'))
  const procs = []
  const logs = {}
  const run = (name, cmd, args, env = {}) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    logs[name] = ''
    p.stdout.on('data', (d) => (logs[name] += d))
    p.stderr.on('data', (d) => (logs[name] += d))
    procs.push(p)
    return p
  }
  const display = ':' + (200 + Math.floor(Math.random() * 300))
  run('xvfb', 'Xvfb', [display, '-screen', '0', '1920x1920x24', '-nolisten', 'tcp'])

  const hubPort = await freePort()
  const hubURL = `http://127.0.0.1:${hubPort}`
  const hubArgs = ['--data', join(work, 'hub'), '--listen', `127.0.0.1:${hubPort}`, '--public-url', hubURL]
  let hub = run('hub', join(bin, 'liaison-hub'), seed ? [...hubArgs, '--seed-demo'] : hubArgs)
  await waitFor(async () => (await fetch(hubURL + '/healthz')).ok, 'hub /healthz')
  // The hub can be stopped and started again to see the station work offline and catch up.
  const stopHub = async () => {
    const exited = new Promise((r) => hub.once('exit', r))
    hub.kill('SIGTERM')
    await exited
  }
  const startHub = async () => {
    hub = run('hub', join(bin, 'liaison-hub'), hubArgs)
    await waitFor(async () => (await fetch(hubURL + '/healthz')).ok, 'hub /healthz after restart')
  }
  const appURL = { value: '' }
  // startStation starts the station and returns its address. pairCode pairs it with the hub at
  // start (a code from the console or `liaison-hub device add`); without one, paired stacks pair
  // through the CLI. as starts a second station in another role (a wall beside the kiosk) with
  // its own data: the stack's appURL stays the first station's.
  const startStation = async ({ pairCode = '', args = [], as = role } = {}) => {
    const devPort = await freePort()
    const stationArgs = ['--data', join(work, as), '--role', as, '--tz', tz]
    let code = pairCode
    if (!code && paired) {
      code = pairingCode(execFileSync(join(bin, 'liaison-hub'), ['device', 'add', '--data', join(work, 'hub'),
        '--station', 'HX01', '--role', as], { encoding: 'utf8' }))
    }
    if (code) {
      stationArgs.push('--hub', hubURL, '--pair', code)
      if (as === 'kiosk') stationArgs.push('--reader', 'sim', '--scanner', 'sim', '--demo')
    }
    stationArgs.push(...args)
    run(as === role ? 'station' : as, join(bin, 'liaison-station-dev'), stationArgs, {
      DISPLAY: display,
      assetdir: join(root, 'frontend', 'dist'),
      devserver: `127.0.0.1:${devPort}`,
    })
    const url = `http://127.0.0.1:${devPort}`
    if (as === role) appURL.value = url
    await waitFor(async () => (await fetch(url + '/')).ok, 'station dev server', 60000)
    return url
  }
  if (station) await startStation({ args: extra })

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  const stop = async () => {
    await browser.close().catch(() => {})
    for (const p of procs.reverse()) p.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 300))
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL')
    rmSync(work, { recursive: true, force: true })
  }
  // hubCommand runs a liaison-hub command on this stack's hub data and returns what it printed.
  const hubCommand = (...args) =>
    execFileSync(join(bin, 'liaison-hub'), [...args, '--data', join(work, 'hub')], { encoding: 'utf8' })
  // hubCommandInput runs a liaison-hub command with input on its standard input (passwords).
  const hubCommandInput = (input, ...args) =>
    execFileSync(join(bin, 'liaison-hub'), [...args, '--data', join(work, 'hub')], { encoding: 'utf8', input })
  // openPage opens the station's page at path (e.g. '/#/kiosk') in a fresh browser context;
  // base names another station's address (one startStation returned).
  const openPage = async (path, viewport, base = appURL.value) => {
    const page = await (await browser.newContext({ viewport })).newPage()
    page.on('pageerror', (e) => console.error('page error:', e.message))
    await page.goto(base + path)
    return page
  }
  // caseAct records a case action at the hub as an admin account made for the tests (once).
  let actor = ''
  const caseAct = (number, ...args) => {
    if (!actor) {
      hubCommandInput('e2e-admin-password\n', 'user', 'add', 'e2e-admin', '--role', 'admin', '--name', '测试管理员',
        '--password-stdin')
      actor = 'e2e-admin'
    }
    return hubCommand('case', 'act', number, ...args, '--user', actor)
  }
  // staffToken returns a personal API token of a staff account made for the tests (once).
  let token = ''
  const staffToken = () => {
    if (!token) {
      execFileSync(join(bin, 'liaison-hub'), ['user', 'add', 'e2e-staff', '--role', 'staff', '--name', '测试员',
        '--password-stdin', '--data', join(work, 'hub')], { input: 'e2e-staff-password\n', encoding: 'utf8' })
      token = hubCommand('token', 'create', '--user', 'e2e-staff').trim()
    }
    return token
  }
  return { work, hubURL, get appURL() { return appURL.value }, browser, logs, stop, stopHub, startHub, startStation,
    hubCommand, hubCommandInput, caseAct, openPage, staffToken }
}

/** startKiosk starts a stack with a kiosk station (startStack's options) and opens its kiosk
 * screen, portrait 1080×1920, as a kiosk shows it. */
export async function startKiosk(options = {}) {
  const stack = await startStack({ role: 'kiosk', ...options })
  try {
    return { stack, page: await stack.openPage('/#/kiosk', { width: 1080, height: 1920 }) }
  } catch (err) {
    await stack.stop()
    throw err
  }
}

/** pairingCode finds the code in what `liaison-hub device add` printed. */
export function pairingCode(out) {
  const code = /^pairing code:\s*(\S+)/m.exec(out)?.[1]
  if (!code) throw new Error('no pairing code in: ' + out)
  return code
}

// startFakeRobot serves a fake group robot, DingTalk's and WeCom's webhook alike: every POST is
// kept (its query and JSON body) and answered {"errcode":0,"errmsg":"ok"} as both robots do.
// url(token, param) is the webhook address (DingTalk's access_token, WeCom's key) to configure a channel with; text(m) is a message's
// markdown whichever robot format it came in.
export async function startFakeRobot() {
  const { createServer: createHTTP } = await import('node:http')
  const messages = []
  const server = createHTTP((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const u = new URL(req.url, 'http://robot')
      let json = null
      try {
        json = JSON.parse(body)
      } catch {
        // kept as null: a test asserts on what it expects
      }
      messages.push({ method: req.method, path: u.pathname, query: Object.fromEntries(u.searchParams), body: json })
      res.setHeader('Content-Type', 'application/json')
      res.end('{"errcode":0,"errmsg":"ok"}')
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address()
  return {
    messages,
    url: (token = 'e2e-robot-token-0001', param = 'access_token') => `http://127.0.0.1:${port}/robot/send?${param}=${token}`,
    text: (m) => m.body?.markdown?.content ?? m.body?.markdown?.text ?? '',
    close: () => new Promise((r) => server.close(r)),
  }
}

// submitAtKiosk registers with the reader's sample card and submits a case from one of the
// category's templates at the first (or the named) community; it returns the case number.
export async function submitAtKiosk(kiosk, { category, template, community = null }) {
  await kiosk.getByRole('button', { name: '其他样例' }).click()
  await kiosk.getByRole('button', { name: '港澳台居民居住证' }).click()
  await kiosk.getByRole('button', { name: '同意', exact: true }).click({ timeout: 20000 })
  await kiosk.getByText('提交建议').first().click()
  await kiosk.getByText(category).first().click({ timeout: 20000 })
  await kiosk.getByText(template).first().click()
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.locator('.step button, .step [role="radio"]', community ? { hasText: community } : {}).first().click()
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.getByTestId('send').click()
  return (await kiosk.getByTestId('case-number').innerText({ timeout: 20000 })).trim()
}

// actOnCase opens an action's dialog on the console's case page, lets fill complete it and
// sends it, waiting until the dialog has closed.
export async function actOnCase(page, action, fill = async () => {}) {
  await page.getByTestId(`action-${action}`).click()
  await page.getByTestId(`action-dialog-${action}`).waitFor()
  await fill()
  await page.getByTestId('action-submit').click()
  await page.getByTestId(`action-dialog-${action}`).waitFor({ state: 'detached', timeout: 15000 })
}

// submitTypedAtKiosk registers with the reader's sample card and submits a case of category
// typed on the pinyin keyboard (syllables: [spelling, character] pairs) at the first
// community; it returns the case number.
export async function submitTypedAtKiosk(kiosk, category, syllables) {
  await kiosk.getByRole('button', { name: '其他样例' }).click()
  await kiosk.getByRole('button', { name: '港澳台居民居住证' }).click()
  await kiosk.getByRole('button', { name: '同意', exact: true }).click({ timeout: 20000 })
  await kiosk.getByText('提交建议').first().click()
  await kiosk.getByText(category).first().click()
  const own = kiosk.getByText('自己填写')
  if (await own.isVisible().catch(() => false)) await own.click()
  for (const [spelling, char] of syllables) {
    for (const letter of spelling) await kiosk.click(`.kiosk-keys [data-skbtn="${letter}"]`)
    await kiosk.locator('[data-testid="candidate"]', { hasText: char }).first().click()
  }
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.locator('.step button, .step [role="radio"]').first().click()
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.getByRole('button', { name: '下一步' }).click()
  await kiosk.getByTestId('send').click()
  return (await kiosk.getByTestId('case-number').innerText({ timeout: 20000 })).trim()
}
