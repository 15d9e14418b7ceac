import { AppError, toAppError } from './errors'

// The generated Wails bindings are one-line functions of the form
// `window['go']['app'][Service][Method](...args)`. The typed wrappers call the
// same bridge by method name, so they work whichever service struct a method
// lives on and do not break the build before `wailsjs/` is generated.

type BoundFn = (...args: unknown[]) => Promise<unknown>
type ServiceTable = Record<string, Record<string, BoundFn | undefined> | undefined>

interface GoBridge {
  go?: { app?: ServiceTable }
}

function findMethod(method: string): BoundFn | null {
  const services = (globalThis as unknown as GoBridge).go?.app
  if (!services) return null
  for (const name of Object.keys(services)) {
    const fn = services[name]?.[method]
    if (typeof fn === 'function') return fn
  }
  return null
}

/** call invokes a bound Go method and converts any rejection into an AppError. */
export async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const fn = findMethod(method)
  if (!fn) {
    throw new AppError('internal', `bound method ${method} is not available`)
  }
  try {
    return (await fn(...args)) as T
  } catch (err) {
    throw toAppError(err)
  }
}
