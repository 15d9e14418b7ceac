import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import DutySwapsView from '../setup/DutySwapsView.vue'
import type { DutySwap } from '../api/types'
import { rolesOf, setupPages } from '../setup/pages'
import { consolePage, fakeHub, json, staffUser } from './helpers'

const ref = {
  stations: [{ code: 'HX01', name: '和谐联络站' }],
  departments: [],
  categories: [],
  representatives: [
    { id: 'HX01-R01', name: '张三', level: '区', stations: ['HX01'] },
    { id: 'HX01-R02', name: '李四', level: '区', stations: ['HX01'] },
    { id: 'HX01-R03', name: '王五', level: '区', stations: ['HX01'] },
    { id: 'HX02-R01', name: '赵六', level: '区', stations: ['HX02'] },
  ],
}

function swap(id: number, extra: Partial<DutySwap> = {}): DutySwap {
  return {
    id, rep_id: 'HX01-R01', rep_name: '张三', station: 'HX01', station_name: '和谐联络站', day: '2026-12-10',
    colleague: 'HX01-R02', colleague_name: '李四', reason: '外出开会', state: 'pending', replacement: '',
    replacement_name: '', note: '', created: '2026-12-05T02:00:00Z', decided: null, decided_by: '', ...extra,
  }
}

afterEach(() => vi.unstubAllGlobals())
const page = consolePage(staffUser)
const open = () => page.open(DutySwapsView, '/setup/duty-swaps')

function hubWith(swaps: DutySwap[]) {
  const hub = fakeHub()
  hub.on('GET', '/api/v1/duty/swaps', () => json({ swaps }))
  hub.on('GET', '/api/v1/ref', () => json(ref))
  hub.on('POST', /^\/api\/v1\/duty\/swaps\/\d+\/(approve|reject)$/, (c) => {
    const id = Number(c.url.pathname.split('/')[5])
    const approve = c.url.pathname.endsWith('/approve')
    const body = c.body as { replacement: string | null; note: string }
    const replacement = approve ? (body.replacement ?? 'HX01-R02') : ''
    return json(swap(id, {
      state: approve ? 'approved' : 'rejected', replacement, replacement_name: replacement ? '某代表' : '',
      note: body.note, decided: '2026-12-05T03:00:00Z', decided_by: '王主任（街道人大工委）',
    }))
  })
  return hub
}

describe('duty swaps page', () => {
  it('is a setup page staff may open', () => {
    const p = setupPages.find((x) => x.path === 'duty-swaps')
    expect(p && rolesOf(p)).toEqual(['admin', 'staff'])
  })

  it('approves with the named colleague unless staff pick another or nobody', async () => {
    const hub = hubWith([swap(3), swap(2, { colleague: '', colleague_name: '' }), swap(1, { state: 'rejected', decided: '2026-12-04T02:00:00Z' })])
    const w = await open()
    expect(w.findAll('[data-testid="swap-row"]').map((r) => r.attributes('data-id'))).toEqual(['3', '2'])
    const first = w.get('[data-id="3"]')
    // the colleague named first, then nobody, then the station's other representatives
    expect(first.findAll('option').map((o) => o.text())).toEqual(['李四（代表指定）', '不安排接替', '李四', '王五'])

    await first.get('[data-testid="swap-note"]').setValue('同意')
    await first.get('[data-testid="swap-approve"]').trigger('click')
    await flushPromises()
    const posts = hub.calls.filter((c) => c.method === 'POST')
    expect(posts[0]?.url.pathname).toBe('/api/v1/duty/swaps/3/approve')
    expect(posts[0]?.body).toEqual({ replacement: null, note: '同意' })
    expect(w.get('[data-testid="swap-notice"]').text()).toContain('已同意 张三 2026-12-10 的调班')
    expect(w.findAll('[data-testid="swap-row"]').map((r) => r.attributes('data-id'))).toEqual(['2'])

    await w.get('[data-id="2"] [data-testid="swap-replacement"]').setValue('HX01-R03')
    await w.get('[data-id="2"] [data-testid="swap-approve"]').trigger('click')
    await flushPromises()
    expect(hub.calls.filter((c) => c.method === 'POST')[1]?.body).toEqual({ replacement: 'HX01-R03', note: '' })
  })

  it('takes the requester off without a replacement, and rejects', async () => {
    const hub = hubWith([swap(3), swap(2)])
    const w = await open()
    await w.get('[data-id="3"] [data-testid="swap-replacement"]').setValue('-')
    await w.get('[data-id="3"] [data-testid="swap-approve"]').trigger('click')
    await flushPromises()
    expect(hub.calls.filter((c) => c.method === 'POST')[0]?.body).toEqual({ replacement: '', note: '' })

    await w.get('[data-id="2"] [data-testid="swap-reject"]').trigger('click')
    await flushPromises()
    expect(hub.calls.filter((c) => c.method === 'POST')[1]?.url.pathname).toBe('/api/v1/duty/swaps/2/reject')
    await w.get('[data-testid="swap-show-decided"]').setValue(true)
    expect(w.get('[data-id="2"] [data-testid="swap-state"]').text()).toBe('未同意')
  })

  it('says why the hub refused a decision and keeps the request open', async () => {
    const hub = hubWith([swap(9)])
    hub.on('POST', '/api/v1/duty/swaps/9/approve', () => json({ code: 'duty_swap_stale', message: 'x' }, 409))
    const w = await open()
    await w.get('[data-id="9"] [data-testid="swap-approve"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="swap-problem"]').text()).toContain('值班表已有变动')
    expect(w.find('[data-id="9"] [data-testid="swap-approve"]').exists()).toBe(true)
  })
})
