import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import CaseTimeline from '@/components/kiosk/CaseTimeline.vue'
import type { TimelineEntry } from '@/bindings/models'

const at = '2024-05-01T09:00:00+08:00'
const entry = (kind: string, label: string, actor = '', text = ''): TimelineEntry => ({ at, kind, label, actor, text })

describe('CaseTimeline', () => {
  it('shows the entries as Go worded them', () => {
    const entries = [
      entry('case.submitted', '提交', '张*'),
      entry('case.accepted', '代表领办', '街道人大工委', '由代表 测试 领办'),
      entry('case.assigned', '交办', '街道人大工委', '交由 测试街道城管科 办理，办理期限 2024-05-10'),
      entry('case.future', '事项更新'),
    ]
    const w = mount(CaseTimeline, { props: { entries } })
    expect(w.findAll('strong').map((s) => s.text())).toEqual(['提交 · 张*', '代表领办 · 街道人大工委', '交办 · 街道人大工委', '事项更新'])
    expect(w.findAll('.note').map((n) => n.text())).toEqual(['由代表 测试 领办', '交由 测试街道城管科 办理，办理期限 2024-05-10'])
    expect(w.findAll('li').map((l) => l.attributes('data-kind'))).toEqual(entries.map((e) => e.kind))
  })
})
