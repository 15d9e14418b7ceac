// The phone workspace's 值班 and the login by the kiosk's QR: the calls to the hub and the
// reading of the ticket from the address the QR holds.
import { api } from '@/console/api'
import type { DutySwap, RepDuty, Session, SwapRequest } from '@/console/api/types'

export function repDuty(signal?: AbortSignal): Promise<RepDuty> {
  return api.get<RepDuty>('/rep/duty', { signal })
}

export function requestSwap(req: SwapRequest): Promise<DutySwap> {
  return api.post<DutySwap>('/rep/duty/swaps', req)
}

/**
 * ticketLogin trades a kiosk's one-time ticket for a session (the same cookie and CSRF token
 * as a password login). Its refusals are answers, not an expired session.
 */
export async function ticketLogin(ticket: string): Promise<Session> {
  const s = await api.post<Session>('/rep/ticket', { ticket }, { redirectOn401: false })
  api.csrf = s.csrf
  return s
}

/**
 * ticketFromAddress is the ticket of a kiosk's login QR, which points at <hub>/m/login?t=…;
 * null for any other address. The page then moves the ticket into its own route (#/ticket), so
 * the address bar and the history keep no working ticket once it is used.
 */
export function ticketFromAddress(loc: { pathname: string; search: string }): { base: string; ticket: string } | null {
  const m = /^(.*\/)login\/?$/.exec(loc.pathname)
  const ticket = new URLSearchParams(loc.search).get('t')
  if (!m || !ticket) return null
  return { base: m[1] ?? '/', ticket }
}
