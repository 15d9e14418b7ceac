import { afterEach } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import type { Component } from 'vue'
import { api } from '@/console/api'
import type { User } from '@/console/api/types'
import { useSessionStore } from '@/console/stores/session'
import { createRepI18n } from '../i18n'
import { createRepRouter } from '../router'

export const repUser: User = { login: 'zhangsan', name: '张三', role: 'representative', unit: '区人大代表', disabled: false, created: '2026-01-05T02:00:00Z', rep_id: 'HX01-R01' }

/**
 * repPage is a test file's phone workspace: setup(user) gives a fresh store and router with
 * `user` signed in, open mounts a page there, and what was opened is unmounted after each test.
 */
export function repPage() {
  let pinia: Pinia
  let router: Router
  let wrapper: VueWrapper | null = null
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
  })
  return {
    get router() {
      return router
    },
    setup(user: User | null) {
      pinia = createPinia()
      setActivePinia(pinia)
      const session = useSessionStore()
      session.user = user
      session.checked = true
      router = createRepRouter(createMemoryHistory())
      api.csrf = 'tok'
    },
    /** open goes to `path` and mounts `component` there, once its first fetches are answered. */
    async open(component: Component, path: string, props?: Record<string, unknown>) {
      await router.push(path)
      wrapper = mount(component, { props, attachTo: document.body, global: { plugins: [pinia, router, createRepI18n()] } })
      await flushPromises()
      return wrapper
    },
    unmount() {
      wrapper?.unmount()
      wrapper = null
    },
  }
}
