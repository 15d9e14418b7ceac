// The wall screen end to end: a dev build of the station in the wall role against a real hub
// with the demo street. The figures on screen must equal what the Go side computes
// (Wall.Board through the page's own bindings), no personal data may appear in the page, and
// when the hub stops the wall keeps its figures under an "offline" banner, which goes away
// when the hub is back.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { shots, startStack, waitFor } from './harness.mjs'

const root = join(import.meta.dirname, '..', '..')
const KEYS = ['year', 'month', 'today', 'open', 'overdue']
let stack
let page
const extra = [] // processes this test started itself

before(async () => {
  stack = await startStack({ role: 'wall' })
  page = await stack.openPage('/#/wall', { width: 1920, height: 1080 })
  await page.locator('[data-total="year"]').waitFor({ timeout: 60000 })
})

after(async () => {
  for (const p of extra) if (p.exitCode === null) p.kill('SIGKILL')
  if (stack) await stack.stop()
})

const board = () => page.evaluate(() => window.go.app.Wall.Board())

// What each rolling counter shows: every digit cell is a strip of 0…9 moved up by the digit,
// so the digit in view is the strip's offset over the cell's height.
async function shownTotals() {
  return page.evaluate((keys) => {
    const out = {}
    for (const k of keys) {
      const cells = document.querySelectorAll(`[data-total="${k}"] .rolling__cell`)
      let v = ''
      for (const cell of cells) {
        const strip = cell.firstElementChild
        const m = new DOMMatrix(getComputedStyle(strip).transform)
        v += String(Math.round(-m.m42 / cell.getBoundingClientRect().height) % 10)
      }
      out[k] = Number(v)
    }
    return out
  }, KEYS)
}

// the hub process the harness started: the one whose command line names this stack's data
function hubPid() {
  const want = join(stack.work, 'hub')
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0')
      if (args[0].endsWith('liaison-hub') && args.includes(want) && args.includes('--listen')) return { pid: Number(d), args }
    } catch {
      // the process ended meanwhile
    }
  }
  return null
}

test('the headline figures on screen equal the store figures', async () => {
  const b = await board()
  assert.ok(b.totals.year > 0, 'the demo street has cases this year')
  // counters roll up to their value: wait until the last one settled
  const shown = await waitFor(async () => {
    const s = await shownTotals()
    return KEYS.every((k) => s[k] === b.totals[k]) && s
  }, 'the rolling counters to settle', 20000).catch(async () => shownTotals())
  assert.deepEqual(shown, Object.fromEntries(KEYS.map((k) => [k, b.totals[k]])))
  assert.equal(b.trend.length, 30)
  // screening must not touch ordinary words: the demo's categories and communities show whole
  for (const c of b.categories) assert.doesNotMatch(c.name, /\*/, `category ${c.name}`)
  for (const it of b.ticker) assert.doesNotMatch(it.category + it.community, /\*/, `ticker ${it.category} ${it.community}`)
  assert.equal(b.funnel.submitted >= b.funnel.accepted && b.funnel.accepted >= b.funnel.closed, true)
  await page.screenshot({ path: join(shots, 'wall-1920x1080.png') })
})

test('no full name, ID number or phone number is in the page', async () => {
  const b = await board()
  const text = await page.evaluate(() => document.body.innerText)
  assert.doesNotMatch(text, /\d{17}[\dXx]/, 'an ID number')
  assert.doesNotMatch(text, /(?<!\d)1[3-9]\d{9}(?!\d)/, 'a mobile number')
  assert.doesNotMatch(text, /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/, 'a landline number')
  for (const item of b.ticker) {
    assert.match(item.surnameMask, /^(|\p{Script=Han}{1,2}\*|[A-Za-z]\*)$/u, `ticker surname ${item.surnameMask}`)
  }
  const json = JSON.stringify(b)
  assert.doesNotMatch(json, /\d{17}[\dXx]/, 'an ID number in the board')
  assert.doesNotMatch(json, /(?<!\d)1[3-9]\d{9}(?!\d)/, 'a mobile number in the board')
})

test('hot words appear once the dictionary is loaded, whole words only', async () => {
  // the station loads the segmenter's dictionary in the background after its first board
  const words = await waitFor(async () => {
    // words that do not fit whole are hidden, not cut: only visible ones count
    const ws = (await page.locator('.words__cloud li').allInnerTexts()).map((w) => w.trim()).filter(Boolean)
    return ws.length > 0 && ws
  }, 'hot words on the wall', 180000)
  for (const w of words) assert.match(w, /^\p{Script=Han}{2,}$/u, `hot word ${w}`)
  const b = await board()
  const fromGo = new Set(b.hotWords.map((w) => w.word))
  for (const w of words) assert.ok(fromGo.has(w), `${w} is one of Go's hot words`)
  assert.ok(words.length >= Math.min(8, b.hotWords.length), `${words.length} of ${b.hotWords.length} words fit`)
  // no word is cut by the panel's edges
  const cut = await page.evaluate(() => {
    const box = document.querySelector('.words')?.getBoundingClientRect()
    return [...document.querySelectorAll('.words__cloud li')]
      .filter((li) => getComputedStyle(li).visibility !== 'hidden')
      .map((li) => li.getBoundingClientRect())
      .filter((r) => !box || r.top < box.top - 1 || r.bottom > box.bottom + 1).length
  })
  assert.equal(cut, 0, 'visible hot words cut by the panel edge')
  await page.screenshot({ path: join(shots, 'wall-1920x1080-hotwords.png') })
})

test('the wall scales to 3840x2160', async () => {
  await page.setViewportSize({ width: 3840, height: 2160 })
  await page.locator('[data-total="year"]').waitFor()
  await page.screenshot({ path: join(shots, 'wall-3840x2160.png') })
  const box = await page.locator('[data-test="wall"]').boundingBox()
  assert.ok(box && box.width > 3000, `the stage fills the screen (${box?.width})`)
  await page.setViewportSize({ width: 1920, height: 1080 })
})

test('offline banner while the hub is away, last figures kept, banner gone when it is back', async () => {
  // the counters roll after a resize or a refetch: start from settled figures
  const before = await waitFor(async () => {
    const [s, b] = [await shownTotals(), await board()]
    return KEYS.every((k) => s[k] === b.totals[k]) && s
  }, 'settled counters', 20000)
  const hub = hubPid()
  assert.ok(hub, 'found the hub process')
  process.kill(hub.pid, 'SIGTERM')
  const banner = page.locator('[data-test="offline-banner"]')
  await banner.waitFor({ state: 'visible', timeout: 60000 })
  assert.match(await banner.innerText(), /数据截至 \d{2}:\d{2} · 离线|离线/)
  await page.screenshot({ path: join(shots, 'wall-offline.png') })
  assert.deepEqual(await shownTotals(), before, 'the board keeps its last data')

  const again = spawn(hub.args[0], hub.args.slice(1), { stdio: 'ignore' })
  extra.push(again)
  await banner.waitFor({ state: 'hidden', timeout: 90000 })
  assert.deepEqual(await shownTotals(), before, 'the same figures after the hub came back')
})
