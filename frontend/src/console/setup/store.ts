import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { RefItem, RefKindName } from '../api/types'
import { useRefStore } from '../stores/ref'

/** The setup pages' copy of the reference items, per kind, retired ones included. */
export const useSetupStore = defineStore('console-setup', () => {
  const items = ref<Partial<Record<RefKindName, RefItem[]>>>({})
  const errors = ref<Partial<Record<RefKindName, unknown>>>({})
  const loading = ref<Partial<Record<RefKindName, boolean>>>({})
  const pending = new Map<RefKindName, Promise<void>>()

  /** load fetches a kind afresh; concurrent calls share one request. */
  function load(kind: RefKindName): Promise<void> {
    let p = pending.get(kind)
    if (!p) {
      loading.value = { ...loading.value, [kind]: true }
      p = api
        .listRefs(kind)
        .then((list) => {
          items.value = { ...items.value, [kind]: list }
          errors.value = { ...errors.value, [kind]: null }
        })
        .catch((err: unknown) => {
          errors.value = { ...errors.value, [kind]: err }
        })
        .finally(() => {
          pending.delete(kind)
          loading.value = { ...loading.value, [kind]: false }
        })
      pending.set(kind, p)
    }
    return p
  }

  /** ensure loads the kinds not loaded yet (the option lists of a form). */
  async function ensure(kinds: RefKindName[]): Promise<void> {
    await Promise.all(kinds.filter((k) => !items.value[k]).map(load))
  }

  function put(kind: RefKindName, keyField: string, item: RefItem) {
    const list = items.value[kind] ?? []
    const key = item[keyField]
    const i = list.findIndex((x) => x[keyField] === key)
    const next = i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x))
    items.value = { ...items.value, [kind]: next }
    // the desk's pickers read /ref: they load afresh next time
    useRefStore().loaded = false
  }

  /** save writes an item and keeps the hub's answer; it throws the hub's refusal unchanged. */
  async function save(kind: RefKindName, keyField: string, key: string, item: RefItem, create: boolean): Promise<{ item: RefItem; changed: boolean }> {
    const res = await api.putRef(kind, key, item, create)
    const saved = res?.item ?? item
    put(kind, keyField, saved)
    return { item: saved, changed: res?.changed !== false }
  }

  async function retire(kind: RefKindName, keyField: string, key: string): Promise<RefItem> {
    const saved = await api.retireRef(kind, key)
    put(kind, keyField, saved)
    return saved
  }

  async function restore(kind: RefKindName, keyField: string, key: string): Promise<RefItem> {
    const saved = await api.restoreRef(kind, key)
    put(kind, keyField, saved)
    return saved
  }

  return { items, errors, loading, load, ensure, put, save, retire, restore }
})
