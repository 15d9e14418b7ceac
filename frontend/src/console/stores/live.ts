import { defineStore } from 'pinia'
import { ref } from 'vue'
import { EVENTS_URL } from '../api'
import type { CaseEvent } from '../api/types'

type Listener = (ev: CaseEvent | null) => void

// EventSource reconnects by itself after a dropped connection; it gives up only when the hub
// answers with an error (a session that ended, a restart in progress). Then we try again
// ourselves, less and less often.
const RETRY_MIN_MS = 2000
const RETRY_MAX_MS = 60000

export function parseCaseEvent(data: string): CaseEvent | null {
  try {
    const v = JSON.parse(data) as Partial<CaseEvent>
    if (typeof v.id !== 'string' || !v.id) return null
    return { id: v.id, number: String(v.number ?? ''), state: v.state as CaseEvent['state'], version: Number(v.version ?? 0) }
  } catch {
    return null
  }
}

/** The hub's live stream of case changes; listeners get null after a reconnect (resync). */
export const useLiveStore = defineStore('console-live', () => {
  const status = ref<'off' | 'connecting' | 'open' | 'down'>('off')
  const listeners = new Set<Listener>()
  let source: EventSource | null = null
  let retry = RETRY_MIN_MS
  let timer: ReturnType<typeof setTimeout> | null = null
  let wasDown = false

  function emit(ev: CaseEvent | null) {
    for (const l of listeners) l(ev)
  }

  function connect() {
    if (source || typeof EventSource === 'undefined') return
    status.value = 'connecting'
    const es = new EventSource(EVENTS_URL, { withCredentials: true })
    source = es
    es.onopen = () => {
      status.value = 'open'
      retry = RETRY_MIN_MS
      // changes made while we were away were never sent: look again
      if (wasDown) emit(null)
      wasDown = false
    }
    es.addEventListener('case', (e) => {
      const ev = parseCaseEvent((e as MessageEvent<string>).data)
      if (ev) emit(ev)
    })
    es.onerror = () => {
      status.value = 'down'
      wasDown = true
      if (es.readyState === EventSource.CLOSED) {
        es.close()
        source = null
        timer = setTimeout(() => {
          timer = null
          connect()
        }, retry)
        retry = Math.min(retry * 2, RETRY_MAX_MS)
      }
    }
  }

  function disconnect() {
    if (timer) clearTimeout(timer)
    timer = null
    source?.close()
    source = null
    status.value = 'off'
    wasDown = false
  }

  /** onCase registers a listener; the returned function removes it. */
  function onCase(l: Listener): () => void {
    listeners.add(l)
    return () => listeners.delete(l)
  }

  return { status, connect, disconnect, onCase }
})
