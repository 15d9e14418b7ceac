// Go errors reach the webview as a rejected Promise whose value is a JSON string
// {"code","message"}. AppError is the one error type the rest of the frontend sees.

export const errorCodes = [
  'no_session',
  'consent_required',
  'invalid_input',
  'not_found',
  'illegal_transition',
  'store_failed',
  'not_demo',
  'locked',
  'device_unavailable',
  'hub_unreachable',
  'internal',
  // the technician screen's setup, worded by setup.errors.<code> (app/technician_setup.go)
  'pin_wrong',
  'unpaired',
  'test_busy',
  'pair_has_history',
  'pair_qr_invalid',
  'pairing_code_unknown',
  'pairing_code_expired',
  'pairing_code_used',
  'pairing_attempts_exceeded',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export class AppError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
  }
}

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (errorCodes as readonly string[]).includes(v)
}

function fromObject(o: unknown): AppError | null {
  if (typeof o !== 'object' || o === null) return null
  const rec = o as Record<string, unknown>
  if (typeof rec.code !== 'string') return null
  const message = typeof rec.message === 'string' ? rec.message : ''
  // An unknown code from a newer Go side is still an error the UI must show.
  return new AppError(isErrorCode(rec.code) ? rec.code : 'internal', message || rec.code)
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
