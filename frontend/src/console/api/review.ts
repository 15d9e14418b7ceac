// The 工作评议 endpoints: the departments' figures of a period with their cases, and the 评议
// sessions with their publication.
import { api } from '.'
import type {
  ReviewCases,
  ReviewFigures,
  ReviewSession,
  ReviewSessionDetail,
  ReviewSessionInput,
  ReviewSessions,
} from './types'

const enc = encodeURIComponent

/** reviewFigures are every department's figures for a period key (2026-11, 2026-Q4, 2026, a..b). */
export function reviewFigures(period: string, signal?: AbortSignal): Promise<ReviewFigures> {
  return api.get<ReviewFigures>('/reviews/figures', { query: { period }, signal })
}

export function reviewCases(dept: string, period: string, signal?: AbortSignal): Promise<ReviewCases> {
  return api.get<ReviewCases>(`/reviews/figures/${enc(dept)}/cases`, { query: { period }, signal })
}

export async function listReviews(): Promise<ReviewSession[]> {
  return (await api.get<ReviewSessions>('/reviews')).sessions
}

export function getReview(id: string): Promise<ReviewSessionDetail> {
  return api.get<ReviewSessionDetail>(`/reviews/${enc(id)}`)
}

/** saveReview creates a session (no id) or saves it over the version the editor saw. */
export function saveReview(id: string | null, input: ReviewSessionInput): Promise<ReviewSession> {
  return id ? api.put<ReviewSession>(`/reviews/${enc(id)}`, input) : api.post<ReviewSession>('/reviews', input)
}

export function publishReview(id: string, version: number): Promise<ReviewSession> {
  return api.post<ReviewSession>(`/reviews/${enc(id)}/publish`, { version })
}

/** The street's public page of a published ranking, served by the hub. */
export function publicRankingUrl(id: string): string {
  return `/pingyi/${enc(id)}`
}
