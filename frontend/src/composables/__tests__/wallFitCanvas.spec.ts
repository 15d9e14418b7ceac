// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { canvasStyle, fitCanvas } from '../useFitCanvas'

describe('fitCanvas', () => {
  const cases = [
    { name: '1920x1080 native', w: 1920, h: 1080, scale: 1, x: 0, y: 0 },
    { name: '3840x2160 4K', w: 3840, h: 2160, scale: 2, x: 0, y: 0 },
    // Portrait: width limits; the 1080-wide canvas is 607.5 tall, centred vertically.
    { name: '1080x1920 portrait', w: 1080, h: 1920, scale: 0.5625, x: 0, y: (1920 - 607.5) / 2 },
    // Ultra-wide: height limits; pillarbox bars of 320 px each side.
    { name: '2560x1080 ultra-wide', w: 2560, h: 1080, scale: 1, x: 320, y: 0 },
    // 1366/768 is slightly wider than 16:9, so height limits and thin bars appear left and right.
    { name: '1366x768 laptop', w: 1366, h: 768, scale: 768 / 1080, x: (1366 - 1920 * (768 / 1080)) / 2, y: 0 },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const f = fitCanvas(c.w, c.h)
      expect(f.scale).toBeCloseTo(c.scale, 10)
      expect(f.offsetX).toBeCloseTo(c.x, 6)
      expect(f.offsetY).toBeCloseTo(c.y, 6)
      expect(f.width).toBeLessThanOrEqual(c.w + 1e-9)
      expect(f.height).toBeLessThanOrEqual(c.h + 1e-9)
      // It fills one dimension exactly.
      expect(Math.min(Math.abs(f.width - c.w), Math.abs(f.height - c.h))).toBeLessThan(1e-6)
    })
  }

  it('returns scale 0 for degenerate viewports', () => {
    for (const [w, h] of [[0, 1080], [1920, 0], [Number.NaN, 5], [-1, 100]] as const) {
      expect(fitCanvas(w, h).scale).toBe(0)
    }
  })

  it('puts the burn-in shift in design pixels', () => {
    const style = canvasStyle(fitCanvas(3840, 2160), 3, -3)
    expect(style.transform).toBe('translate(6px, -6px) scale(2)')
    expect(style.width).toBe('1920px')
    expect(style.transformOrigin).toBe('0 0')
  })
})
