import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api'
import type { RefCategory, RefLists, RefRep } from '../api/types'
import { indent, inTreeOrder } from '../orgTree'

const EMPTY: RefLists = { nodes: [], stations: [], departments: [], categories: [], representatives: [] }

/** The pickers' lists (stations, departments, categories, representatives), loaded once. */
export const useRefStore = defineStore('console-ref', () => {
  const lists = ref<RefLists>(EMPTY)
  const loaded = ref(false)
  let pending: Promise<void> | null = null

  function ensure(): Promise<void> {
    if (loaded.value) return Promise.resolve()
    if (!pending) {
      pending = api
        .refLists()
        .then((l) => {
          lists.value = {
            nodes: l.nodes ?? [],
            stations: l.stations ?? [],
            departments: l.departments ?? [],
            categories: l.categories ?? [],
            representatives: l.representatives ?? [],
          }
          loaded.value = true
        })
        .finally(() => {
          pending = null
        })
    }
    return pending
  }

  const communities = computed(() => {
    const seen = new Set<string>()
    for (const s of lists.value.stations) for (const c of s.communities ?? []) seen.add(c)
    return [...seen]
  })

  const deptName = (code?: string) => lists.value.departments.find((d) => d.code === code)?.name ?? code ?? ''
  const stationName = (code?: string) => lists.value.stations.find((s) => s.code === code)?.name ?? code ?? ''
  const category = (code?: string): RefCategory | undefined => lists.value.categories.find((c) => c.code === code)
  const nodeName = (code?: string) => lists.value.nodes.find((n) => n.code === code)?.name ?? code ?? ''
  const repName = (id?: string) => lists.value.representatives.find((r) => r.id === id)?.name ?? id ?? ''

  /** The representatives of a station first, then everyone else. */
  function repsFor(station: string): { local: RefRep[]; others: RefRep[] } {
    const local: RefRep[] = []
    const others: RefRep[] = []
    for (const r of lists.value.representatives) ((r.stations ?? []).includes(station) ? local : others).push(r)
    return { local, others }
  }

  /** The areas an account may pick to narrow its view: every node it sees, in tree order, indented. */
  const areas = computed(() => inTreeOrder(lists.value.nodes).map(({ node, depth }) => ({ code: node.code, label: indent(node.name, depth) })))

  return { lists, loaded, ensure, communities, deptName, stationName, nodeName, category, repName, repsFor, areas }
})
