import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import UsersView from '../views/UsersView.vue'
import { adminUser, consolePage, fakeHub, json } from './helpers'

const nodes = [
  { code: 'SFQ', name: '示范区', level: 'district' },
  { code: 'HX', name: '和谐街道', level: 'street', parent: 'SFQ' },
]

function field<T extends HTMLElement>(id: string): T {
  const el = document.body.querySelector(`[data-testid="${id}"]`)
  if (!el) throw new Error(`no ${id}`)
  return el as T
}

async function choose(id: string, value: string) {
  const el = field<HTMLSelectElement | HTMLInputElement>(id)
  el.value = value
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input'))
  await flushPromises()
}

describe('accounts', () => {
  const page = consolePage(adminUser)

  it('places a staff account or a wall screen account in an area, and no other role', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/users', () => json({ users: [] }))
    hub.on('GET', '/api/v1/ref', () => json({ nodes, stations: [], departments: [{ code: 'Q-ZJ', name: '区住建局' }], categories: [], representatives: [] }))
    hub.on('POST', '/api/v1/users', (c) => json({ user: { ...adminUser, ...(c.body as object), unit: '示范区人大常委会' } }))
    const w = await page.open(UsersView, '/users')
    const add = async (fill: () => Promise<void>) => {
      await w.get('[data-testid="user-add"]').trigger('click')
      await flushPromises()
      await choose('user-login', 'someone')
      await choose('user-password', 'long-enough-pass-2026')
      await fill()
      document.body.querySelector('form#user-add-form')?.dispatchEvent(new Event('submit'))
      await flushPromises()
    }

    await add(async () => {
      await choose('user-role', 'display')
      expect(field('user-display-hint').textContent).toContain('大屏')
      await choose('user-node', 'SFQ')
    })
    await add(async () => {
      await choose('user-role', 'staff')
      await choose('user-node', 'HX')
    })
    await add(async () => {
      await choose('user-role', 'department')
      expect(document.body.querySelector('[data-testid="user-node"]')).toBeNull()
      await choose('user-dept', 'Q-ZJ')
    })
    const sent = hub.callsTo('/api/v1/users').filter((c) => c.method === 'POST').map((c) => c.body as Record<string, string>)
    expect(sent.map((b) => [b.role, b.node])).toEqual([
      ['display', 'SFQ'],
      ['staff', 'HX'],
      ['department', undefined],
    ])
  })
})
