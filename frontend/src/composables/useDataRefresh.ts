import { onScopeDispose } from 'vue'
import { useEvent } from './useEvent'

/**
 * useDataRefresh calls fn again when the station's data has changed (board:changed: a write
 * here, or a page of events from the hub, such as the hub's answer to a sign-up), at most
 * once per ms: a burst of changes is one refetch, ms after its first.
 */
export function useDataRefresh(fn: () => unknown, ms = 1500) {
  let timer: ReturnType<typeof setTimeout> | null = null
  useEvent('board:changed', () => {
    if (timer !== null) return
    timer = setTimeout(() => {
      timer = null
      void fn()
    }, ms)
  })
  onScopeDispose(() => {
    if (timer !== null) clearTimeout(timer)
  })
}
