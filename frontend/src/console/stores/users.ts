import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api'
import type { NewUser, User } from '../api/types'

/** The hub's console accounts (admins only). */
export const useUsersStore = defineStore('console-users', () => {
  const users = ref<User[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)

  async function load() {
    loading.value = true
    try {
      users.value = await api.listUsers()
      error.value = null
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  async function create(u: NewUser): Promise<User> {
    const body: NewUser = { login: u.login.trim(), name: u.name.trim(), role: u.role, password: u.password }
    if (u.role === 'department' && u.dept_code) body.dept_code = u.dept_code
    if (u.role === 'representative' && u.rep_id) body.rep_id = u.rep_id
    if (u.node) body.node = u.node
    const made = await api.createUser(body)
    users.value = [...users.value, made]
    return made
  }

  async function disable(loginName: string) {
    await api.disableUser(loginName)
    users.value = users.value.map((u) => (u.login === loginName ? { ...u, disabled: true } : u))
  }

  function resetPassword(loginName: string, password: string) {
    return api.resetPassword(loginName, password)
  }

  return { users, loading, error, load, create, disable, resetPassword }
})
