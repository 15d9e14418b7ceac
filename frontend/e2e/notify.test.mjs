// Notifications, end to end on a hub without stations: an admin adds a WeCom group robot in
// 设置 → 通知 pointing at a fake robot, the page never shows the robot's token, and 发送测试消息
// reaches the robot as a markdown message at once.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startFakeRobot, startStack, waitFor } from './harness.mjs'

const ADMIN = { login: 'admin', password: 'admin-pass-2026' }
const TOKEN = 'wecom-robot-key-0123456789'

let stack
let robot

before(async () => {
  stack = await startStack({ station: false })
  robot = await startFakeRobot()
  stack.hubCommandInput(ADMIN.password + '\n', 'user', 'add', ADMIN.login, '--role', 'admin', '--name', '管理员', '--password-stdin')
})

after(async () => {
  if (robot) await robot.close()
  if (stack) await stack.stop()
})

test('an admin adds a WeCom robot and its test message arrives', async () => {
  const page = await (await stack.browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage()
  page.on('pageerror', (e) => console.error('console page error:', e.message))
  await page.goto(stack.hubURL + '/console/#/setup/notify')
  await page.getByTestId('login-name').fill(ADMIN.login)
  await page.getByTestId('login-password').fill(ADMIN.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('setup-notify').waitFor({ timeout: 20000 })

  await page.getByTestId('notify-add').click()
  await page.getByTestId('notify-name').fill('工委企业微信群')
  await page.getByTestId('notify-kind').selectOption('wecom')
  await page.getByTestId('notify-url').fill(robot.url(TOKEN, 'key'))
  await page.getByTestId('notify-notice-deadline').check()
  await page.getByTestId('notify-submit').click()
  const row = page.getByTestId('notify-channel')
  await row.waitFor({ timeout: 10000 })
  const shown = await row.innerText()
  assert.match(shown, /企业微信群机器人/)
  assert.match(shown, /新诉求、即将到期/)
  assert.ok(!shown.includes(TOKEN), 'the robot token is not shown')
  assert.match(shown, /key=…6789/)

  await page.getByTestId('notify-test').click()
  await waitFor(async () => robot.messages.length === 1, 'the test message at the robot', 15000)
  const m = robot.messages[0]
  assert.equal(m.query.key, TOKEN)
  assert.equal(m.body.msgtype, 'markdown')
  assert.match(robot.text(m), /测试消息/)
  assert.match(robot.text(m), /工委企业微信群/)
  await page.screenshot({ path: join(shots, 'console-notify.png') })
})
