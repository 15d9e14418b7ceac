import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { queryString } from '../api'
import { emptyFilters, firstBusyTab, listQuery, parseRouteQuery, REFRESH_DEBOUNCE_MS, toRouteQuery, useInboxStore } from '../stores/inbox'
import { parseCaseEvent } from '../stores/live'
import { shortcutKey } from '../composables/useShortcuts'
import { fakeHub, json, list, row } from './helpers'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.useRealTimers())

describe('the desk query', () => {
  it('sends only the filters that say something', () => {
    const f = { ...emptyFilters(), dept: 'd1', overdue: true, q: '  路灯 ' }
    expect(queryString(listQuery(f, 'to_assign', 1, 50))).toBe(`?tab=to_assign&dept=d1&overdue=1&q=${encodeURIComponent('路灯')}`)
    expect(queryString(listQuery(emptyFilters(), 'all', 3, 100))).toBe('?page=3&per_page=100')
  })

  it('round-trips the view through the address', () => {
    const f = { ...emptyFilters(), state: 'assigned', community: '东风社区', rep: 'r7' }
    const q = toRouteQuery(f, 'overdue', 2, 20)
    expect(q).toEqual({ tab: 'overdue', state: 'assigned', community: '东风社区', rep: 'r7', page: '2', per_page: '20' })
    expect(parseRouteQuery(q)).toEqual({ filters: f, tab: 'overdue', page: 2, perPage: 20 })
    // "all" picked by hand stays in the address; a missing tab means "open on what needs doing"
    expect(toRouteQuery(emptyFilters(), 'all', 1, 50)).toEqual({ tab: 'all' })
    expect(parseRouteQuery({}).tab).toBeNull()
    expect(parseRouteQuery({ tab: 'bogus', page: '-1', per_page: '7' })).toMatchObject({ tab: null, page: 1, perPage: 50 })
  })

  it('picks the most urgent tab that has work', () => {
    expect(firstBusyTab({ to_accept: 4, due_today: 2, overdue: 0, all: 9 })).toBe('due_today')
    expect(firstBusyTab({ to_accept: 1, overdue: 3 })).toBe('overdue')
    expect(firstBusyTab({ all: 12 })).toBe('all')
  })
})

describe('inbox store', () => {
  it('opens on what needs doing now, with the counts of every tab', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/cases', (c) =>
      json(list(c.url.searchParams.get('tab') === 'to_accept' ? [row('0002')] : [row('0001'), row('0002')], { all: 2, to_accept: 1, overdue: 0 })),
    )
    const inbox = useInboxStore()
    await inbox.open({})

    expect(hub.calls.map((c) => c.url.search)).toEqual(['', '?tab=to_accept'])
    expect(inbox.tab).toBe('to_accept')
    expect(inbox.rows.map((r) => r.id)).toEqual(['0002'])
    expect(inbox.counts).toEqual({ all: 2, to_accept: 1, overdue: 0 })
    expect(inbox.routeQuery).toEqual({ tab: 'to_accept' })
  })

  it('names no tab in the address while nothing is waiting', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/cases', () => json(list([row('0001')], { all: 1 })))
    const inbox = useInboxStore()
    await inbox.open({ community: '东风社区' })
    expect(hub.calls).toHaveLength(1)
    expect(inbox.tab).toBe('all')
    expect(inbox.routeQuery).toEqual({ community: '东风社区' })
    await inbox.setTab('all') // chosen by hand: now it is part of the view
    expect(inbox.routeQuery).toEqual({ tab: 'all', community: '东风社区' })
  })

  it('keeps the tab an address names', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/cases', () => json(list([], { to_accept: 5 })))
    const inbox = useInboxStore()
    await inbox.open({ tab: 'all', category: 'road' })
    expect(hub.calls.map((c) => c.url.search)).toEqual(['?category=road'])
    expect(inbox.tab).toBe('all')
  })

  it('reloads from page 1 when a filter or tab changes', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/cases', () => json(list([row('0001')], {}, 120)))
    const inbox = useInboxStore()
    await inbox.open({ tab: 'all', page: '2' })
    expect(inbox.totalPages).toBe(3)

    inbox.filters.dept = 'd1'
    inbox.filters.overdue = true
    await inbox.applyFilters()
    await inbox.setTab('returned')
    await inbox.setPage(3)

    expect(hub.calls.map((c) => Object.fromEntries(c.url.searchParams))).toEqual([
      { page: '2' },
      { dept: 'd1', overdue: '1' },
      { tab: 'returned', dept: 'd1', overdue: '1' },
      { tab: 'returned', dept: 'd1', overdue: '1', page: '3' },
    ])
    expect(inbox.exportQuery).toMatchObject({ tab: 'returned', dept: 'd1', overdue: true })
  })

  it('refreshes once per burst of live changes and marks what changed', async () => {
    const hub = fakeHub()
    let rows = [row('0001'), row('0002')]
    hub.on('GET', '/api/v1/cases', () => json(list(rows, { all: rows.length })))
    const inbox = useInboxStore()
    inbox.active = true
    await inbox.open({ tab: 'all' })
    expect(hub.calls).toHaveLength(1)

    vi.useFakeTimers()
    rows = [row('0003'), row('0001', { state: 'accepted', version: 2 }), row('0002')]
    inbox.caseChanged({ id: '0001' })
    await vi.advanceTimersByTimeAsync(200)
    inbox.caseChanged({ id: '0003' })
    await vi.advanceTimersByTimeAsync(200)
    inbox.caseChanged(null) // a reconnect: look again
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS - 1)
    expect(hub.calls).toHaveLength(1) // still inside the burst

    await vi.advanceTimersByTimeAsync(1)
    await vi.waitFor(() => expect(inbox.rows).toHaveLength(3))
    expect(hub.calls).toHaveLength(2)
    expect(hub.calls[1]?.url.search).toBe('') // the same page and filters: tab all, page 1
    expect(inbox.counts).toEqual({ all: 3 })
    expect([...inbox.fresh].sort()).toEqual(['0001', '0003'])
    expect(inbox.loading).toBe(false) // a live refresh does not blank the table

    inbox.clearFresh()
    expect(inbox.fresh).toEqual([])
  })

  it('leaves live changes to the next open while the inbox is off screen', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/cases', () => json(list([row('0001')])))
    const inbox = useInboxStore()
    await inbox.open({ tab: 'all' })
    vi.useFakeTimers()
    inbox.caseChanged({ id: '0001' })
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS * 2)
    expect(hub.calls).toHaveLength(1)
    expect(inbox.fresh).toEqual([])
  })

  it('keeps checked rows that are still on the page and moves the cursor within it', async () => {
    const hub = fakeHub()
    let rows = [row('0001'), row('0002'), row('0003')]
    hub.on('GET', '/api/v1/cases', () => json(list(rows)))
    const inbox = useInboxStore()
    await inbox.open({ tab: 'all' })
    inbox.toggle('0001')
    inbox.toggle('0003')
    inbox.moveCursor(5)
    expect(inbox.cursor).toBe(2)
    inbox.moveCursor(-1)
    expect(inbox.current?.id).toBe('0002')

    rows = [row('0002'), row('0003')]
    await inbox.load()
    expect(inbox.selected).toEqual(['0003'])
    inbox.toggleAll()
    expect(inbox.selected).toEqual(['0002', '0003'])
    inbox.toggleAll()
    expect(inbox.selected).toEqual([])
  })

  it('ignores an answer a newer request replaced', async () => {
    const hub = fakeHub()
    let release: (r: Response) => void = () => undefined
    hub.on('GET', '/api/v1/cases', (c) =>
      c.url.searchParams.get('tab') === 'overdue'
        ? () => new Promise<Response>((resolve) => (release = resolve))
        : json(list([row('0009')])),
    )
    const inbox = useInboxStore()
    const slow = inbox.setTab('overdue')
    await inbox.setTab('returned')
    release(json(list([row('0001')])))
    await slow
    expect(inbox.tab).toBe('returned')
    expect(inbox.rows.map((r) => r.id)).toEqual(['0009'])
  })
})

describe('live events', () => {
  it('reads the case events of the stream and drops anything else', () => {
    expect(parseCaseEvent('{"id":"c1","number":"JD-1","state":"assigned","version":3}')).toEqual({
      id: 'c1',
      number: 'JD-1',
      state: 'assigned',
      version: 3,
    })
    expect(parseCaseEvent('not json')).toBeNull()
    expect(parseCaseEvent('{"number":"JD-1"}')).toBeNull()
  })
})

describe('desk shortcuts', () => {
  it('leave keys to whatever the user is typing in or has focused', () => {
    const key = (k: string, target: HTMLElement, init: KeyboardEventInit = {}) => {
      document.body.appendChild(target)
      let got: string | null = 'unset'
      target.addEventListener('keydown', (e) => (got = shortcutKey(e)), { once: true })
      target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, ...init }))
      target.remove()
      return got
    }
    expect(key('j', document.createElement('div'))).toBe('j')
    expect(key('j', document.createElement('input'))).toBeNull()
    expect(key('/', document.createElement('textarea'))).toBeNull()
    const box = document.createElement('input')
    box.type = 'checkbox'
    expect(key('k', box)).toBe('k')
    expect(key('Enter', document.createElement('button'))).toBeNull()
    expect(key('Enter', document.createElement('div'))).toBe('Enter')
    expect(key('a', document.createElement('div'), { ctrlKey: true })).toBeNull()
    const dialog = document.createElement('div')
    dialog.setAttribute('aria-modal', 'true')
    document.body.appendChild(dialog)
    expect(key('s', document.createElement('div'))).toBeNull()
    dialog.remove()
  })
})
