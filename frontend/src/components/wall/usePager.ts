// Pages through a list that is longer than its panel, one page every periodMs, on the
// wall's animation clock. A list that fits never moves.
import { computed, ref, watch, type ComputedRef, type Ref } from 'vue'
import { useEvery } from '@/composables/useAnimationClock'

export interface Pager {
  page: Ref<number>
  pages: ComputedRef<number>
  /** Index range [start, end) of the current page. */
  range: ComputedRef<{ start: number; end: number }>
}

export function pageCount(count: number, pageSize: number): number {
  if (count <= 0 || pageSize <= 0) return 1
  return Math.ceil(count / pageSize)
}

export function usePager(count: () => number, size: number | (() => number), periodMs = 12_000): Pager {
  const pageSize = computed(() => (typeof size === 'number' ? size : size()))
  const page = ref(0)
  const pages = computed(() => pageCount(count(), pageSize.value))
  // A shorter list after a refetch must not leave the pager past its end.
  watch(pages, (n) => {
    if (page.value >= n) page.value = 0
  })
  useEvery(periodMs, () => {
    if (pages.value > 1) page.value = (page.value + 1) % pages.value
  })
  const range = computed(() => {
    const start = page.value * pageSize.value
    return { start, end: Math.min(count(), start + pageSize.value) }
  })
  return { page, pages, range }
}
