// One schema per reference kind: the fields the setup pages show, how each is edited, and the
// checks the hub makes on them (domain.CheckRef), so most mistakes are caught before the save
// and the rest come back from the hub as field problems next to the same fields.
import type { RefItem, RefKindName } from '../api/types'
import { formatDate, formatDateTime } from '../time'

/** The kinds edited with the generic list and form. */
export type EditKind = 'station' | 'community' | 'representative' | 'department' | 'category' | 'activity' | 'project'

export type FieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'select'
  | 'multiselect'
  | 'datetime'
  | 'strings' // a list of short texts, one per line
  | 'milestones' // a project's milestones: title, due date, done

export interface Option {
  value: string
  /** Shown as is; labelKey is translated instead when set. */
  label: string
  labelKey?: string
}

/** What option lists may depend on: the other kinds' items and the item being edited. */
export interface OptionContext {
  refs: Partial<Record<RefKindName, RefItem[]>>
  item: RefItem
}

export interface FieldSchema {
  /** The JSON field of the item. */
  name: string
  type: FieldType
  /** i18n key of the label; setup.fields.<name> when left out. */
  labelKey?: string
  hintKey?: string
  required?: boolean
  /** Most characters of a text (of each line of a strings field, of a milestone's title). */
  max?: number
  /** Most lines of a strings field, most entries of a milestones field. */
  maxItems?: number
  /** Range of a number. */
  min?: number
  maxValue?: number
  /** The shape of a code or phone number. */
  pattern?: RegExp
  options?: (ctx: OptionContext) => Option[]
  /** A multiselect that also takes values typed in (a community not listed yet). */
  free?: boolean
  /** The item's key: typed when creating, fixed afterwards. */
  key?: boolean
}

/** A problem with one field (or with the item when field is ""), worded by its code. */
export interface FieldProblem {
  field: string
  code: string
  params?: Record<string, string>
  message?: string
}

export interface KindSchema {
  kind: EditKind
  /** The setup page's path. */
  path: string
  /** The key field. */
  key: string
  /** The field that names an item in lists and confirmations. */
  title: string
  /** The flag retiring sets: activities are cancelled, everything else retired. */
  retireField: 'retired' | 'cancelled'
  /** The other kinds whose items the options need. */
  needs: EditKind[]
  fields: FieldSchema[]
  /** Columns of the list, by field name. */
  columns: string[]
  /** A new, empty item. */
  blank: () => RefItem
  /** Checks across fields, after the field checks. */
  check?: (item: RefItem) => FieldProblem[]
  /** A free key for a new item, from the items there are (ids like HX01-R17). */
  nextKey?: (items: RefItem[], item: RefItem) => string
}

/** The levels of people's congress, highest first (domain.RepLevels). */
export const REP_LEVELS = ['全国', '省', '市', '区', '镇'] as const
export const GENDERS = ['男', '女'] as const
export const ACTIVITY_KINDS = ['接待日', '视察', '调研', '议事会', '培训', '座谈会'] as const
/** The pictures the kiosk draws for categories (components/kiosk/CategoryIcon.vue). */
export const CATEGORY_ICONS = ['leaf', 'traffic', 'bus', 'building', 'facility', 'lamp', 'safety', 'elder', 'heart', 'trash', 'person', 'calendar', 'pen', 'other'] as const

/** Codes: letters, digits, - and _, as the hub's case numbers and file names need. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/
/** A phone number: digits, with - or spaces between groups, an optional leading +. */
export const PHONE_PATTERN = /^\+?[0-9][0-9 -]{4,19}$/

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v))
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : [])
const items = (ctx: OptionContext, kind: RefKindName): RefItem[] => ctx.refs[kind] ?? []
const live = (it: RefItem): boolean => !it.retired && !it.cancelled

const plain = (values: readonly string[]): Option[] => values.map((v) => ({ value: v, label: v }))

/** Stations by code, named; retired ones only when the item already names them. */
function stationOptions(ctx: OptionContext, field: string): Option[] {
  const chosen = new Set(strs(ctx.item[field]).concat(str(ctx.item[field]) && !Array.isArray(ctx.item[field]) ? [str(ctx.item[field])] : []))
  return items(ctx, 'station')
    .filter((s) => live(s) || chosen.has(str(s.code)))
    .map((s) => ({ value: str(s.code), label: `${str(s.name)}（${str(s.code)}）` }))
}

/** Community names, those of the given stations first (all when none is given). */
function communityOptions(ctx: OptionContext, stations: string[]): Option[] {
  const all = items(ctx, 'community').filter(live)
  const mine = stations.length ? all.filter((c) => stations.includes(str(c.station))) : all
  const seen = new Set<string>()
  const out: Option[] = []
  for (const c of mine) {
    const name = str(c.name)
    if (name && !seen.has(name)) {
      seen.add(name)
      out.push({ value: name, label: name })
    }
  }
  return out
}

/** nextId proposes PREFIX-Lnn, one past the highest number used with that prefix. */
export function nextId(existing: RefItem[], prefix: string, letter: string): string {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${letter}(\\d+)$`)
  let high = 0
  let width = 2
  for (const it of existing) {
    const m = re.exec(str(it.id))
    if (!m?.[1]) continue
    high = Math.max(high, Number(m[1]))
    width = Math.max(width, m[1].length)
  }
  return `${prefix}-${letter}${String(high + 1).padStart(width, '0')}`
}

function stationOf(item: RefItem): string {
  return str(item.station) || strs(item.stations)[0] || ''
}

const idOf = (letter: string) => (existing: RefItem[], item: RefItem) => {
  const st = stationOf(item)
  return st ? nextId(existing, st, letter) : ''
}

function timeOrder(item: RefItem, from: string, to: string): FieldProblem[] {
  const a = Date.parse(str(item[from]))
  const b = Date.parse(str(item[to]))
  if (Number.isNaN(a) || Number.isNaN(b) || b > a) return []
  return [{ field: to, code: 'time_order', params: { after: from } }]
}

export const schemas: Record<EditKind, KindSchema> = {
  station: {
    kind: 'station',
    path: 'stations',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: ['community'],
    fields: [
      { name: 'code', type: 'text', required: true, key: true, max: 16, pattern: CODE_PATTERN, hintKey: 'setup.hints.code' },
      { name: 'name', type: 'text', required: true, max: 60 },
      { name: 'address', type: 'text', max: 120 },
      {
        name: 'communities',
        type: 'multiselect',
        free: true,
        max: 40,
        options: (ctx) => communityOptions(ctx, str(ctx.item.code) ? [str(ctx.item.code)] : []),
        hintKey: 'setup.hints.stationCommunities',
      },
      { name: 'hours', type: 'text', max: 60, hintKey: 'setup.hints.hours' },
    ],
    columns: ['code', 'name', 'address', 'communities', 'hours'],
    blank: () => ({ code: '', name: '', address: '', communities: [], hours: '' }),
  },
  community: {
    kind: 'community',
    path: 'communities',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: ['station'],
    fields: [
      { name: 'code', type: 'text', required: true, key: true, max: 16, pattern: CODE_PATTERN, hintKey: 'setup.hints.code' },
      { name: 'name', type: 'text', required: true, max: 40 },
      { name: 'station', type: 'select', required: true, options: (ctx) => stationOptions(ctx, 'station') },
    ],
    columns: ['code', 'name', 'station'],
    blank: () => ({ code: '', name: '', station: '' }),
  },
  representative: {
    kind: 'representative',
    path: 'representatives',
    key: 'id',
    title: 'name',
    retireField: 'retired',
    needs: ['station', 'community'],
    fields: [
      { name: 'stations', type: 'multiselect', required: true, options: (ctx) => stationOptions(ctx, 'stations') },
      { name: 'id', type: 'text', required: true, key: true, max: 24, pattern: CODE_PATTERN, labelKey: 'setup.fields.repId', hintKey: 'setup.hints.repId' },
      { name: 'name', type: 'text', required: true, max: 20 },
      { name: 'gender', type: 'select', required: true, options: () => plain(GENDERS) },
      { name: 'level', type: 'select', required: true, options: () => REP_LEVELS.map((l) => ({ value: l, label: l, labelKey: `setup.levels.${l}` })) },
      { name: 'constituency', type: 'text', max: 40 },
      {
        name: 'communities',
        type: 'multiselect',
        free: true,
        max: 40,
        options: (ctx) => communityOptions(ctx, strs(ctx.item.stations)),
        labelKey: 'setup.fields.repCommunities',
      },
      { name: 'title', type: 'text', max: 60, labelKey: 'setup.fields.repTitle' },
      { name: 'phone', type: 'text', max: 20, pattern: PHONE_PATTERN, hintKey: 'setup.hints.repPhone' },
      { name: 'profile', type: 'textarea', max: 1000, hintKey: 'setup.hints.profile' },
    ],
    columns: ['id', 'name', 'level', 'constituency', 'title', 'stations'],
    blank: () => ({ id: '', name: '', gender: '', level: '', constituency: '', communities: [], title: '', stations: [], photo_seed: 0, profile: '', phone: '' }),
    nextKey: idOf('R'),
  },
  department: {
    kind: 'department',
    path: 'departments',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: [],
    fields: [
      { name: 'code', type: 'text', required: true, key: true, max: 16, pattern: CODE_PATTERN, hintKey: 'setup.hints.code' },
      { name: 'name', type: 'text', required: true, max: 60 },
      { name: 'contact', type: 'text', max: 20 },
      { name: 'phone', type: 'text', max: 20, pattern: PHONE_PATTERN, labelKey: 'setup.fields.deptPhone' },
    ],
    columns: ['code', 'name', 'contact', 'phone'],
    blank: () => ({ code: '', name: '', contact: '', phone: '' }),
  },
  category: {
    kind: 'category',
    path: 'categories',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: [],
    fields: [
      { name: 'code', type: 'text', required: true, key: true, max: 16, pattern: CODE_PATTERN, hintKey: 'setup.hints.code' },
      { name: 'name', type: 'text', required: true, max: 20 },
      { name: 'icon', type: 'select', required: true, options: () => CATEGORY_ICONS.map((i) => ({ value: i, label: i, labelKey: `setup.icons.${i}` })) },
      { name: 'order', type: 'number', min: 0, maxValue: 999, hintKey: 'setup.hints.order' },
      { name: 'templates', type: 'strings', max: 40, maxItems: 20, hintKey: 'setup.hints.templates' },
      { name: 'accept_hours', type: 'number', min: 0, maxValue: 720, hintKey: 'setup.hints.acceptHours' },
      { name: 'handle_days', type: 'number', min: 0, maxValue: 365, hintKey: 'setup.hints.handleDays' },
    ],
    columns: ['order', 'code', 'name', 'templates', 'accept_hours', 'handle_days'],
    blank: () => ({ code: '', name: '', icon: 'other', templates: [], order: 0 }),
  },
  activity: {
    kind: 'activity',
    path: 'activities',
    key: 'id',
    title: 'title',
    retireField: 'cancelled',
    needs: ['station'],
    fields: [
      { name: 'station', type: 'select', required: true, options: (ctx) => stationOptions(ctx, 'station') },
      { name: 'id', type: 'text', required: true, key: true, max: 24, pattern: CODE_PATTERN, labelKey: 'setup.fields.activityId' },
      { name: 'title', type: 'text', required: true, max: 60 },
      { name: 'kind', type: 'select', required: true, options: () => plain(ACTIVITY_KINDS), labelKey: 'setup.fields.activityKind' },
      { name: 'place', type: 'text', required: true, max: 60 },
      { name: 'starts', type: 'datetime', required: true },
      { name: 'ends', type: 'datetime', required: true },
      { name: 'capacity', type: 'number', min: 0, maxValue: 10000, hintKey: 'setup.hints.capacity' },
      { name: 'signup_opens', type: 'datetime', hintKey: 'setup.hints.signupOpens' },
      { name: 'signup_closes', type: 'datetime', hintKey: 'setup.hints.signupCloses' },
      { name: 'description', type: 'textarea', max: 1000 },
    ],
    columns: ['starts', 'title', 'kind', 'place', 'capacity', 'station'],
    blank: () => ({ id: '', station: '', title: '', kind: '', place: '', starts: '', ends: '', capacity: 0, description: '' }),
    check: (it) => [...timeOrder(it, 'starts', 'ends'), ...timeOrder(it, 'signup_opens', 'signup_closes')],
    nextKey: idOf('A'),
  },
  project: {
    kind: 'project',
    path: 'projects',
    key: 'id',
    title: 'name',
    retireField: 'retired',
    needs: ['station'],
    fields: [
      { name: 'station', type: 'select', required: true, options: (ctx) => stationOptions(ctx, 'station') },
      { name: 'id', type: 'text', required: true, key: true, max: 24, pattern: CODE_PATTERN, labelKey: 'setup.fields.projectId' },
      { name: 'name', type: 'text', required: true, max: 60, labelKey: 'setup.fields.projectName' },
      { name: 'progress', type: 'number', min: 0, maxValue: 100, hintKey: 'setup.hints.progress' },
      { name: 'milestones', type: 'milestones', max: 40, maxItems: 20 },
    ],
    columns: ['id', 'name', 'progress', 'milestones', 'station'],
    blank: () => ({ id: '', station: '', name: '', progress: 0, milestones: [] }),
    nextKey: idOf('P'),
  },
}

export const editKinds = Object.keys(schemas) as EditKind[]

export function schemaOf(kind: EditKind): KindSchema {
  return schemas[kind]
}

export function labelKey(f: FieldSchema): string {
  return f.labelKey ?? `setup.fields.${f.name}`
}

/** keyOf is an item's key (its code or id). */
export function keyOf(s: KindSchema, item: RefItem): string {
  return str(item[s.key])
}

export function isRetired(s: KindSchema, item: RefItem): boolean {
  return item[s.retireField] === true
}

/** chars counts characters as a person does (a Chinese character is one). */
export function chars(s: string): number {
  return [...s].length
}

function empty(f: FieldSchema, v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (typeof v === 'string') return v.trim() === ''
  if (Array.isArray(v)) return v.length === 0
  return false
}

/**
 * checkItem makes the hub's checks of one item's own fields: required, length, range, shape,
 * time order. The hub makes them again (and the ones across items: duplicates, references).
 */
export function checkItem(s: KindSchema, item: RefItem): FieldProblem[] {
  const out: FieldProblem[] = []
  for (const f of s.fields) {
    const v = item[f.name]
    if (empty(f, v)) {
      if (f.required) out.push({ field: f.name, code: 'field_required' })
      continue
    }
    switch (f.type) {
      case 'text':
      case 'textarea':
      case 'select':
      case 'datetime': {
        const text = str(v).trim()
        if (f.max && chars(text) > f.max) out.push({ field: f.name, code: 'field_too_long', params: { max: String(f.max) } })
        else if (f.pattern && !f.pattern.test(text)) out.push({ field: f.name, code: 'field_format' })
        else if (f.type === 'datetime' && Number.isNaN(Date.parse(text))) out.push({ field: f.name, code: 'field_format' })
        break
      }
      case 'number': {
        const n = typeof v === 'number' ? v : Number(v)
        if (!Number.isInteger(n)) out.push({ field: f.name, code: 'field_not_integer' })
        else if ((f.min !== undefined && n < f.min) || (f.maxValue !== undefined && n > f.maxValue))
          out.push({ field: f.name, code: 'field_range', params: { min: String(f.min ?? 0), max: String(f.maxValue ?? '') } })
        break
      }
      case 'multiselect':
      case 'strings': {
        const list = strs(v)
        if (f.maxItems && list.length > f.maxItems) out.push({ field: f.name, code: 'field_too_many', params: { max: String(f.maxItems) } })
        const long = list.find((x) => f.max && chars(x) > f.max)
        if (long !== undefined) out.push({ field: f.name, code: 'field_too_long', params: { max: String(f.max) } })
        if (new Set(list).size !== list.length) out.push({ field: f.name, code: 'field_repeated' })
        break
      }
      case 'milestones': {
        const list = Array.isArray(v) ? (v as RefItem[]) : []
        if (f.maxItems && list.length > f.maxItems) out.push({ field: f.name, code: 'field_too_many', params: { max: String(f.maxItems) } })
        list.forEach((m, i) => {
          const n = String(i + 1)
          if (!str(m.title).trim()) out.push({ field: f.name, code: 'milestone_title_required', params: { n } })
          else if (f.max && chars(str(m.title)) > f.max) out.push({ field: f.name, code: 'milestone_title_too_long', params: { n, max: String(f.max) } })
          if (Number.isNaN(Date.parse(str(m.due)))) out.push({ field: f.name, code: 'milestone_due_required', params: { n } })
        })
        break
      }
    }
  }
  return out.concat(s.check?.(item) ?? [])
}

/**
 * tidy is the item as it is sent: texts trimmed, empty lines and repeated entries of lists
 * dropped, numbers as numbers, empty optional times left out (the hub's zero time).
 * Fields the form does not show (photo, photo_seed …) pass through unchanged.
 */
export function tidy(s: KindSchema, item: RefItem): RefItem {
  const out: RefItem = { ...item }
  for (const f of s.fields) {
    const v = out[f.name]
    switch (f.type) {
      case 'text':
      case 'textarea':
      case 'select':
        out[f.name] = str(v).trim()
        break
      case 'number':
        out[f.name] = v === '' || v === undefined || v === null ? 0 : Number(v)
        break
      case 'datetime':
        if (!str(v).trim()) delete out[f.name]
        break
      case 'multiselect':
      case 'strings':
        out[f.name] = [...new Set(strs(v).map((x) => x.trim()).filter(Boolean))]
        break
      case 'milestones':
        out[f.name] = (Array.isArray(v) ? (v as RefItem[]) : []).map((m) => ({ title: str(m.title).trim(), due: str(m.due), done: m.done === true }))
        break
    }
  }
  return out
}

/** cellText is how a field reads in a list cell. */
export function cellText(s: KindSchema, field: string, item: RefItem, refs: Partial<Record<RefKindName, RefItem[]>> = {}): string {
  const f = s.fields.find((x) => x.name === field)
  const v = item[field]
  if (!f) return str(v)
  switch (f.type) {
    case 'datetime':
      return formatDateTime(str(v))
    case 'multiselect':
    case 'strings':
      return strs(v).map((x) => (f.name === 'stations' ? stationName(refs, x) : x)).join('、')
    case 'milestones': {
      const list = Array.isArray(v) ? (v as RefItem[]) : []
      return list.map((m) => `${str(m.title)} ${formatDate(str(m.due))}${m.done ? ' ✓' : ''}`).join('；')
    }
    case 'select':
      return f.name === 'station' ? stationName(refs, str(v)) : str(v)
    default:
      return str(v)
  }
}

function stationName(refs: Partial<Record<RefKindName, RefItem[]>>, code: string): string {
  const s = (refs.station ?? []).find((x) => str(x.code) === code)
  return s ? str(s.name) : code
}

/** matches tells whether an item has the search text in any of its list columns or its key. */
export function matches(s: KindSchema, item: RefItem, q: string, refs: Partial<Record<RefKindName, RefItem[]>> = {}): boolean {
  const needle = q.trim().toLowerCase()
  if (!needle) return true
  const cols = new Set([s.key, s.title, ...s.columns])
  for (const c of cols) if (cellText(s, c, item, refs).toLowerCase().includes(needle)) return true
  return false
}

/** options of a select or multiselect, with the values the item already holds kept in. */
export function fieldOptions(f: FieldSchema, ctx: OptionContext): Option[] {
  const opts = f.options?.(ctx) ?? []
  const have = new Set(opts.map((o) => o.value))
  const v = ctx.item[f.name]
  const current = Array.isArray(v) ? strs(v) : str(v) ? [str(v)] : []
  // a value no longer offered (a retired station, an old level) still shows, so a save keeps it
  for (const c of current) if (!have.has(c)) opts.push({ value: c, label: c })
  return opts
}

/** problemsByField groups problems for showing next to their fields ("" for the item). */
export function problemsByField(ps: FieldProblem[]): Record<string, FieldProblem[]> {
  const out: Record<string, FieldProblem[]> = {}
  for (const p of ps) (out[p.field] ??= []).push(p)
  return out
}
