import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createAppI18n } from '@/i18n'
import { animationClockKey, createAnimationClock, type ClockScheduler } from '@/composables/useAnimationClock'
import CaseTicker from '../CaseTicker.vue'
import RollingNumber from '../RollingNumber.vue'
import WallPanel from '../WallPanel.vue'
import DutyPanel from '../DutyPanel.vue'
import { sampleBoard } from '@/views/wall/__tests__/wallFixtures'

function manualClock() {
  let t = 0
  let next = 1
  const pending = new Map<number, (t: number) => void>()
  const sched: ClockScheduler = {
    request(cb) {
      pending.set(next, cb)
      return next++
    },
    cancel: (h) => void pending.delete(h),
    now: () => t,
  }
  const clock = createAnimationClock({ scheduler: sched })
  return {
    clock,
    /** Runs frames of `step` ms until `ms` have passed. */
    async advance(ms: number, step = 50) {
      for (let done = 0; done < ms; done += step) {
        t += step
        const cbs = [...pending.values()]
        pending.clear()
        for (const cb of cbs) cb(t)
      }
      await nextTick()
    },
  }
}

const plugins = () => [createPinia(), createAppI18n('zh-CN')]

describe('RollingNumber', () => {
  it('rolls to a new value on the clock and then leaves the clock', async () => {
    const m = manualClock()
    const w = mount(RollingNumber, {
      props: { value: 98, durationMs: 1000 },
      global: { provide: { [animationClockKey]: m.clock } },
    })
    expect(w.attributes('aria-label')).toBe('98')
    expect(w.findAll('.rolling__strip')).toHaveLength(2)
    expect(m.clock.size).toBe(0)

    await w.setProps({ value: 102 })
    expect(w.attributes('aria-label')).toBe('102')
    expect(m.clock.size).toBe(1)
    await m.advance(500)
    expect(w.findAll('.rolling__strip')).toHaveLength(3)
    await m.advance(600)
    expect(m.clock.size).toBe(0)
    const strips = w.findAll<HTMLElement>('.rolling__strip')
    expect(strips.map((s) => s.element.style.transform)).toEqual(['translateY(-1em)', 'translateY(0em)', 'translateY(-2em)'])
    w.unmount()
  })

  it('unsubscribes when unmounted mid-roll', async () => {
    const m = manualClock()
    const w = mount(RollingNumber, { props: { value: 1 }, global: { provide: { [animationClockKey]: m.clock } } })
    await w.setProps({ value: 50 })
    expect(m.clock.size).toBe(1)
    w.unmount()
    expect(m.clock.size).toBe(0)
  })
})

describe('CaseTicker', () => {
  const items = Array.from({ length: 8 }, (_, i) => ({ ...sampleBoard().ticker[0]!, text: `第${i}条` }))

  it('scrolls one row per hold+slide and renders only the visible rows', async () => {
    const m = manualClock()
    const w = mount(CaseTicker, {
      props: { items, visible: 3, holdMs: 1000, slideMs: 500 },
      global: { plugins: plugins(), provide: { [animationClockKey]: m.clock } },
    })
    expect(w.findAll('li')).toHaveLength(4)
    expect(w.find('li').text()).toContain('第0条')
    await m.advance(1600)
    expect(w.find('li').text()).toContain('第1条')
    await m.advance(1500 * 7)
    expect(w.find('li').text()).toContain('第0条') // wrapped around
    expect(w.findAll('li')).toHaveLength(4)
    w.unmount()
    expect(m.clock.size).toBe(0)
  })

  it('does not move a list that fits', async () => {
    const m = manualClock()
    const w = mount(CaseTicker, {
      props: { items: items.slice(0, 2), visible: 3, holdMs: 100, slideMs: 100 },
      global: { plugins: plugins(), provide: { [animationClockKey]: m.clock } },
    })
    await m.advance(5000)
    expect(w.findAll('li').map((li) => li.text().includes('第0条'))).toEqual([true, false])
  })
})

describe('WallPanel', () => {
  it('shows its fallback when content fails and remounts it after the retry wait', async () => {
    const m = manualClock()
    const broken = ref(true)
    const Fragile = defineComponent({
      setup() {
        return () => {
          if (broken.value) throw new Error('bad figure')
          return h('p', { class: 'ok' }, '正常')
        }
      },
    })
    const w = mount(WallPanel, {
      props: { title: '测试栏', name: 'test', retryMs: 1000 },
      slots: { default: () => h(Fragile) },
      global: { plugins: plugins(), provide: { [animationClockKey]: m.clock } },
    })
    await nextTick()
    expect(w.classes()).toContain('wall-panel--failed')
    expect(w.text()).toContain('此栏暂时无法显示')
    broken.value = false
    await m.advance(500)
    expect(w.find('.ok').exists()).toBe(false) // still waiting
    await m.advance(600)
    expect(w.find('.ok').exists()).toBe(true)
    expect(w.classes()).not.toContain('wall-panel--failed')
    expect(m.clock.size).toBe(0)
  })
})

describe('paged panels', () => {
  it('mark the page showing, turn it on the clock, and show no mark when the list fits', async () => {
    const m = manualClock()
    const rep = (name: string) => ({ name, level: '区', signedIn: true })
    const mountDuty = (n: number) =>
      mount(DutyPanel, {
        props: { reps: ['甲', '乙', '丙', '丁'].slice(0, n).map(rep), pageSize: 3 },
        global: { plugins: plugins(), provide: { [animationClockKey]: m.clock } },
      })
    const w = mountDuty(4)
    expect(w.get('[data-testid="page-mark"]').text()).toBe('1/2')
    expect(w.findAll('li.duty__rep').map((li) => li.get('.duty__name').text())).toEqual(['甲', '乙', '丙'])
    await m.advance(12_050)
    expect(w.get('[data-testid="page-mark"]').text()).toBe('2/2')
    expect(w.findAll('li.duty__rep').map((li) => li.get('.duty__name').text())).toEqual(['丁'])
    expect(mountDuty(3).find('[data-testid="page-mark"]').exists()).toBe(false)
  })
})
