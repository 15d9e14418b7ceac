import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { queryString } from '../api'
import type { Board, Rates } from '../api/types'
import { fieldOptions, schemaOf } from '../setup/schema'
import { emptyFilters, listQuery, parseRouteQuery, toRouteQuery } from '../stores/inbox'
import { useRefStore } from '../stores/ref'
import BoardView from '../views/BoardView.vue'
import InboxFilters from '../components/InboxFilters.vue'
// the routes load their views lazily; loading it here keeps compile time out of the test
import '../views/InboxView.vue'
import { consolePage, fakeHub, json, staffUser } from './helpers'

const nodes = [
  { code: 'SFS', name: '示范市', level: 'city' },
  { code: 'SFQ', name: '示范区', level: 'district', parent: 'SFS' },
  { code: 'HX', name: '和谐街道', level: 'street', parent: 'SFQ' },
  { code: 'HP', name: '和平街道', level: 'street', parent: 'SFQ' },
]

function rates(submitted: number, open: number, overdue: number): Rates {
  return {
    submitted,
    accepted_on_time: submitted - open,
    awaiting_accept: 0,
    ended_unaccepted: 0,
    withdrawn: 0,
    merged: 0,
    closed: submitted - open,
    closed_unrated: 0,
    rated: submitted - open,
    satisfied: submitted - open,
    basically: 0,
    unsatisfied: 0,
    open,
    overdue,
    response_rate: 1,
    completion_rate: (submitted - open) / submitted,
    satisfaction_rate: 1,
  }
}

const district: Board = {
  area: { code: 'SFQ', name: '示范区', level: 'district', stations: 2, rates: rates(30, 6, 2), drill: true },
  path: [{ code: 'SFQ', name: '示范区' }],
  children: [
    { code: 'HX', name: '和谐街道', level: 'street', stations: 1, rates: rates(20, 4, 2), drill: true },
    { code: 'HP', name: '和平街道', level: 'street', stations: 1, rates: rates(10, 2, 0), drill: true },
  ],
  at: '2026-12-06T02:00:00Z',
}

const street: Board = {
  area: { code: 'HX', name: '和谐街道', level: 'street', stations: 1, rates: rates(20, 4, 2), drill: true },
  path: [
    { code: 'SFQ', name: '示范区' },
    { code: 'HX', name: '和谐街道' },
  ],
  children: [{ code: 'HX01', name: '和谐街道联络站', level: 'station', stations: 1, rates: rates(20, 4, 2), drill: false }],
  at: '2026-12-06T02:00:00Z',
}

const districtStaff = { ...staffUser, node: 'SFQ', node_name: '示范区' }
const page = consolePage(districtStaff)

afterEach(() => {
  document.body.innerHTML = ''
})

describe('区域总览', () => {
  it('shows the area, each area beneath with its own figures, and opens one level down', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/board', (c) => json(c.url.searchParams.get('node') === 'HX' ? street : district))
    const w = await page.open(BoardView, '/board')

    expect(w.get('[data-testid="board-title"]').text()).toContain('示范区')
    expect(w.get('[data-testid="tile-submitted"]').text()).toContain('30')
    expect(w.get('[data-testid="tile-overdue"]').classes()).toContain('tile--alarm')
    const rows = w.findAll('[data-testid="board-area"]')
    expect(rows.map((r) => r.attributes('data-code'))).toEqual(['HX', 'HP'])
    expect(rows.map((r) => r.get('[data-testid="area-submitted"]').text())).toEqual(['20', '10'])
    expect(w.get('[data-testid="board-time"]').text()).toContain('2026-12-06 10:00') // the station's zone

    await w.get('[data-testid="board-open-HX"]').trigger('click')
    await flushPromises()
    expect(page.router.currentRoute.value.fullPath).toBe('/board?node=HX')
    expect(w.get('[data-testid="board-title"]').text()).toContain('和谐街道')
    expect(w.get('[data-testid="board-path"]').text()).toContain('示范区')

    // a station opens its cases on the desk
    hub.on('GET', '/api/v1/cases', () => json({ cases: [], total: 0, page: 1, per_page: 50, counts: {} }))
    hub.on('GET', '/api/v1/ref', () => json({ nodes, stations: [], departments: [], categories: [], representatives: [] }))
    await w.get('[data-testid="board-open-HX01"]').trigger('click')
    await vi.waitFor(() => expect(page.router.currentRoute.value.name).toBe('inbox'))
    expect(page.router.currentRoute.value.name).toBe('inbox')
    expect(page.router.currentRoute.value.query).toEqual({ station: 'HX01', tab: 'all' })
  })

  it('says in Chinese why the board cannot be shown', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/board', () => json({ code: 'bad_node', message: '没有这个区域，或不在您的管辖范围内' }, 400))
    const w = await page.open(BoardView, '/board?node=ELSEWHERE')
    expect(w.get('[data-testid="board-error"]').text()).toBe('没有这个区域，或不在您的管辖范围内')
  })
})

describe('the desk by area', () => {
  it('sends the area and 上报件 and keeps them in the address', () => {
    const f = { ...emptyFilters(), node: 'HX', escalated: true }
    expect(queryString(listQuery(f, 'all', 1, 50))).toBe('?node=HX&escalated=1')
    const q = toRouteQuery(f, 'all', 1, 50)
    expect(parseRouteQuery(q).filters).toEqual(f)
  })

  it('offers the areas beneath the account, indented by depth, only when there is more than one', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/ref', () => json({ nodes, stations: [], departments: [], categories: [], representatives: [] }))
    hub.on('GET', '/api/v1/cases', () => json({ cases: [], total: 0, page: 1, per_page: 50, counts: {} }))
    const w = await page.open(InboxFilters, '/cases')
    await useRefStore().ensure()
    await flushPromises()
    const options = w.findAll('[data-testid="filter-node"] option').map((o) => o.element.textContent)
    expect(options).toEqual(['区域：不限', '示范市', '\u3000示范区', '\u3000\u3000和谐街道', '\u3000\u3000和平街道'])
    expect(w.find('[data-testid="filter-escalated"]').exists()).toBe(true)
  })
})

describe('区域 setup', () => {
  const refs = { org_node: nodes }

  it('lets a node hang only under a higher level, never under itself', () => {
    const parent = schemaOf('org_node').fields.find((f) => f.name === 'parent')
    if (!parent) throw new Error('no parent field')
    const street = fieldOptions(parent, { refs, item: { code: 'HX', level: 'street', parent: '' } }).map((o) => o.value)
    expect(street).toEqual(['SFS', 'SFQ'])
    const dist = fieldOptions(parent, { refs, item: { code: 'SFQ', level: 'district', parent: '' } }).map((o) => o.value)
    expect(dist).toEqual(['SFS'])
    expect(schemaOf('org_node').check?.({ code: 'HX', level: 'street', parent: 'HX' })).toEqual([{ field: 'parent', code: 'ref_org_parent' }])
  })

  it('places a station in a street, a department or a category at any level', () => {
    const node = (kind: 'station' | 'department' | 'category') => schemaOf(kind).fields.find((f) => f.name === 'node')
    const st = node('station')
    const dept = node('department')
    const cat = node('category')
    if (!st || !dept || !cat) throw new Error('no node field')
    expect(fieldOptions(st, { refs, item: { code: 'HX01' } }).map((o) => o.value)).toEqual(['HX', 'HP'])
    expect(fieldOptions(dept, { refs, item: { code: 'Q-ZJ' } }).map((o) => o.value)).toEqual(['SFS', 'SFQ', 'HX', 'HP'])
    expect(fieldOptions(cat, { refs, item: { code: 'road' } }).map((o) => o.value)).toEqual(['SFS', 'SFQ', 'HX', 'HP'])
  })
})
