import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { Locale } from '@/bindings/models'

const storageKey = 'liaison.settings.v1'

interface Persisted {
  largeText: boolean
  locale: Locale
}

function load(): Partial<Persisted> {
  try {
    const raw = globalThis.localStorage?.getItem(storageKey)
    if (!raw) return {}
    const parsed: unknown = JSON.parse(raw)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<Persisted>) : {}
  } catch {
    return {}
  }
}

/** Large-text scale; applied to the document as --text-scale. */
export const largeTextScale = 1.25

export const useSettingsStore = defineStore('settings', () => {
  const saved = load()
  const largeText = ref(saved.largeText === true)
  const locale = ref<Locale>(saved.locale === 'en' ? 'en' : 'zh-CN')

  watch([largeText, locale], () => {
    try {
      const data: Persisted = { largeText: largeText.value, locale: locale.value }
      globalThis.localStorage?.setItem(storageKey, JSON.stringify(data))
    } catch {
      // storage may be unavailable (private mode); the setting then lasts for this run only
    }
  })

  const textScale = computed(() => (largeText.value ? largeTextScale : 1))

  function toggleLargeText() {
    largeText.value = !largeText.value
  }

  return { largeText, locale, textScale, toggleLargeText }
})
