import { onBeforeUnmount, onMounted } from 'vue'

export type ShortcutMap = Partial<Record<string, (e: KeyboardEvent) => void>>

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  const tag = target.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag !== 'INPUT') return false
  const type = (target as HTMLInputElement).type
  return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'submit'
}

/** A dialog is open: its own keys (typing, Enter, Esc) win over the page's shortcuts. */
function dialogOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null
}

/**
 * shortcutKey returns the key a desk shortcut should see for e, or null when the key belongs
 * to something else (the user is typing, holds a modifier, or a dialog is open).
 */
export function shortcutKey(e: KeyboardEvent): string | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return null
  if (typingIn(e.target) || dialogOpen()) return null
  // Enter on a focused button or link means that button or link, not the selected row.
  if (e.key === 'Enter' && (e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement)) return null
  return e.key
}

/** useShortcuts binds single-key shortcuts on the window while the component is mounted. */
export function useShortcuts(map: ShortcutMap) {
  const onKey = (e: KeyboardEvent) => {
    const key = shortcutKey(e)
    if (key === null) return
    const h = map[key]
    if (!h) return
    e.preventDefault()
    h(e)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
