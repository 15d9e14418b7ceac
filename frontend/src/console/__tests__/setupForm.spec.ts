import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import RefKindView from '../setup/RefKindView.vue'
import '../setup/SetupLayout.vue'
import { api } from '../api'
import type { EditKind } from '../setup/schema'
import { useUiStore } from '../stores/ui'
import { adminUser, consolePage, fakeHub, json, RoutedPage, type Call } from './helpers'

const station = { code: 'HX01', name: '和谐街道人大代表联络站', address: '示范路1号', communities: ['幸福里社区', '长青社区'], hours: '' }
const rep = {
  id: 'HX01-R01',
  name: '张三',
  gender: '男',
  level: '区',
  constituency: '第一选区',
  communities: ['幸福里社区'],
  title: '社区党委书记',
  stations: ['HX01'],
  photo_seed: 4,
}

const page = consolePage(adminUser)

function hubWith(items: Record<string, unknown[]>) {
  const hub = fakeHub()
  hub.on('GET', /^\/api\/v1\/admin\/ref\/\w+$/, (c) => json({ items: items[c.url.pathname.split('/').pop() ?? ''] ?? [] }))
  return hub
}

async function mountKind(kind: EditKind, path: string) {
  const wrapper = await page.open(RoutedPage, path)
  expect(wrapper.findComponent(RefKindView).props('kind')).toBe(kind)
  return wrapper
}

const puts = (calls: Call[]) => calls.filter((c) => c.method === 'PUT')

describe('reference form', () => {
  it('creates a station, checking it first and sending it tidied with create=1', async () => {
    const hub = hubWith({ station: [] })
    hub.on('PUT', '/api/v1/admin/ref/station/HX02', (c) => json({ item: c.body, changed: true }))
    const w = await mountKind('station', '/setup/stations')
    await w.get('[data-testid="setup-add"]').trigger('click')
    await flushPromises()
    expect(page.router.currentRoute.value.query).toEqual({ new: '1' })

    await w.get('[data-testid="input-code"]').setValue('hx02')
    await w.get('[data-testid="setup-form"]').trigger('submit')
    await flushPromises()
    expect(puts(hub.calls)).toHaveLength(0) // caught here, not sent
    expect(w.get('[data-testid="problems-code"]').text()).toBe('联络站编码只能用大写字母、数字和 -，最多 16 位')
    expect(w.get('[data-testid="problems-name"]').text()).toBe('必填')
    expect(w.get('[data-testid="setup-problems"]').text()).toBe('有 2 处需要修改，见各栏下方的红字')

    await w.get('[data-testid="input-code"]').setValue('HX02')
    await w.get('[data-testid="input-name"]').setValue(' 长青联络站 ')
    await w.get('[data-testid="input-communities"] [data-testid="pick-input"]').setValue('长青社区')
    await w.get('[data-testid="input-communities"] [data-testid="pick-add"]').trigger('click')
    await w.get('[data-testid="setup-form"]').trigger('submit')
    await flushPromises()

    const [put] = puts(hub.calls)
    expect(put?.url.search).toBe('?create=1')
    expect(put?.headers['X-CSRF-Token']).toBe('tok')
    expect(put?.body).toEqual({ code: 'HX02', name: '长青联络站', node: '', address: '', communities: ['长青社区'], hours: '' })
    expect(page.router.currentRoute.value.query).toEqual({})
    expect(w.findAll('[data-testid="setup-row"]').map((r) => r.attributes('data-key'))).toEqual(['HX02'])
    expect(useUiStore().toasts.map((t) => t.text)).toEqual(['已保存 长青联络站'])
  })

  it('shows the hub’s refusal next to the fields and keeps everything typed', async () => {
    const hub = hubWith({ station: [station], community: [], representative: [rep] })
    hub.on('PUT', '/api/v1/admin/ref/representative/HX01-R02', () =>
      json(
        {
          code: 'ref_refused',
          message: 'refused',
          problems: [
            { index: 0, key: 'HX01-R02', field: 'communities[0]', code: 'ref_dangling', params: { kind: 'community', key: '幸福里社区' }, message: '找不到社区' },
            { index: 0, key: 'HX01-R02', field: '', code: 'ref_duplicate', params: { key: 'HX01-R02' }, message: '重复' },
          ],
        },
        422,
      ),
    )
    const w = await mountKind('representative', '/setup/representatives?new=1')

    await w.get('[data-testid="input-stations"] [data-testid="pick-select"]').setValue('HX01')
    await flushPromises()
    // the id follows the station: one past the highest there is
    expect((w.get('[data-testid="input-id"]').element as HTMLInputElement).value).toBe('HX01-R02')
    await w.get('[data-testid="input-name"]').setValue('李四')
    await w.get('[data-testid="input-level"]').setValue('市')
    await w.get('[data-testid="input-communities"] [data-testid="pick-select"]').setValue('幸福里社区')
    await w.get('[data-testid="input-profile"]').setValue('长期关注社区养老服务')
    await w.get('[data-testid="setup-form"]').trigger('submit')
    await flushPromises()

    expect(puts(hub.calls)[0]?.body).toMatchObject({ id: 'HX01-R02', name: '李四', level: '市', stations: ['HX01'], communities: ['幸福里社区'] })
    expect(w.get('[data-testid="problems-communities"]').text()).toBe('第 1 项：找不到社区「幸福里社区」')
    expect(w.get('[data-testid="problems-item"]').text()).toBe('编码 HX01-R02 已被使用')
    expect((w.get('[data-testid="input-name"]').element as HTMLInputElement).value).toBe('李四')
    expect((w.get('[data-testid="input-profile"]').element as HTMLTextAreaElement).value).toBe('长期关注社区养老服务')
    expect(w.get('[data-testid="setup-dirty"]').text()).toBe('有未保存的修改')
    expect(page.router.currentRoute.value.query).toEqual({ new: '1' })
  })

  it('says why a save failed for another reason, keeping the form', async () => {
    const hub = hubWith({ department: [{ code: 'JD-CG', name: '街道城管科' }] })
    hub.on('PUT', '/api/v1/admin/ref/department/JD-CG', () => json({ code: 'forbidden', message: 'no' }, 403))
    const w = await mountKind('department', '/setup/departments?edit=JD-CG')
    expect(w.get('[data-testid="input-code"]').attributes('disabled')).toBeDefined() // a key is fixed once saved
    await w.get('[data-testid="input-contact"]').setValue('王科长')
    await w.get('[data-testid="setup-form"]').trigger('submit')
    await flushPromises()
    expect(puts(hub.calls)[0]?.url.search).toBe('') // an edit, not a create
    expect(w.get('[data-testid="setup-save-error"]').text()).toBe('您没有权限进行此操作')
    expect((w.get('[data-testid="input-contact"]').element as HTMLInputElement).value).toBe('王科长')
  })

  it('asks before leaving unsaved changes', async () => {
    hubWith({ department: [{ code: 'JD-CG', name: '街道城管科' }] })
    const w = await mountKind('department', '/setup/departments?edit=JD-CG')
    await w.get('[data-testid="input-name"]').setValue('街道城市管理科')
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false)
    await w.get('[data-testid="setup-back"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledWith('有未保存的修改，确定离开吗？')
    expect(page.router.currentRoute.value.query).toEqual({ edit: 'JD-CG' })
    confirm.mockReturnValue(true)
    await w.get('[data-testid="setup-back"]').trigger('click')
    await flushPromises()
    expect(page.router.currentRoute.value.query).toEqual({})
  })

  it('cancels an activity after confirming, and restores it', async () => {
    const act = {
      id: 'HX01-A01',
      station: 'HX01',
      title: '代表接待日',
      kind: '接待日',
      place: '联络站一楼',
      starts: '2026-12-09T01:00:00Z',
      ends: '2026-12-09T03:30:00Z',
      capacity: 20,
    }
    const hub = hubWith({ activity: [act], station: [station] })
    hub.on('POST', '/api/v1/admin/ref/activity/HX01-A01/retire', () => json({ ...act, cancelled: true }))
    hub.on('POST', '/api/v1/admin/ref/activity/HX01-A01/restore', () => json(act))
    const w = await mountKind('activity', '/setup/activities?edit=HX01-A01')
    expect((w.get('[data-testid="input-starts"]').element as HTMLInputElement).value).toBe('2026-12-09T09:00')

    await w.get('[data-testid="setup-retire"]').trigger('click')
    const dialog = () => document.body.querySelector('[data-testid="setup-confirm"]')
    expect(dialog()?.textContent).toContain('取消活动「代表接待日」？')
    expect(hub.calls.filter((c) => c.method === 'POST')).toHaveLength(0)
    ;(document.body.querySelector('[data-testid="setup-confirm-ok"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(hub.callsTo('/api/v1/admin/ref/activity/HX01-A01/retire')).toHaveLength(1)
    expect(w.get('[data-testid="setup-retired-chip"]').text()).toBe('已取消')
    expect(w.find('[data-testid="setup-dirty"]').exists()).toBe(false)

    await w.get('[data-testid="setup-restore"]').trigger('click')
    ;(document.body.querySelector('[data-testid="setup-confirm-ok"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(hub.callsTo('/api/v1/admin/ref/activity/HX01-A01/restore')).toHaveLength(1)
    expect(w.find('[data-testid="setup-retired-chip"]').exists()).toBe(false)
    expect(useUiStore().toasts.map((t) => t.text)).toEqual(['已取消活动 代表接待日', '已恢复活动 代表接待日'])
  })

  it('edits a project’s milestones and sends their due days in the station’s zone', async () => {
    const project = { id: 'HX01-P01', station: 'HX01', name: '老旧小区加装电梯', progress: 40, milestones: [{ title: '方案公示', due: '2026-10-31T16:00:00Z', done: true }] }
    const hub = hubWith({ project: [project], station: [station] })
    hub.on('PUT', '/api/v1/admin/ref/project/HX01-P01', (c) => json({ item: c.body, changed: true }))
    const w = await mountKind('project', '/setup/projects?edit=HX01-P01')
    expect((w.get('[data-testid="milestone-due"]').element as HTMLInputElement).value).toBe('2026-11-01')
    await w.get('[data-testid="milestone-add"]').trigger('click')
    const rows = w.findAll('[data-testid="milestone-row"]')
    await rows[1]!.get('[data-testid="milestone-title"]').setValue('开工')
    await w.get('[data-testid="setup-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="problems-milestones"]').text()).toBe('第 2 项 计划完成日期：必填')
    // the entry's own empty cell is marked, not its neighbours
    const invalid = (row: number, cell: string) => rows[row]!.get(`[data-testid="${cell}"]`).attributes('aria-invalid')
    expect(invalid(1, 'milestone-due')).toBe('true')
    expect(invalid(1, 'milestone-title')).toBe('false')
    expect(invalid(0, 'milestone-due')).toBe('false')
    expect(rows[1]!.get('[data-testid="milestone-due"]').classes()).toContain('ms__bad')
    await rows[1]!.get('[data-testid="milestone-due"]').setValue('2027-03-01')
    await w.get('[data-testid="setup-form"]').trigger('submit')
    await flushPromises()
    expect(invalid(1, 'milestone-due')).toBe('false')
    expect(puts(hub.calls)[0]?.body).toMatchObject({
      milestones: [
        { title: '方案公示', due: '2026-10-31T16:00:00Z', done: true },
        { title: '开工', due: '2027-03-01T00:00:00+08:00', done: false },
      ],
    })
  })

  it('uploads a representative’s photo after showing a preview, and links the public page', async () => {
    const hub = hubWith({ representative: [rep], station: [station], community: [] })
    hub.on('POST', '/api/v1/admin/representatives/HX01-R01/photo', () => json({ ...rep, photo: '/media/reps/HX01-R01.jpg?v=ab12' }))
    const created: Blob[] = []
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), 'blob:preview-1'), revokeObjectURL: () => undefined }))
    const w = await mountKind('representative', '/setup/representatives?edit=HX01-R01')
    expect(w.get('[data-testid="rep-public-page"]').attributes('href')).toBe('/r/HX01-R01')
    expect(w.get('[data-testid="rep-qr"]').attributes('src')).toBe('/api/v1/admin/representatives/HX01-R01/qr.png')
    expect(w.get('[data-testid="rep-qr-download"]').attributes('download')).toBe('HX01-R01-qr.png')

    const input = w.get('[data-testid="rep-photo-file"]')
    const pick = async (f: File) => {
      Object.defineProperty(input.element, 'files', { value: [f], configurable: true })
      await input.trigger('change')
    }
    await pick(new File(['gif'], 'a.gif', { type: 'image/gif' }))
    expect(w.get('[data-testid="rep-photo-problem"]').text()).toBe('请选择 JPG 或 PNG 格式的照片')
    expect(w.get('[data-testid="rep-photo-upload"]').attributes('disabled')).toBeDefined()

    await pick(new File(['jpeg'], 'zhang.jpg', { type: 'image/jpeg' }))
    expect(w.get('[data-testid="rep-photo-preview"]').attributes('src')).toBe('blob:preview-1')
    await w.get('[data-testid="rep-photo-upload"]').trigger('click')
    await flushPromises()

    const [call] = hub.callsTo('/api/v1/admin/representatives/HX01-R01/photo')
    expect(call?.headers['Content-Type']).toBeUndefined() // the browser sets multipart with its boundary
    expect(call?.headers['X-CSRF-Token']).toBe('tok')
    expect(w.get('[data-testid="rep-photo-current"]').attributes('src')).toBe('/media/reps/HX01-R01.jpg?v=ab12')
    expect(w.find('[data-testid="setup-dirty"]').exists()).toBe(false)
  })
})
