import { onScopeDispose } from 'vue'

/** useLongPress calls cb when a pointer is held down for ms without lifting. */
export function useLongPress(ms: number, cb: () => void) {
  let timer: ReturnType<typeof setTimeout> | null = null
  const cancel = () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }
  const start = () => {
    cancel()
    timer = setTimeout(() => {
      timer = null
      cb()
    }, ms)
  }
  onScopeDispose(cancel)
  return {
    onPointerdown: start,
    onPointerup: cancel,
    onPointerleave: cancel,
    onPointercancel: cancel,
  }
}
