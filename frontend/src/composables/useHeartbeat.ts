import { onMounted, onUnmounted } from 'vue'
import { Heartbeat } from '@/bindings/system'

/** How often the window tells Go it is alive; Go reloads it after 60 s of silence (app/frontwatch.go). */
export const HEARTBEAT_MS = 5000

/**
 * startHeartbeat calls send now and every HEARTBEAT_MS until the returned stop is called. The
 * calls run on the page's own timer, so a hung script or a dead web process stops them; a
 * failed call is dropped, the next one tries again.
 */
export function startHeartbeat(send: () => Promise<void> = Heartbeat): () => void {
  const beat = () => {
    send().catch(() => undefined)
  }
  beat()
  const id = setInterval(beat, HEARTBEAT_MS)
  return () => clearInterval(id)
}

/** useHeartbeat keeps the heartbeat going while the component is mounted (the app root). */
export function useHeartbeat() {
  let stop: (() => void) | undefined
  onMounted(() => {
    stop = startHeartbeat()
  })
  onUnmounted(() => stop?.())
}
