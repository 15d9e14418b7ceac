import { nextTick, watch } from 'vue'
import { ReportRendered } from '@/bindings/system'

// Module-level on purpose: the smoke test wants exactly one report per app run,
// however often the first screen is remounted.
let reported = false

/** useRenderedOnce calls ReportRendered(view) the first time ready() is true and painted. */
export function useRenderedOnce(view: string, ready: () => boolean) {
  if (reported) return
  watch(
    ready,
    async (ok) => {
      if (!ok || reported) return
      reported = true
      await nextTick()
      ReportRendered(view).catch(() => undefined)
    },
    { immediate: true },
  )
}
