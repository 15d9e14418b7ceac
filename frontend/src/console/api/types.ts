// Types of the hub's console API. The wire types are generated from the Go code of
// sync/hub/console (make api-types); only what the Go side has no type for is written here.

export * from './generated'
import type { AdminRefList, Me, Ref } from './generated'

/** The body of GET /me and POST /login. */
export type Session = Me

/** The body of GET /ref. */
export type RefLists = Ref

/** A case as the console shows it: every case the API sends is a list row. */
export type { CaseRow as Case } from './generated'

/** Filters of the desk's list, also the filters of the 问题清单 export (query parameters). */
export interface CaseFilters {
  state: string
  dept: string
  category: string
  community: string
  rep: string
  station: string
  /** An organisation node: only the cases of the stations beneath it. */
  node: string
  overdue: boolean
  /** Only the cases escalated (上报) to the account's area or beneath it. */
  escalated: boolean
  q: string
}

/** The reference kinds the setup pages edit (GET /admin/ref/{kind}). */
export const REF_KINDS = ['org_node', 'station', 'community', 'representative', 'department', 'category', 'activity', 'project', 'duty_roster', 'words', 'calendar'] as const
export type RefKindName = (typeof REF_KINDS)[number]

/** A reference item as the hub stores it: the JSON of its domain type, edited field by field. */
export type RefItem = AdminRefList['items'][number]
