import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import {
  createAnimationClock,
  provideAnimationClock,
  useFrame,
  type ClockScheduler,
} from '../useAnimationClock'

/** A hand-cranked frame scheduler: tick(ms) delivers one frame. */
function manualScheduler() {
  let t = 0
  let next = 1
  const pending = new Map<number, (t: number) => void>()
  const sched: ClockScheduler = {
    request(cb) {
      const h = next++
      pending.set(h, cb)
      return h
    },
    cancel(h) {
      pending.delete(h)
    },
    now: () => t,
  }
  return {
    sched,
    pendingCount: () => pending.size,
    tick(ms = 16) {
      t += ms
      const cbs = [...pending.values()]
      pending.clear()
      for (const cb of cbs) cb(t)
    },
  }
}

describe('createAnimationClock', () => {
  it('requests frames only while someone is subscribed', () => {
    const m = manualScheduler()
    const clock = createAnimationClock({ scheduler: m.sched })
    expect(clock.running).toBe(false)
    expect(m.pendingCount()).toBe(0)
    const seen: number[] = []
    const off = clock.subscribe((_, dt) => seen.push(dt))
    expect(clock.running).toBe(true)
    expect(m.pendingCount()).toBe(1)
    m.tick(16)
    m.tick(20)
    expect(seen).toEqual([0, 20])
    off()
    expect(clock.running).toBe(false)
    expect(m.pendingCount()).toBe(0)
    m.tick(16)
    expect(seen).toHaveLength(2)
  })

  it('runs every subscriber from one frame loop', () => {
    const m = manualScheduler()
    const clock = createAnimationClock({ scheduler: m.sched })
    let a = 0
    let b = 0
    clock.subscribe(() => a++)
    clock.subscribe(() => b++)
    expect(m.pendingCount()).toBe(1)
    m.tick()
    m.tick()
    expect([a, b]).toEqual([2, 2])
    expect(m.pendingCount()).toBe(1)
  })

  it('lets one off() remove only its own subscription, once', () => {
    const m = manualScheduler()
    const clock = createAnimationClock({ scheduler: m.sched })
    let n = 0
    const cb = () => n++
    const off1 = clock.subscribe(cb)
    clock.subscribe(cb)
    off1()
    off1()
    expect(clock.size).toBe(1)
    m.tick()
    expect(n).toBe(1)
  })

  it('survives a throwing subscriber and a subscriber that unsubscribes itself', () => {
    const m = manualScheduler()
    const errors: unknown[] = []
    const clock = createAnimationClock({ scheduler: m.sched, onError: (e) => errors.push(e) })
    let good = 0
    clock.subscribe(() => {
      throw new Error('panel broke')
    })
    const offSelf: { fn: () => void } = { fn: () => {} }
    offSelf.fn = clock.subscribe(() => offSelf.fn())
    clock.subscribe(() => good++)
    m.tick()
    m.tick()
    expect(good).toBe(2)
    expect(errors).toHaveLength(2)
    expect(clock.size).toBe(2)
  })

  it('caps dt after a stall', () => {
    const m = manualScheduler()
    const clock = createAnimationClock({ scheduler: m.sched, maxDtMs: 100 })
    const dts: number[] = []
    clock.subscribe((_, dt) => dts.push(dt))
    m.tick()
    m.tick(60_000)
    expect(dts).toEqual([0, 100])
  })

  it('calls every() subscribers once per period', () => {
    const m = manualScheduler()
    const clock = createAnimationClock({ scheduler: m.sched })
    let n = 0
    clock.every(1000, () => n++)
    for (let i = 0; i < 100; i++) m.tick(50) // 5 s of frames (the first has dt 0)
    expect(n).toBe(4)
  })

  it('stop() removes everything', () => {
    const m = manualScheduler()
    const clock = createAnimationClock({ scheduler: m.sched })
    clock.subscribe(() => {})
    clock.every(10, () => {})
    clock.stop()
    expect(clock.size).toBe(0)
    expect(m.pendingCount()).toBe(0)
  })
})

describe('provideAnimationClock / useFrame', () => {
  it('subscribes children for their lifetime and stops with the root', async () => {
    const m = manualScheduler()
    let frames = 0
    const Child = defineComponent({
      setup() {
        useFrame(() => frames++)
        return () => h('i')
      },
    })
    let clockSize = () => -1
    const Root = defineComponent({
      props: { show: { type: Boolean, default: true } },
      setup(props) {
        const clock = provideAnimationClock({ scheduler: m.sched })
        clockSize = () => clock.size
        return () => h('div', [props.show ? h(Child) : null, h(Child)])
      },
    })
    const w = mount(Root)
    expect(clockSize()).toBe(2)
    m.tick()
    expect(frames).toBe(2)
    await w.setProps({ show: false })
    expect(clockSize()).toBe(1)
    w.unmount()
    expect(clockSize()).toBe(0)
    expect(m.pendingCount()).toBe(0)
  })
})
