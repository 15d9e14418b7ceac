import { defineStore } from 'pinia'
import { ref } from 'vue'

export interface Toast {
  id: number
  text: string
  kind: 'info' | 'error' | 'success'
}

export const toastMillis = 5000
const maxToasts = 3

/** Short messages at the bottom of the screen; at most three at once. */
export const useToastStore = defineStore('toast', () => {
  const items = ref<Toast[]>([])
  let nextId = 1

  function dismiss(id: number) {
    items.value = items.value.filter((t) => t.id !== id)
  }

  function show(text: string, kind: Toast['kind'] = 'info') {
    const id = nextId++
    items.value = [...items.value, { id, text, kind }].slice(-maxToasts)
    setTimeout(() => dismiss(id), toastMillis)
    return id
  }

  return { items, show, dismiss }
})
