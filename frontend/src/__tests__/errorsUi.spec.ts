import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createApp, defineComponent, h, nextTick, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import * as system from '@/bindings/system'
import { AppError } from '@/bindings/errors'
import ViewBoundary from '@/components/base/ViewBoundary.vue'
import { installErrorReporting } from '@/errors'
import { useToastStore } from '@/stores/toast'
import { createAppI18n } from '@/i18n'
import { useRenderedOnce } from '@/composables/useRenderedOnce'

vi.mock('@/bindings/system', () => ({
  Info: vi.fn(),
  Status: vi.fn(),
  ReportRendered: vi.fn(),
  ReportError: vi.fn(),
}))
const m = vi.mocked(system)

beforeEach(() => {
  vi.resetAllMocks()
  m.ReportError.mockResolvedValue()
  m.ReportRendered.mockResolvedValue()
})

describe('ViewBoundary', () => {
  it('reports a crashing screen and mounts it afresh', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    let renders = 0
    const Flaky = defineComponent({
      setup() {
        renders += 1
        if (renders === 1) throw new Error('first render failed')
        return () => h('p', { class: 'ok' }, 'recovered')
      },
    })
    const w = mount(
      defineComponent({
        setup: () => () =>
          h(ViewBoundary, { name: 'home' }, { default: ({ generation }: { generation: number }) => h(Flaky, { key: generation }) }),
      }),
      { global: { plugins: [pinia, createAppI18n()] } },
    )
    await flushPromises()
    expect(renders).toBe(2)
    expect(w.find('.ok').exists()).toBe(true)
    expect(m.ReportError).toHaveBeenCalledWith('home', expect.stringContaining('first render failed'))
    expect(useToastStore().items[0]?.text).toBe('页面出了点问题，已重新加载')
  })
})

describe('installErrorReporting', () => {
  it('sends uncaught errors to the Go log and shows the worded code', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const i18n = createAppI18n()
    const app = createApp({ render: () => null })
    app.use(pinia).use(i18n)
    installErrorReporting(app, i18n.global.t)
    app.config.errorHandler?.(new AppError('store_failed', 'disk full'), null, 'test')
    expect(m.ReportError).toHaveBeenCalledWith(expect.any(String), expect.stringContaining('disk full'))
    expect(useToastStore().items.map((t) => t.text)).toEqual(['保存失败，请再试一次'])
  })
})

describe('useRenderedOnce', () => {
  it('reports the first screen once, only after its data is there', async () => {
    const ready = ref(false)
    const Screen = defineComponent({
      setup() {
        useRenderedOnce('attract', () => ready.value)
        return () => h('div')
      },
    })
    const a = mount(Screen)
    await nextTick()
    expect(m.ReportRendered).not.toHaveBeenCalled()
    ready.value = true
    await flushPromises()
    expect(m.ReportRendered).toHaveBeenCalledExactlyOnceWith('attract')
    a.unmount()
    mount(Screen)
    await flushPromises()
    expect(m.ReportRendered).toHaveBeenCalledOnce()
  })
})
