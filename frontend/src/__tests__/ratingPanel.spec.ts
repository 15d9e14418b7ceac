import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import RatingPanel from '@/components/kiosk/RatingPanel.vue'
import { createAppI18n } from '@/i18n'

function mountPanel() {
  return mount(RatingPanel, { global: { plugins: [createAppI18n()] } })
}

describe('RatingPanel', () => {
  it('offers the three ratings worded in Chinese', () => {
    const w = mountPanel()
    const labels = w.findAll('[role="radio"]').map((b) => b.text())
    expect(labels).toEqual(['满意', '基本满意', '不满意'])
  })

  it('cannot be sent before a choice', async () => {
    const w = mountPanel()
    expect(w.get('[data-testid="send-rating"]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid="send-rating"]').trigger('click')
    expect(w.emitted('rate')).toBeUndefined()
  })

  it('warns that 不满意 reopens the case, only for that choice', async () => {
    const w = mountPanel()
    await w.get('[data-rating="satisfied"]').trigger('click')
    expect(w.find('[data-testid="reopen-notice"]').exists()).toBe(false)
    await w.get('[data-rating="unsatisfied"]').trigger('click')
    expect(w.get('[data-testid="reopen-notice"]').text()).toContain('重新办理')
    expect(w.get('[data-rating="unsatisfied"]').attributes('aria-checked')).toBe('true')
  })

  it('emits the chosen rating with an empty comment', async () => {
    const w = mountPanel()
    await w.get('[data-rating="basically"]').trigger('click')
    await w.get('[data-testid="send-rating"]').trigger('click')
    expect(w.emitted('rate')).toEqual([['basically', '']])
  })
})
