import { ref, type Ref } from 'vue'
import { toAppError } from '@/bindings/errors'

/**
 * useBusy marks a store busy while one of its calls to Go runs, so screens can disable their
 * buttons, and turns whatever the call throws into an AppError.
 */
export function useBusy(): { busy: Ref<boolean>; run: <T>(fn: () => Promise<T>) => Promise<T> } {
  const busy = ref(false)
  async function run<T>(fn: () => Promise<T>): Promise<T> {
    busy.value = true
    try {
      return await fn()
    } catch (err) {
      throw toAppError(err)
    } finally {
      busy.value = false
    }
  }
  return { busy, run }
}
