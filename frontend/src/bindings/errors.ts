// Go errors reach the webview as a rejected Promise whose value is a JSON string
// {"code","message","params"}: a code registered in Go (sync/domain/codes.go), its
// parameters, and an English message for logs. AppError is the one error type the rest of
// the frontend sees; people are shown errors.<code> from the catalogue, never the message.
import catalogue from '@/i18n/messages.zh-CN.json'

/** ErrorCode is every code of the catalogue; a Go test keeps it equal to Go's registry. */
export type ErrorCode = keyof typeof catalogue.errors
/** StatusCode is what the sync status and a scan result report (status.<code>). */
export type StatusCode = keyof typeof catalogue.status
export type Params = Record<string, string>

export const errorCodes = Object.keys(catalogue.errors) as ErrorCode[]
export const statusCodes = Object.keys(catalogue.status) as StatusCode[]

export class AppError extends Error {
  readonly code: ErrorCode
  readonly params: Params

  constructor(code: ErrorCode, message: string, params: Params = {}) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.params = params
  }
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (errorCodes as readonly string[]).includes(v)
}

export function isStatusCode(v: unknown): v is StatusCode {
  return typeof v === 'string' && (statusCodes as readonly string[]).includes(v)
}

function paramsOf(v: unknown): Params {
  if (typeof v !== 'object' || v === null) return {}
  const out: Params = {}
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

function fromObject(o: unknown): AppError | null {
  if (typeof o !== 'object' || o === null) return null
  const rec = o as Record<string, unknown>
  if (typeof rec.code !== 'string') return null
  const message = typeof rec.message === 'string' ? rec.message : ''
  // An unknown code from a newer Go side is still an error the UI must show.
  if (!isErrorCode(rec.code)) return new AppError('internal', message || rec.code)
  return new AppError(rec.code, message || rec.code, paramsOf(rec.params))
}

/** toAppError turns whatever a binding rejected with into an AppError. */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw
  if (typeof raw === 'string') {
    const trimmed = raw.trim()
    if (trimmed.startsWith('{')) {
      try {
        const parsed = fromObject(JSON.parse(trimmed))
        if (parsed) return parsed
      } catch {
        // not JSON after all: fall through to a plain internal error
      }
    }
    return new AppError('internal', raw)
  }
  const obj = fromObject(raw)
  if (obj) return obj
  if (raw instanceof Error) return new AppError('internal', raw.message)
  return new AppError('internal', String(raw))
}
