import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ReadOnlyBanner from '@/components/base/ReadOnlyBanner.vue'
import { createAppI18n } from '@/i18n'

function banner(reason: string, locale: 'zh-CN' | 'en' = 'zh-CN') {
  return mount(ReadOnlyBanner, { props: { reason }, global: { plugins: [createAppI18n(locale)] } })
}

describe('ReadOnlyBanner', () => {
  it('is absent while the store takes writes', () => {
    expect(banner('').find('[data-testid="read-only-banner"]').exists()).toBe(false)
  })

  it('tells residents to ask the staff and what still works, for a full disk', () => {
    const w = banner('disk_full')
    const el = w.find('[data-testid="read-only-banner"]')
    expect(el.attributes('role')).toBe('alert')
    expect(el.text()).toContain('本机暂时无法保存，请联系工作人员')
    expect(el.text()).toContain('存储空间已满')
    expect(el.text()).toContain('查询事项进度、查看公告和活动仍可使用')
  })

  it('names damaged data apart from a full disk', () => {
    const text = banner('db_corrupt').text()
    expect(text).toContain('本机数据出现损坏')
    expect(text).not.toContain('存储空间已满')
  })

  it('is worded in English too', () => {
    expect(banner('disk_full', 'en').text()).toContain('cannot save for now')
  })
})
