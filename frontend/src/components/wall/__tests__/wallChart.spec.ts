import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

const fake = vi.hoisted(() => {
  const instances: { setOption: ReturnType<typeof vi.fn>; dispose: ReturnType<typeof vi.fn> }[] = []
  return {
    instances,
    init: vi.fn(() => {
      const c = { setOption: vi.fn(), dispose: vi.fn() }
      instances.push(c)
      return c
    }),
  }
})

vi.mock('../charts', () => ({ echarts: { init: fake.init } }))

const { default: EChart } = await import('../EChart.vue')

describe('EChart', () => {
  it('creates one chart, updates it in place, skips no-op updates and disposes on unmount', async () => {
    const w = mount(EChart, { props: { option: { series: [{ type: 'bar', data: [1] }] } } })
    expect(fake.init).toHaveBeenCalledTimes(1)
    const c = fake.instances[0]!
    expect(c.setOption).toHaveBeenCalledTimes(1)

    await w.setProps({ option: { series: [{ type: 'bar', data: [2] }] } })
    expect(c.setOption).toHaveBeenCalledTimes(2)
    expect(c.setOption.mock.calls[1]).toEqual([{ series: [{ type: 'bar', data: [2] }] }, { notMerge: false, lazyUpdate: true }])

    // A new object with the same content (every refetch builds one) does no chart work.
    await w.setProps({ option: { series: [{ type: 'bar', data: [2] }] } })
    expect(c.setOption).toHaveBeenCalledTimes(2)

    for (let i = 3; i < 50; i++) await w.setProps({ option: { series: [{ type: 'bar', data: [i] }] } })
    expect(fake.init).toHaveBeenCalledTimes(1)
    expect(c.setOption).toHaveBeenCalledTimes(49)

    w.unmount()
    expect(c.dispose).toHaveBeenCalledTimes(1)
  })
})
