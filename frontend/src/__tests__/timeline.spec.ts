import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import CaseTimeline from '@/components/kiosk/CaseTimeline.vue'
import { createAppI18n } from '@/i18n'
import type { TimelineEntry } from '@/bindings/models'

const at = '2024-05-01T09:00:00+08:00'
const entry = (kind: string, actorName = '', note = ''): TimelineEntry => ({ at, kind, actorRole: '', actorName, note })

describe('CaseTimeline', () => {
  it('words every event kind with its actor', () => {
    const entries = [
      entry('case.submitted'),
      entry('case.accepted', '测试'),
      entry('case.assigned', '测试街道城管科', '期限 5月10日'),
      entry('case.supervised'),
      entry('case.reopened'),
      entry('case.something_new'),
    ]
    const w = mount(CaseTimeline, { props: { entries }, global: { plugins: [createAppI18n()] } })
    const titles = w.findAll('strong').map((s) => s.text())
    expect(titles).toEqual(['提交事项', '已受理 · 代表测试', '已交办 · 测试街道城管科', '督办', '重新办理', '事项更新'])
    expect(w.text()).toContain('期限 5月10日')
  })
})
