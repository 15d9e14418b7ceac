import { onScopeDispose } from 'vue'
import { on, type EventName, type EventPayloads } from '@/events'

/** useEvent subscribes for the lifetime of the calling component or effect scope. */
export function useEvent<K extends EventName>(name: K, cb: (payload: EventPayloads[K]) => void) {
  const off = on(name, cb)
  onScopeDispose(off)
  return off
}
