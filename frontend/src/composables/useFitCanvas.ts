// The wall is laid out once on a fixed design canvas (1920×1080) and scaled as a whole to
// whatever panel it runs on. Scaling one canvas keeps every font size and gap proportional,
// so a 4K panel and a 1080p panel show the same picture; a screen of another aspect ratio
// gets bars (letterbox or pillarbox) instead of a distorted or cropped board.
import { computed, onMounted, onUnmounted, ref, type ComputedRef, type Ref } from 'vue'

export const DESIGN_WIDTH = 1920
export const DESIGN_HEIGHT = 1080

export interface CanvasFit {
  /** Uniform scale from design pixels to viewport pixels. */
  scale: number
  /** Left/top of the scaled canvas inside the viewport (the bar width on each side). */
  offsetX: number
  offsetY: number
  /** Size of the scaled canvas in viewport pixels. */
  width: number
  height: number
}

/**
 * Largest uniform scale at which the design canvas fits the viewport, centred.
 * Degenerate sizes (zero, negative, NaN) yield scale 0 rather than Infinity or NaN.
 */
export function fitCanvas(
  viewWidth: number,
  viewHeight: number,
  designWidth = DESIGN_WIDTH,
  designHeight = DESIGN_HEIGHT,
): CanvasFit {
  const ok = (n: number): boolean => Number.isFinite(n) && n > 0
  if (!ok(viewWidth) || !ok(viewHeight) || !ok(designWidth) || !ok(designHeight)) {
    return { scale: 0, offsetX: 0, offsetY: 0, width: 0, height: 0 }
  }
  const scale = Math.min(viewWidth / designWidth, viewHeight / designHeight)
  const width = designWidth * scale
  const height = designHeight * scale
  return {
    scale,
    offsetX: (viewWidth - width) / 2,
    offsetY: (viewHeight - height) / 2,
    width,
    height,
  }
}

/** CSS for the design-sized element: positioned at the top-left and scaled from there. */
export function canvasStyle(
  fit: CanvasFit,
  shiftX = 0,
  shiftY = 0,
  designWidth = DESIGN_WIDTH,
  designHeight = DESIGN_HEIGHT,
): Record<string, string> {
  // The burn-in shift is in design pixels, so it scales with the canvas like everything else.
  const x = fit.offsetX + shiftX * fit.scale
  const y = fit.offsetY + shiftY * fit.scale
  return {
    position: 'absolute',
    left: '0',
    top: '0',
    width: `${designWidth}px`,
    height: `${designHeight}px`,
    transformOrigin: '0 0',
    transform: `translate(${x}px, ${y}px) scale(${fit.scale})`,
  }
}

export interface FitCanvasHandle {
  viewport: Ref<{ width: number; height: number }>
  fit: ComputedRef<CanvasFit>
}

/**
 * Tracks the window size and recomputes the fit on resize. A resize listener is an event,
 * not a timer, so it adds nothing to the wall's steady-state work.
 */
export function useFitCanvas(designWidth = DESIGN_WIDTH, designHeight = DESIGN_HEIGHT): FitCanvasHandle {
  const viewport = ref({ width: window.innerWidth, height: window.innerHeight })
  const measure = (): void => {
    viewport.value = { width: window.innerWidth, height: window.innerHeight }
  }
  onMounted(() => {
    measure()
    window.addEventListener('resize', measure)
  })
  onUnmounted(() => window.removeEventListener('resize', measure))
  const fit = computed(() => fitCanvas(viewport.value.width, viewport.value.height, designWidth, designHeight))
  return { viewport, fit }
}
