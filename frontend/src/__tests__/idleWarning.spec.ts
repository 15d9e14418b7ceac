import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import IdleWarning from '@/components/kiosk/IdleWarning.vue'
import { createAppI18n } from '@/i18n'

function mountWarning(open: boolean) {
  return mount(IdleWarning, {
    props: { open, remaining: 7, total: 10 },
    global: { plugins: [createAppI18n()], stubs: { teleport: true } },
  })
}

describe('IdleWarning', () => {
  it('shows nothing while the session is in use', () => {
    expect(mountWarning(false).find('[role="dialog"]').exists()).toBe(false)
  })

  it('shows the seconds left and hands the choice to the screen', async () => {
    const w = mountWarning(true)
    expect(w.get('[role="dialog"]').text()).toContain('7')
    await w.get('[data-testid="idle-stay"]').trigger('click')
    await w.get('[data-testid="idle-leave"]').trigger('click')
    expect(w.emitted('stay')).toHaveLength(1)
    expect(w.emitted('leave')).toHaveLength(1)
  })
})
