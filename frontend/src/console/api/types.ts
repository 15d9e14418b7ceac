// Types of the hub's console API (docs: the console API contract). Field names are the wire
// names; optional fields are the ones the hub leaves out when empty.

export type Role = 'admin' | 'staff' | 'department' | 'representative'

export interface User {
  login: string
  name: string
  role: Role
  dept_code?: string
  dept_name?: string
  rep_id?: string
  unit: string
  disabled: boolean
  created: string
}

export interface Session {
  user: User
  csrf: string
}

export type CaseState =
  | 'submitted'
  | 'accepted'
  | 'assigned'
  | 'in_progress'
  | 'returned'
  | 'replied'
  | 'reopened'
  | 'closed'
  | 'withdrawn'
  | 'merged'

export const CASE_STATES: readonly CaseState[] = [
  'submitted',
  'accepted',
  'assigned',
  'in_progress',
  'returned',
  'replied',
  'reopened',
  'closed',
  'withdrawn',
  'merged',
]

export type Sla = 'ok' | 'soon' | 'overdue'

export type Rating = 'satisfied' | 'basically' | 'unsatisfied'

/** A case as the hub projects it (domain.Case). */
export interface Case {
  id: string
  number: string
  station: string
  category: string
  text: string
  state: CaseState
  community?: string
  building?: string
  anonymous?: boolean
  surname_mask?: string
  rep_id?: string
  rep_name?: string
  co_handlers?: { rep_id: string; rep_name: string }[]
  dept_code?: string
  dept_name?: string
  due?: string
  reply?: string
  rating?: Rating
  rating_comment?: string
  closed_unrated?: boolean
  supervised_count?: number
  reopen_count?: number
  return_count?: number
  merged_into?: string
  submitted_at: string
  accepted_at?: string
  assigned_at?: string
  returned_at?: string
  replied_at?: string
  rated_at?: string
  reopened_at?: string
  closed_at?: string
  withdrawn_at?: string
  updated_at: string
  version: number
  // Present on the desk's list rows and on the case page.
  deadline?: string
  sla?: Sla
  category_name?: string
  summary?: string
}

export type CaseRow = Case & { summary: string }

export const TABS = ['to_accept', 'to_assign', 'due_today', 'overdue', 'awaiting_rating', 'returned', 'all'] as const
export type Tab = (typeof TABS)[number]

export type TabCounts = Partial<Record<Tab, number>>

export interface CaseList {
  cases: CaseRow[]
  total: number
  page: number
  per_page: number
  counts: TabCounts
}

export interface TimelineEntry {
  at: string
  kind: string
  actor: string
  text: string
}

export const ACTIONS = ['accept', 'assign', 'supervise', 'progress', 'reply', 'return', 'close', 'merge', 'reopen'] as const
export type Action = (typeof ACTIONS)[number]

export interface ActionInfo {
  action: Action
  allowed: boolean
  reason?: string
}

export interface CaseDetail {
  case: Case
  timeline: TimelineEntry[]
  status_url: string
  allowed: ActionInfo[]
}

/** The body of POST /cases/{id}/{action}. */
export interface ActionRequest {
  version: number
  note?: string
  reply?: string
  rep_id?: string
  dept_code?: string
  due?: string
  into?: string
}

export interface BulkResult {
  id: string
  ok: boolean
  code?: string
  message?: string
}

export interface RefStation {
  code: string
  name: string
  communities: string[]
}

export interface RefDepartment {
  code: string
  name: string
}

export interface RefCategory {
  code: string
  name: string
  accept_hours: number
  handle_days: number
}

export interface RefRepresentative {
  id: string
  name: string
  level: string
  stations: string[]
}

export interface RefLists {
  stations: RefStation[]
  departments: RefDepartment[]
  categories: RefCategory[]
  representatives: RefRepresentative[]
}

export interface NewUser {
  login: string
  name: string
  role: Role
  dept_code?: string
  rep_id?: string
  password: string
}

/** Filters of the desk's list, also the filters of the 问题清单 export. */
export interface CaseFilters {
  state: string
  dept: string
  category: string
  community: string
  rep: string
  station: string
  overdue: boolean
  q: string
}

export interface CategoryFigures {
  code: string
  name: string
  received: number
  closed: number
  overdue: number
}

export interface CommunityFigures {
  code?: string
  name: string
  received: number
  closed: number
  overdue: number
}

export interface DepartmentFigures {
  code: string
  name: string
  assigned: number
  on_time: number
  returned: number
  supervised: number
  avg_rating: number | null
}

export interface MonthlyReport {
  month: string
  received: number
  accepted_on_time: number
  handled_on_time: number
  satisfaction_rate: number | null
  by_category: CategoryFigures[]
  by_community: CommunityFigures[]
  by_department: DepartmentFigures[]
}

/** The data of an `event: case` message on the live stream. */
export interface CaseEvent {
  id: string
  number: string
  state: CaseState
  version: number
}
