// The console's one way to talk to the hub. Every failure becomes an ApiError {code, message}
// (the hub's own code, or network/http_<status> when the hub did not answer with one) so views
// word errors by code and never show a raw exception.

export const API_BASE = '/api/v1'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** One field's problem in a refusal that lists them (422 ref_refused). */
export interface ApiProblem {
  /** The JSON field name, "" for the whole item. */
  field: string
  code: string
  params?: Record<string, string>
  /** The hub's own wording, used when the console has none for the code. */
  message?: string
  /** Position of the write in a batch, and its key. */
  index?: number
  key?: string
}

export class ApiError extends Error {
  readonly code: string
  readonly status: number
  /** Seconds the hub asks to wait (Retry-After), for too_many_attempts. */
  readonly retryAfter: number | null
  /** Every field problem of a refused write; empty for other errors. */
  readonly problems: ApiProblem[]
  /** The parameters of the code's message (a test message's reason, a wrong field). */
  readonly params: Record<string, string>

  constructor(
    code: string,
    message: string,
    status: number,
    retryAfter: number | null = null,
    problems: ApiProblem[] = [],
    params: Record<string, string> = {},
  ) {
    super(message || code)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.retryAfter = retryAfter
    this.problems = problems
    this.params = params
  }
}

function problemsOf(v: unknown): ApiProblem[] {
  if (!Array.isArray(v)) return []
  const out: ApiProblem[] = []
  for (const p of v) {
    if (!p || typeof p !== 'object') continue
    const o = p as Record<string, unknown>
    if (typeof o.code !== 'string') continue
    out.push({
      field: typeof o.field === 'string' ? o.field : '',
      code: o.code,
      params: o.params && typeof o.params === 'object' ? (o.params as Record<string, string>) : undefined,
      message: typeof o.message === 'string' ? o.message : undefined,
      index: typeof o.index === 'number' ? o.index : undefined,
      key: typeof o.key === 'string' ? o.key : undefined,
    })
  }
  return out
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError
}

export type Query = Record<string, string | number | boolean | null | undefined>

/** queryString keeps only the parameters that say something (no empty strings, no false). */
export function queryString(params: Query): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue
    q.set(k, v === true ? '1' : String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

export interface RequestOptions {
  body?: unknown
  query?: Query
  signal?: AbortSignal
  /** false for calls whose 401 is an answer (login, the start-up session check), not an expiry. */
  redirectOn401?: boolean
}

export interface ClientOptions {
  base?: string
  /** Called once per 401 on an ordinary request: the session has ended. */
  onUnauthorized?: () => void
}

function retryAfterOf(res: Response): number | null {
  const v = res.headers.get('Retry-After')
  if (!v) return null
  const n = Number.parseInt(v, 10)
  return Number.isFinite(n) && n >= 0 ? n : null
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`
  let message = ''
  let problems: ApiProblem[] = []
  let params: Record<string, string> = {}
  try {
    const body = (await res.json()) as { code?: unknown; message?: unknown; problems?: unknown; params?: unknown }
    if (typeof body.code === 'string' && body.code) code = body.code
    if (typeof body.message === 'string') message = body.message
    problems = problemsOf(body.problems)
    if (body.params && typeof body.params === 'object') params = body.params as Record<string, string>
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  return new ApiError(code, message, res.status, retryAfterOf(res), problems, params)
}

export class ApiClient {
  readonly base: string
  /** The session's CSRF token, from login or /me; sent on every unsafe request. */
  csrf = ''
  onUnauthorized: (() => void) | null

  constructor(opts: ClientOptions = {}) {
    this.base = opts.base ?? API_BASE
    this.onUnauthorized = opts.onUnauthorized ?? null
  }

  /** url of an API path with a query, for links the browser follows itself (exports). */
  url(path: string, query: Query = {}): string {
    return `${this.base}${path}${queryString(query)}`
  }

  get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts)
  }

  post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...opts, body })
  }

  put<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, { ...opts, body })
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    let res = await this.send(method, path, opts)
    // A token that went stale (the hub restarted, another tab logged in again) is renewed
    // once from /me; a second refusal is a real one.
    if (res.status === 403 && UNSAFE.has(method)) {
      const err = await errorOf(res.clone())
      if (err.code === 'csrf' && (await this.renewCsrf())) res = await this.send(method, path, opts)
    }
    if (res.status === 401 && opts.redirectOn401 !== false) {
      const err = await errorOf(res)
      this.csrf = ''
      this.onUnauthorized?.()
      throw err
    }
    if (!res.ok) throw await errorOf(res)
    if (res.status === 204) return undefined as T
    const text = await res.text()
    if (!text) return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError('bad_response', '', res.status)
    }
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    // A form (a file upload) sets its own multipart type and boundary.
    const form = typeof FormData !== 'undefined' && opts.body instanceof FormData
    if (opts.body !== undefined && !form) headers['Content-Type'] = 'application/json'
    if (UNSAFE.has(method) && this.csrf) headers['X-CSRF-Token'] = this.csrf
    try {
      return await fetch(this.url(path, opts.query), {
        method,
        headers,
        credentials: 'include',
        body: opts.body === undefined ? undefined : form ? (opts.body as FormData) : JSON.stringify(opts.body),
        signal: opts.signal,
      })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw new ApiError('network', '', 0)
    }
  }

  private async renewCsrf(): Promise<boolean> {
    try {
      const res = await this.send('GET', '/me', {})
      if (!res.ok) return false
      const body = (await res.json()) as { csrf?: unknown }
      if (typeof body.csrf !== 'string' || !body.csrf) return false
      this.csrf = body.csrf
      return true
    } catch {
      return false
    }
  }
}

/** isAbort tells a cancelled request (a newer one replaced it) from a failure. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError'
}
