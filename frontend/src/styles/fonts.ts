// The bundled CJK font (@fontsource/noto-sans-sc, weights 400 and 700, imported in main.ts).
// A kiosk may have no CJK system font at all, so everything that draws Chinese must name this
// family: CSS does it through --font-ui in base.css, the wall's charts through their
// textStyle. Charts lay text out by measuring it, so they wait for the glyphs they draw.

/** The family name in the bundled @font-face rules. */
export const FONT_NAME = 'Noto Sans SC'

/** The stack every element and chart uses (base.css's --font-ui says the same). */
export const FONT_FAMILY = `'${FONT_NAME}', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif`

/** The weights the bundle has; any other weight is drawn with the nearest of these. */
export const FONT_WEIGHTS = [400, 700] as const

// A load that never settles (a missing file in a broken build) must not keep a chart blank.
const LOAD_TIMEOUT_MS = 4000

/**
 * fontsLoadedFor loads the slices of the bundled font that cover text, in every bundled
 * weight. The font comes in unicode-range slices, so a face is only fetched for characters
 * that are asked for. Resolves true once they are loaded, false when the platform has no font
 * loading API or the load failed or took too long (the caller draws anyway).
 */
export async function fontsLoadedFor(text: string): Promise<boolean> {
  const fonts = globalThis.document?.fonts
  if (!fonts || typeof fonts.load !== 'function') return false
  const sample = text || '中'
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), LOAD_TIMEOUT_MS)
  })
  try {
    const loads = Promise.all(FONT_WEIGHTS.map((w) => fonts.load(`${w} 16px "${FONT_NAME}"`, sample)))
      .then(() => fontsReadyFor(sample))
      .catch(() => false)
    return await Promise.race([loads, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** fontsReadyFor reports whether every bundled weight can draw text now without loading. */
export function fontsReadyFor(text: string): boolean {
  const fonts = globalThis.document?.fonts
  if (!fonts || typeof fonts.check !== 'function') return false
  const sample = text || '中'
  return FONT_WEIGHTS.every((w) => fonts.check(`${w} 16px "${FONT_NAME}"`, sample))
}

/** textOf gathers every string in a value (a chart option), for fontsLoadedFor. */
export function textOf(value: unknown): string {
  const seen = new Set<string>()
  const walk = (v: unknown, depth: number): void => {
    if (depth > 12) return
    if (typeof v === 'string') {
      for (const ch of v) seen.add(ch)
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1)
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x, depth + 1)
    }
  }
  walk(value, 0)
  // Numbers become label text too (counts, axis values, percentages).
  for (const ch of '0123456789.%-') seen.add(ch)
  return [...seen].join('')
}
