import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, onErrorCaptured, ref } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { FONT_FAMILY } from '@/styles/fonts'

type FakeChart = {
  setOption: ReturnType<typeof vi.fn>
  dispose: ReturnType<typeof vi.fn>
  getOption: () => unknown
}

const fake = vi.hoisted(() => {
  const instances: FakeChart[] = []
  return {
    instances,
    init: vi.fn(() => {
      let last: unknown = {}
      const c: FakeChart = {
        setOption: vi.fn((opt: unknown) => {
          last = opt
        }),
        dispose: vi.fn(),
        getOption: () => last,
      }
      instances.push(c)
      return c
    }),
  }
})

vi.mock('../charts', () => ({ echarts: { init: fake.init } }))

const { default: EChart } = await import('../EChart.vue')

// A FontFaceSet whose loads the test settles by hand.
function fakeFonts() {
  let loaded = false
  const waiting: (() => void)[] = []
  const listeners: (() => void)[] = []
  const fonts = {
    load: vi.fn((_font: string, _text?: string) => new Promise<void>((resolve) => waiting.push(resolve))),
    check: vi.fn(() => loaded),
    addEventListener: (_: string, cb: () => void) => listeners.push(cb),
    removeEventListener: vi.fn(),
  }
  Object.defineProperty(document, 'fonts', { value: fonts, configurable: true })
  return {
    fonts,
    finish() {
      loaded = true
      for (const r of waiting.splice(0)) r()
      for (const cb of listeners) cb()
    },
  }
}

afterEach(() => {
  delete (document as { fonts?: unknown }).fonts
  fake.instances.length = 0
  fake.init.mockClear()
  vi.useRealTimers()
})

describe('EChart', () => {
  it('creates one chart, updates it in place, skips no-op updates and disposes on unmount', async () => {
    const w = mount(EChart, { props: { option: { series: [{ type: 'bar', data: [1] }] } } })
    await flushPromises()
    expect(fake.init).toHaveBeenCalledTimes(1)
    const c = fake.instances[0]!
    expect(c.setOption).toHaveBeenCalledTimes(1)

    await w.setProps({ option: { series: [{ type: 'bar', data: [2] }] } })
    await flushPromises()
    expect(c.setOption).toHaveBeenCalledTimes(2)
    expect(c.setOption.mock.calls[1]).toEqual([{ series: [{ type: 'bar', data: [2] }] }, { notMerge: false, lazyUpdate: true }])

    // A new object with the same content (every refetch builds one) does no chart work.
    await w.setProps({ option: { series: [{ type: 'bar', data: [2] }] } })
    await flushPromises()
    expect(c.setOption).toHaveBeenCalledTimes(2)

    for (let i = 3; i < 50; i++) {
      await w.setProps({ option: { series: [{ type: 'bar', data: [i] }] } })
      await flushPromises()
    }
    expect(fake.init).toHaveBeenCalledTimes(1)
    expect(c.setOption).toHaveBeenCalledTimes(49)

    w.unmount()
    expect(c.dispose).toHaveBeenCalledTimes(1)
  })

  it('draws only once the font covers the text, and records the font it drew with', async () => {
    const f = fakeFonts()
    const option = { textStyle: { fontFamily: FONT_FAMILY }, series: [{ type: 'funnel', data: [{ name: '已受理', value: 3 }] }] }
    const w = mount(EChart, { props: { option } })
    await flushPromises()
    const c = fake.instances[0]!
    expect(c.setOption).not.toHaveBeenCalled()
    // each bundled weight is asked for the option's own characters
    expect(f.fonts.load.mock.calls.map((a) => a[0])).toEqual(['400 16px "Noto Sans SC"', '700 16px "Noto Sans SC"'])
    expect(f.fonts.load.mock.calls[0]?.[1]).toContain('受')

    f.finish()
    await flushPromises()
    expect(c.setOption).toHaveBeenCalledTimes(1)
    expect(w.attributes('data-font-family')).toBe(FONT_FAMILY)
    expect(w.attributes('data-font-loaded')).toBe('true')
    w.unmount()
  })

  it('draws anyway when the font does not come, and again once it does', async () => {
    vi.useFakeTimers()
    const f = fakeFonts()
    const option = { textStyle: { fontFamily: FONT_FAMILY }, series: [{ type: 'bar', data: [1] }] }
    const w = mount(EChart, { props: { option } })
    const c = fake.instances[0]!
    await vi.advanceTimersByTimeAsync(5000)
    expect(c.setOption).toHaveBeenCalledTimes(1)
    expect(w.attributes('data-font-loaded')).toBe('false')

    f.finish()
    await flushPromises()
    expect(c.setOption).toHaveBeenCalledTimes(2)
    // the same font spelt differently, so no width measured without it is reused
    expect(c.setOption.mock.calls[1]).toEqual([
      { textStyle: { fontFamily: FONT_FAMILY.replaceAll("'", '"') }, series: [{ type: 'bar', data: [1] }] },
      { notMerge: true },
    ])
    expect(w.attributes('data-font-loaded')).toBe('true')
    w.unmount()
  })

  it('hands a failed draw to the error boundary around it', async () => {
    const captured = ref<unknown>(null)
    const Boundary = defineComponent({
      setup(_, { slots }) {
        onErrorCaptured((err) => {
          captured.value = err
          return false
        })
        return () => slots.default?.()
      },
    })
    fake.init.mockImplementationOnce(() => {
      const c: FakeChart = {
        setOption: vi.fn(() => {
          throw new Error('bad option')
        }),
        dispose: vi.fn(),
        getOption: () => ({}),
      }
      fake.instances.push(c)
      return c
    })
    const w = mount(Boundary, { slots: { default: () => h(EChart, { option: { series: [] } }) } })
    await flushPromises()
    expect((captured.value as Error | null)?.message).toBe('bad option')
    w.unmount()
  })
})
