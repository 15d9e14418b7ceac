import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ImportView from '../setup/ImportView.vue'
import { api } from '../api'
import type { ImportPreview } from '../api/types'
import { createConsoleI18n } from '../i18n'
import en from '../i18n/en'
import zh from '../i18n/zh-CN'
import { canConfirm, cellKey, problemIndex } from '../setup/importer'
import { setupPages } from '../setup/pages'
import { fakeHub, json } from './helpers'

const columns = ['编号', '姓名', '所属联络站']

function preview(extra: Partial<ImportPreview> = {}): ImportPreview {
  return {
    message: '',
    kind: 'representative',
    columns,
    notices: [],
    rows: [
      { row: 2, key: 'HX01-R01', action: 'create', cells: ['HX01-R01', '张三', 'HX01'] },
      { row: 3, key: 'HX01-R02', action: 'unchanged', cells: ['HX01-R02', '李四', 'HX01'] },
    ],
    created: 1,
    updated: 0,
    unchanged: 1,
    problems: [],
    written: false,
    ...extra,
  }
}

const refused = preview({
  rows: [
    { row: 2, key: 'HX01-R01', action: 'create', cells: ['HX01-R01', '张三', 'HX01'] },
    { row: 4, key: '', action: '', cells: ['HX01-R03', '王五', 'HX09'] },
  ],
  problems: [
    { row: 4, column: '所属联络站', code: 'import_station_unknown', params: { value: 'HX09' }, message: '没有“HX09”这个联络站' },
    { row: 4, column: '层级', code: 'field_required', message: '此项必须填写' },
    { row: 0, column: '', code: 'hub_only_code', message: '中心的说法' },
  ],
})

describe('import model', () => {
  it('puts each problem on its cell, its row, or the file', () => {
    const idx = problemIndex(refused)
    expect(idx.cells.get(cellKey(4, '所属联络站'))?.[0]?.code).toBe('import_station_unknown')
    expect(idx.cells.has(cellKey(4, '层级'))).toBe(false) // a column the file does not have
    expect(idx.rows.get(4)).toHaveLength(2)
    expect(idx.file.map((p) => p.code)).toEqual(['hub_only_code'])
  })

  it('confirms only a clean preview that changes something', () => {
    expect(canConfirm(preview())).toBe(true)
    expect(canConfirm(refused)).toBe(false)
    expect(canConfirm(preview({ created: 0 }))).toBe(false)
    expect(canConfirm(preview({ written: true }))).toBe(false)
    expect(canConfirm(null)).toBe(false)
  })

  it('has the page in the setup menu and its words in both languages', () => {
    expect(setupPages.some((p) => p.path === 'import' && p.titleKey === 'setup.pages.import')).toBe(true)
    expect(Object.keys(en.importer).sort()).toEqual(Object.keys(zh.importer).sort())
    const codes = (m: Record<string, unknown>) => Object.keys(m).filter((k) => k.startsWith('import_')).sort()
    expect(codes(en.errors)).toEqual(codes(zh.errors))
    expect(codes(zh.errors).length).toBeGreaterThan(15)
  })
})

describe('import page', () => {
  let wrapper: VueWrapper | null = null

  beforeEach(() => {
    api.csrf = 'tok'
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
  })

  async function chooseFile(w: VueWrapper, name = '代表.xlsx') {
    const input = w.get('[data-testid="import-file"]')
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], name)], configurable: true })
    await input.trigger('change')
    await flushPromises()
  }

  it('offers the file in the console language, not the browser\'s, and names the chosen file', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/admin/import/representative', () => json(refused))
    wrapper = mount(ImportView, { global: { plugins: [createConsoleI18n()] } })
    const chooser = wrapper.get('label.imp__choose')
    expect(chooser.text()).toBe('选择文件…')
    // the browser's own button (its "Choose File" / "No file chosen") is not shown
    expect(wrapper.get('[data-testid="import-file"]').classes()).toContain('sr-only')
    expect(chooser.find('[data-testid="import-file"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="import-file-name"]').text()).toBe('未选择文件')
    await chooseFile(wrapper, '代表名册.xlsx')
    expect(wrapper.get('[data-testid="import-file-name"]').text()).toBe('代表名册.xlsx')
  })

  it('checks the file, marks the bad cell, and refuses to import it', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/admin/import/representative', () => json(refused))
    wrapper = mount(ImportView, { global: { plugins: [createConsoleI18n()] } })
    await chooseFile(wrapper)
    const call = hub.callsTo('/api/v1/admin/import/representative')[0]
    expect(call?.url.searchParams.get('dry_run')).toBe('1')
    expect(call?.headers['X-CSRF-Token']).toBe('tok')
    const problems = wrapper.get('[data-testid="import-problems"]').text()
    expect(problems).toContain('第 4 行“所属联络站”列：没有“HX09”这个联络站')
    expect(problems).toContain('第 4 行“层级”列：必填') // the console's wording of the code
    expect(problems).toContain('文件：中心的说法')
    const bad = wrapper.get('tr[data-row="4"]')
    expect(bad.classes()).toContain('imp__row--bad')
    const cells = bad.findAll('td')
    expect(cells[2]?.classes()).toContain('imp__cell--bad')
    expect(cells[1]?.classes()).not.toContain('imp__cell--bad')
    expect(wrapper.find('tr[data-row="2"]').exists()).toBe(false) // the bad rows first
    await wrapper.get('[data-testid="import-only-bad"]').setValue(false)
    expect(wrapper.get('tr[data-row="2"]').classes()).not.toContain('imp__row--bad')
    expect(wrapper.get('[data-testid="import-summary"]').text()).toContain('有 3 处有误')
    expect(wrapper.get('[data-testid="import-confirm"]').attributes('disabled')).toBeDefined()
  })

  it('imports a clean file on confirmation and says what it did', async () => {
    const hub = fakeHub()
    hub.on('POST', '/api/v1/admin/import/department', (c) =>
      json(c.url.searchParams.get('dry_run') ? preview({ kind: 'department' }) : preview({ kind: 'department', written: true })),
    )
    wrapper = mount(ImportView, { global: { plugins: [createConsoleI18n()] } })
    await wrapper.get('[data-testid="import-kind"]').setValue('department')
    expect(wrapper.get('[data-testid="import-template"]').attributes('href')).toBe('/api/v1/admin/import/department/template.xlsx')
    await chooseFile(wrapper, '承办单位.csv')
    expect(wrapper.get('[data-testid="import-summary"]').text()).toContain('将新增 1 条，更新 0 条，未变 1 条')
    await wrapper.get('[data-testid="import-confirm"]').trigger('click')
    await flushPromises()
    const calls = hub.callsTo('/api/v1/admin/import/department')
    expect(calls).toHaveLength(2)
    expect(calls[1]?.url.searchParams.has('dry_run')).toBe(false)
    expect(wrapper.get('[data-testid="import-done"]').text()).toContain('导入完成：新增 1 条')
    expect(wrapper.find('[data-testid="import-table"]').exists()).toBe(false)
  })

  it('shows every problem when the hub refuses the write after all', async () => {
    const hub = fakeHub()
    let writes = 0
    hub.on('POST', '/api/v1/admin/import/representative', (c) => {
      if (c.url.searchParams.get('dry_run')) return json(writes ? refused : preview())
      writes++
      return json({ ...refused, code: 'import_refused' }, 422)
    })
    wrapper = mount(ImportView, { global: { plugins: [createConsoleI18n()] } })
    await chooseFile(wrapper)
    await wrapper.get('[data-testid="import-confirm"]').trigger('click')
    await flushPromises()
    expect(writes).toBe(1)
    expect(wrapper.find('[data-testid="import-done"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="import-problems"]').text()).toContain('没有“HX09”这个联络站')
  })

  it('refuses a file larger than the hub takes without sending it', async () => {
    const hub = fakeHub()
    wrapper = mount(ImportView, { global: { plugins: [createConsoleI18n()] } })
    const input = wrapper.get('[data-testid="import-file"]')
    const big = new File(['x'], 'big.xlsx')
    Object.defineProperty(big, 'size', { value: 9 * 1024 * 1024 })
    Object.defineProperty(input.element, 'files', { value: [big], configurable: true })
    await input.trigger('change')
    await flushPromises()
    expect(hub.calls).toHaveLength(0)
    expect(wrapper.get('[data-testid="import-failure"]').text()).toContain('不能超过 8 MB')
  })
})
