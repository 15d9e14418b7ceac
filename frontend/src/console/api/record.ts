// The representatives' record (履职档案) endpoints: the scoring rules, the ranking of a period
// and one representative's record, with their exports.
import { api } from '.'
import type { RecordRanking, RecordRules, RecordRulesView, RepRecord } from './types'

const enc = encodeURIComponent

export function getRecordRules(): Promise<RecordRulesView> {
  return api.get<RecordRulesView>('/record/rules')
}

/** saveRecordRules records a new version of the rules; a refusal is an ApiError with its code. */
export function saveRecordRules(rules: RecordRules): Promise<RecordRulesView> {
  return api.put<RecordRulesView>('/record/rules', rules)
}

/** recordRanking ranks the representatives of a station ("" for the whole street) in a period. */
export function recordRanking(period: string, station: string, signal?: AbortSignal): Promise<RecordRanking> {
  return api.get<RecordRanking>('/record/ranking', { query: { period, station: station || undefined }, signal })
}

export function repRecord(id: string, period: string, signal?: AbortSignal): Promise<RepRecord> {
  return api.get<RepRecord>(`/record/reps/${enc(id)}`, { query: { period }, signal })
}

/** The ranking's workbook, a link the browser downloads itself. */
export function rankingXlsxUrl(period: string, station: string): string {
  return api.url('/record/ranking.xlsx', { period, station: station || undefined })
}

/** A representative's annual record as a PDF, a link the browser downloads itself. */
export function annualPdfUrl(id: string, year: number): string {
  return api.url(`/record/reps/${enc(id)}/annual.pdf`, { year })
}

/** myRecord is the signed-in representative's own record (a representative account). */
export function myRecord(period: string, signal?: AbortSignal): Promise<RepRecord> {
  return api.get<RepRecord>('/record/me', { query: { period }, signal })
}
