import { describe, expect, it } from 'vitest'
import { type VueWrapper } from '@vue/test-utils'
import RefKindView from '../setup/RefKindView.vue'
import '../setup/SetupLayout.vue'
import { api } from '../api'
import type { EditKind } from '../setup/schema'
import { adminUser, consolePage, fakeHub, json, RoutedPage } from './helpers'

const stations = [
  { code: 'HX01', name: '和谐街道人大代表联络站', address: '示范路1号', communities: ['幸福里社区'] },
  { code: 'HX02', name: '长青联络站', address: '长青路8号', communities: ['长青社区'], retired: true },
]
const reps = [
  { id: 'HX01-R01', name: '张三', gender: '男', level: '区', constituency: '第一选区', communities: [], title: '社区党委书记', stations: ['HX01'], photo_seed: 1 },
  { id: 'HX01-R02', name: '李四', gender: '女', level: '市', constituency: '第二选区', communities: [], title: '小学副校长', stations: ['HX01'], photo_seed: 2 },
  { id: 'HX01-R03', name: '王五', gender: '男', level: '区', constituency: '第三选区', communities: [], title: '医生', stations: ['HX01'], photo_seed: 3, retired: true },
]

const page = consolePage(adminUser)

async function mountKind(kind: EditKind, path: string) {
  const wrapper = await page.open(RoutedPage, path, { attach: false })
  expect(wrapper.findComponent(RefKindView).props('kind')).toBe(kind)
  return wrapper
}

const keys = (w: VueWrapper) => w.findAll('[data-testid="setup-row"]').map((r) => r.attributes('data-key'))

describe('reference list', () => {
  it('lists the items in use, with their stations named, and finds by any column', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/ref/representative', () => json({ items: reps }))
    hub.on('GET', '/api/v1/admin/ref/station', () => json({ items: stations }))
    hub.on('GET', '/api/v1/admin/ref/community', () => json({ items: [] }))
    const w = await mountKind('representative', '/setup/representatives')

    expect(keys(w)).toEqual(['HX01-R01', 'HX01-R02'])
    expect(w.get('[data-testid="setup-row"]').text()).toContain('和谐街道人大代表联络站')
    await w.get('[data-testid="setup-search"]').setValue('校长')
    expect(keys(w)).toEqual(['HX01-R02'])
    await w.get('[data-testid="setup-search"]').setValue('没有这个人')
    expect(w.get('[data-testid="setup-empty"]').text()).toBe('没有符合搜索的内容')
  })

  it('shows retired items greyed, after the others, only when asked', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/ref/station', () => json({ items: stations }))
    hub.on('GET', '/api/v1/admin/ref/community', () => json({ items: [] }))
    const w = await mountKind('station', '/setup/stations')

    expect(keys(w)).toEqual(['HX01'])
    expect(w.get('[data-testid="setup-show-retired"]').element.parentElement?.textContent).toContain('显示已停用（1）')
    await w.get('[data-testid="setup-show-retired"]').setValue(true)
    expect(keys(w)).toEqual(['HX01', 'HX02'])
    const retired = w.get('[data-key="HX02"]')
    expect(retired.classes()).toContain('kind__row--retired')
    expect(retired.text()).toContain('已停用')
  })

  it('says why the list could not be loaded', async () => {
    const hub = fakeHub()
    hub.on('GET', '/api/v1/admin/ref/department', () => json({ code: 'forbidden', message: 'no' }, 403))
    const w = await mountKind('department', '/setup/departments')
    expect(w.get('[role="alert"]').text()).toContain('您没有权限进行此操作')
  })
})
