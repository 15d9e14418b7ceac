import { toAppError } from './errors'
import type { FromGo } from './models'

/**
 * guard wraps a generated binding so that whatever it rejects with (Go's `{code, message}`
 * string, or a TypeError outside the Wails webview where `window.go` does not exist) reaches
 * the caller as an AppError.
 */
export function guard<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<FromGo<R>> {
  return async (...args: A): Promise<FromGo<R>> => {
    try {
      // the values are what Go sent: FromGo only says null where the generated type says optional
      return (await fn(...args)) as FromGo<R>
    } catch (err) {
      throw toAppError(err)
    }
  }
}

/** list turns Go's null for an empty slice into []. */
export function list<T>(fn: () => Promise<T[] | null>): () => Promise<T[]>
export function list<A extends unknown[], T>(fn: (...args: A) => Promise<T[] | null>): (...args: A) => Promise<T[]>
export function list<A extends unknown[], T>(fn: (...args: A) => Promise<T[] | null>): (...args: A) => Promise<T[]> {
  return async (...args: A): Promise<T[]> => (await fn(...args)) ?? []
}
