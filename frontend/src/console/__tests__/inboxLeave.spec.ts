import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { adminUser, consolePage, fakeHub, json, list, row, RoutedPage } from './helpers'

afterEach(() => {
  vi.unstubAllGlobals()
})
const page = consolePage(adminUser)

describe('leaving the inbox', () => {
  it('is not undone by the inbox writing its view into the address as its list arrives', async () => {
    const hub = fakeHub()
    let answer: (r: Response) => void = () => undefined
    const waiting = new Promise<Response>((resolve) => (answer = resolve))
    hub.on('GET', '/api/v1/cases', () => () => waiting)
    hub.on('GET', '/api/v1/ref', () => json({}))
    await page.open(RoutedPage, '/cases')
    expect(page.router.currentRoute.value.name).toBe('inbox')

    // The user opens 设置 while the inbox's first list is still on its way; it arrives
    // before the settings page has loaded.
    const leaving = page.router.push('/setup/stations')
    answer(json(list([row('0001')], { all: 1, to_accept: 1 })))
    await flushPromises()
    await leaving
    await flushPromises()
    expect(page.router.currentRoute.value.path).toBe('/setup/stations')
  })
})
