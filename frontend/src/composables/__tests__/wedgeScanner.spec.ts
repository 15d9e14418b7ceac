import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { createWedgeDetector, useWedgeScanner } from '../useWedgeScanner'

/** feedAll types text with gap ms between keys, starting at t0, then Enter after enterGap. */
function feedAll(text: string, gap: number, enterGap = gap, t0 = 1000) {
  const det = createWedgeDetector()
  let t = t0
  for (const ch of text) {
    expect(det.feed(ch, t)).toBeNull()
    t += gap
  }
  return det.feed('Enter', t - gap + enterGap)
}

describe('createWedgeDetector', () => {
  const badge = 'LB1.AW0WzoAFQjAwMTYGcmVwLTE2'
  const cases = [
    { name: 'scanner burst at 5 ms', text: badge, gap: 5, enterGap: 5, want: badge },
    { name: 'scanner burst at 30 ms', text: badge, gap: 30, enterGap: 30, want: badge },
    { name: 'person typing at 120 ms', text: badge, gap: 120, enterGap: 120, want: null },
    { name: 'fast but short', text: 'abc', gap: 5, enterGap: 5, want: null },
    { name: 'burst then a slow Enter', text: badge, gap: 5, enterGap: 500, want: null },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(feedAll(c.text, c.gap, c.enterGap)).toBe(c.want)
    })
  }

  it('drops slowly typed keys before a burst', () => {
    const det = createWedgeDetector()
    det.feed('x', 0)
    det.feed('y', 300)
    let t = 1000
    for (const ch of '12345678') det.feed(ch, (t += 4))
    expect(det.feed('Enter', t + 4)).toBe('12345678')
  })

  it('ignores modifier keys inside a burst', () => {
    const det = createWedgeDetector()
    let t = 0
    for (const k of ['A', 'Shift', 'B', 'C', 'D', 'Shift', 'E', 'F', 'G', 'H']) det.feed(k, (t += 3))
    expect(det.feed('Enter', t + 3)).toBe('ABCDEFGH')
  })
})

describe('useWedgeScanner', () => {
  it('hands a burst of window key events to the callback', () => {
    const seen: string[] = []
    const Comp = defineComponent({
      setup() {
        useWedgeScanner((t) => seen.push(t))
        return () => h('div')
      },
    })
    const w = mount(Comp)
    // happy-dom stamps events with the real clock: dispatched back to back they are a burst
    for (const key of [...'B0001-XYZ', 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key }))
    expect(seen).toEqual(['B0001-XYZ'])
    w.unmount()
    for (const key of [...'B0001-XYZ', 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key }))
    expect(seen).toHaveLength(1)
  })
})
