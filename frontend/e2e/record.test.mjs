// The representatives' record (履职档案) end to end against a real hub: a representative claims
// a case and answers the resident from the phone, and their 履职 page (390×844) shows the
// claim and the reply with their points; an admin changes the rules in the console and the
// phone shows the past rescored; the console's ranking agrees, and the ranking workbook and
// the annual PDF (with the representative's Chinese name in it) download.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { shots, startStack, waitFor } from './harness.mjs'
import { pdfText } from './pdftext.mjs'

const ADMIN = { login: 'rec-admin', password: 'rec-admin-password-2026' }
const REP = { login: 'rec-rep', password: 'rec-rep-password-2026', id: 'HX01-R01' }

let stack

before(async () => {
  stack = await startStack({ station: false })
  stack.hubCommandInput(ADMIN.password + '\n', 'user', 'add', ADMIN.login, '--role', 'admin', '--name', '积分管理员', '--password-stdin')
  stack.hubCommandInput(REP.password + '\n', 'user', 'add', REP.login, '--role', 'representative', '--rep', REP.id, '--name', '张三',
    '--password-stdin')
})

after(async () => {
  if (stack) await stack.stop()
})

/** The month now running in the stations' zone, as the record names it: 2026-12. */
function stationMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date())
  return `${parts.find((p) => p.type === 'year').value}-${parts.find((p) => p.type === 'month').value}`
}

/** api calls the hub from the page, with its session cookie and CSRF token. */
async function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/me')).json()
      const res = await fetch('/api/v1' + path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.status, body: await res.json() }
    },
    { method, path, body },
  )
}

async function rowOf(page, act) {
  return (await page.locator(`[data-testid="record-act"][data-act="${act}"]`).innerText()).replace(/\s+/g, ' ')
}

test('a claim and a reply score on the phone, a rule change rescores them, the ranking and exports agree', async () => {
  const month = stationMonth()
  const phone = await (await stack.browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true })).newPage()
  phone.on('pageerror', (e) => console.error('page error:', e.message))
  await phone.goto(stack.hubURL + '/m/#/login')
  await phone.getByTestId('login-name').fill(REP.login)
  await phone.getByTestId('login-password').fill(REP.password)
  await phone.getByTestId('login-submit').click()
  await phone.getByTestId('nav-record').waitFor({ timeout: 20000 })

  // The representative claims a new case of their communities and answers the resident at once.
  const fresh = await api(phone, 'GET', '/rep/cases?view=new')
  assert.equal(fresh.status, 200)
  // the newest: the demo street's cases are of the past weeks, so the reply may well be late
  const kase = fresh.body.cases.toSorted((a, b) => b.submitted_at.localeCompare(a.submitted_at))[0]
  assert.ok(kase, 'the demo street has a new case in the representative’s communities')
  const onTime = Date.now() - Date.parse(kase.submitted_at) < 23 * 3600 * 1000
  const reply = onTime ? { act: 'reply_on_time', label: '按时首次答复', points: 4 } : { act: 'reply_late', label: '超时首次答复', points: 1 }
  assert.equal((await api(phone, 'POST', `/rep/cases/${kase.id}/claim`)).status, 200)
  assert.equal((await api(phone, 'POST', `/rep/cases/${kase.id}/notes`, { note: '您好，已收到，今天联系物业处理。', to_resident: true })).status, 200)

  // The admin prices claims at 7, on-time first replies at 4 and late ones at 1, without caps.
  const desk = await (await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true })).newPage()
  desk.on('pageerror', (e) => console.error('desk page error:', e.message))
  await desk.goto(stack.hubURL + '/console/#/login')
  await desk.getByTestId('login-name').fill(ADMIN.login)
  await desk.getByTestId('login-password').fill(ADMIN.password)
  await desk.getByTestId('login-submit').click()
  await desk.getByTestId('current-user').waitFor({ timeout: 20000 })
  const setRule = async (act, points, cap) => {
    // through the menu: the inbox the login opens on rewrites its address as it loads
    await desk.getByTestId('nav-record').click()
    await desk.getByTestId('record-rules-link').click()
    const row = desk.locator(`[data-testid="record-rules"] tr[data-act="${act}"]`)
    await row.getByTestId('rule-points').fill(String(points))
    await row.getByTestId('rule-cap').fill(String(cap))
  }
  await setRule('claim', 7, 0)
  for (const [act, points] of [['reply_on_time', 4], ['reply_late', 1]]) {
    await desk.locator(`[data-testid="record-rules"] tr[data-act="${act}"] [data-testid="rule-points"]`).fill(String(points))
    await desk.locator(`[data-testid="record-rules"] tr[data-act="${act}"] [data-testid="rule-cap"]`).fill('0')
  }
  await desk.getByTestId('rules-save').click()
  await desk.getByText('积分规则已保存').first().waitFor({ timeout: 10000 })
  await desk.getByTestId('rules-history').waitFor()

  // 履职 on the phone: this month's claims and first replies, ours among them, at the new prices.
  await phone.getByTestId('nav-record').click()
  await phone.getByTestId('record-points').waitFor({ timeout: 15000 })
  const mine = (await api(phone, 'GET', `/record/me?period=${month}`)).body
  const total = (act) => mine.record.totals.find((x) => x.act === act)
  const claims = total('claim').count
  const replies = total(reply.act).count
  assert.ok(claims >= 1 && replies >= 1, JSON.stringify(mine.record.totals))
  assert.equal((await phone.getByTestId('record-points').innerText()).trim(), String(mine.record.points))
  assert.match(await rowOf(phone, 'claim'), new RegExp(`领办事项 ${claims} 次 ${claims * 7} 分`))
  assert.match(await rowOf(phone, reply.act), new RegExp(`${reply.label} ${replies} 次 ${replies * reply.points} 分`))
  const newest = phone.getByTestId('record-entry').filter({ hasText: kase.number })
  assert.equal(await newest.count(), 2, 'the claim and the reply are listed with the case number')
  assert.match(await newest.first().innerText(), new RegExp(`${reply.label}[\\s\\S]*\\+${reply.points}`))
  await phone.screenshot({ path: join(shots, 'record-phone.png') })

  // The admin makes a claim worth 2: the phone shows the past rescored.
  await setRule('claim', 2, 0)
  await desk.getByTestId('rules-save').click()
  await desk.locator('[data-testid="rules-history"] li').nth(1).waitFor({ timeout: 10000 })
  await phone.reload()
  await phone.getByTestId('record-points').waitFor({ timeout: 15000 })
  assert.match(await rowOf(phone, 'claim'), new RegExp(`领办事项 ${claims} 次 ${claims * 2} 分`))
  assert.equal(Number(await phone.getByTestId('record-points').innerText()), mine.record.points - claims * 5)

  // The console's ranking of the month has the same points, and its workbook downloads.
  await desk.getByTestId('nav-record').click()
  await desk.getByTestId('period-kind').selectOption('month')
  await desk.getByTestId('period-part').selectOption(String(Number(month.slice(5))))
  await desk.waitForURL(new RegExp(`period=${month}`))
  const row = desk.getByTestId('record-row').filter({ hasText: mine.rep.name })
  const want = String(mine.record.points - claims * 5)
  await waitFor(async () => (await row.first().getByTestId('record-points').innerText({ timeout: 1000 }).catch(() => '')).trim() === want,
    `the month's ranking to show ${want} points for ${mine.rep.name}`, 15000)
  await desk.screenshot({ path: join(shots, 'record-ranking.png') })
  const [xlsx] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('record-xlsx').click()])
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/)
  const book = await xlsx.createReadStream()
  const chunks = []
  for await (const c of book) chunks.push(c)
  assert.equal(Buffer.concat(chunks).subarray(0, 2).toString(), 'PK')

  // The annual 履职档案 opens as a PDF that holds the representative's Chinese name.
  const res = await phone.request.get(stack.hubURL + `/api/v1/record/reps/${REP.id}/annual.pdf?year=${month.slice(0, 4)}`)
  assert.equal(res.status(), 200)
  assert.equal(res.headers()['content-type'], 'application/pdf')
  const pdf = await res.body()
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
  const text = pdfText(pdf)
  assert.ok(text.includes(mine.rep.name) && text.includes(`${month.slice(0, 4)}年度人大代表履职档案`), text.slice(0, 300))
})
