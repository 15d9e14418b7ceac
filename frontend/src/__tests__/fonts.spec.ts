// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { FONT_FAMILY, FONT_NAME, textOf } from '@/styles/fonts'
import { categoryOption, funnelOption, gaugeOption, trendOption } from '@/components/wall/charts'

const src = join(__dirname, '..')

describe('the bundled CJK font everywhere', () => {
  it('is the first family of the CSS stack, the same stack the charts use', () => {
    const css = readFileSync(join(src, 'styles', 'base.css'), 'utf8')
    expect(css).toContain(`--font-ui: ${FONT_FAMILY};`)
    expect(FONT_FAMILY.startsWith(`'${FONT_NAME}'`)).toBe(true)
    // main.ts imports exactly the weights fonts.ts loads
    const main = readFileSync(join(src, 'main.ts'), 'utf8')
    expect(main).toContain("import '@fontsource/noto-sans-sc/400.css'")
    expect(main).toContain("import '@fontsource/noto-sans-sc/700.css'")
  })

  it('is named by every chart option', () => {
    const board = {
      funnel: { submitted: 3, accepted: 2, assigned: 1, replied: 1, closed: 0 },
      categories: [{ name: '环境卫生', count: 2 }],
      trend: [{ day: '2025-03-07', submitted: 1, closed: 0 }],
    }
    const options = [
      gaugeOption(0.5, '#fff'),
      funnelOption(board.funnel, (s) => s),
      categoryOption(board.categories as never),
      trendOption(board.trend as never, { submitted: '提交', closed: '办结' }),
    ]
    for (const o of options) expect((o as { textStyle?: { fontFamily?: string } }).textStyle?.fontFamily).toBe(FONT_FAMILY)
    // and so does each text style on its own: ECharts measures some labels without the
    // global one (an axis sized for its labels)
    const unnamed: string[] = []
    const walk = (v: unknown, path: string): void => {
      if (v === null || typeof v !== 'object') return
      const o = v as Record<string, unknown>
      if ('fontSize' in o && o.fontFamily !== FONT_FAMILY) unnamed.push(path)
      for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`)
    }
    options.forEach((o, i) => walk(o, `option${i}`))
    expect(unnamed).toEqual([])
  })

  it('is the only font any style names', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const p = join(dir, name)
        if (statSync(p).isDirectory()) return name === '__tests__' ? [] : files(p)
        return /\.(vue|css)$/.test(name) ? [p] : []
      })
    const found: string[] = []
    for (const file of files(src)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = /\bfont(-family)?\s*:\s*([^;}]+)/.exec(line)
          if (!m || !m[2]) return
          const value = m[2].trim()
          // the shorthand with a family, or a family that is neither inherited nor the stack
          const family = m[1] ? value : /\d(px|em|rem|%)?(\/[\d.]+)?\s+(.+)$/.exec(value)?.[3]
          if (family && family !== 'inherit' && family !== 'var(--font-ui)') found.push(`${relative(src, file)}:${i + 1}: ${line.trim()}`)
        })
    }
    expect(found).toEqual([])
  })

  it('is asked for every character a chart draws', () => {
    const text = textOf({ series: [{ data: [{ name: '已受理' }], label: { formatter: '{b} {c}' } }] })
    for (const ch of '已受理{}bc 0123456789%') expect(text).toContain(ch)
    expect(new Set(text).size).toBe([...text].length)
  })
})
