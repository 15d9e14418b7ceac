import type { App } from 'vue'
import { ReportError } from './bindings/system'
import { errorKey } from './composables/useErrorText'
import { useToastStore } from './stores/toast'

type Translate = (key: string, params?: Record<string, string>) => string

/** describe gives the log a one-line account of any thrown value. */
export function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}${err.stack ? `\n${err.stack}` : ''}`
  return String(err)
}

/** report sends a frontend error to the Go log; reporting must never throw. */
export function report(view: string, err: unknown) {
  ReportError(view, describe(err)).catch(() => undefined)
}

function currentView(): string {
  const hash = globalThis.location?.hash ?? ''
  return hash.replace(/^#/, '') || '/'
}

/**
 * installErrorReporting routes every uncaught error to ReportError and shows a
 * friendly toast worded by the error's code, never the raw message.
 */
export function installErrorReporting(app: App, t: Translate) {
  const toast = () => useToastStore()
  const handle = (err: unknown) => {
    report(currentView(), err)
    toast().show(t(...errorKey(err)), 'error')
  }
  app.config.errorHandler = (err) => handle(err)
  globalThis.addEventListener?.('unhandledrejection', (e: PromiseRejectionEvent) => handle(e.reason))
  globalThis.addEventListener?.('error', (e: ErrorEvent) => report(currentView(), e.error ?? e.message))
}
