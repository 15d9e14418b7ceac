import { defineStore } from 'pinia'
import { ref } from 'vue'

export interface Toast {
  id: number
  text: string
  kind: 'ok' | 'error'
}

const TOAST_MS = 4000

/** Page-wide bits of the console shell: overlays and short confirmations. */
export const useUiStore = defineStore('console-ui', () => {
  const helpOpen = ref(false)
  const passwordOpen = ref(false)
  const toasts = ref<Toast[]>([])
  let next = 1

  function toast(text: string, kind: Toast['kind'] = 'ok') {
    const id = next++
    toasts.value = [...toasts.value, { id, text, kind }]
    setTimeout(() => dismiss(id), TOAST_MS)
  }

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  return { helpOpen, passwordOpen, toasts, toast, dismiss }
})
