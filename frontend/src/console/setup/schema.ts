// One schema per reference kind: the fields the setup pages show, how each is edited, and the
// checks the hub makes on them (domain.CheckRef), so most mistakes are caught before the save
// and the rest come back from the hub as field problems next to the same fields.
import type { RefItem, RefKindName } from '../api/types'
import { formatDate, formatDateTime } from '../time'
import { indent, inTreeOrder } from '../orgTree'

/** The kinds edited with the generic list and form. */
export type EditKind = 'org_node' | 'station' | 'community' | 'representative' | 'department' | 'category' | 'activity' | 'project'

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
  /** Range of a number; zeroOK lets 0 stand for "the default". */
  min?: number
  maxValue?: number
  zeroOK?: boolean
  /** The shape the hub requires of a code, a station code or a phone number. */
  format?: 'code' | 'station' | 'phone'
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

/** The levels of the organisation tree, highest first (domain.OrgLevels). */
export const ORG_LEVELS = ['city', 'district', 'street'] as const
const orgRank = (level: unknown): number => (ORG_LEVELS as readonly string[]).indexOf(str(level))

/** The levels of people's congress, highest first (domain.RepLevels). */
export const REP_LEVELS = ['全国', '省', '市', '区', '镇'] as const
export const GENDERS = ['男', '女'] as const
export const ACTIVITY_KINDS = ['接待日', '视察', '调研', '议事会', '培训', '座谈会'] as const
/** The pictures the kiosk draws for categories (components/kiosk/CategoryIcon.vue). */
export const CATEGORY_ICONS = ['leaf', 'traffic', 'bus', 'building', 'facility', 'lamp', 'safety', 'elder', 'heart', 'trash', 'person', 'calendar', 'pen', 'other'] as const

/** Bounds of the hub's checks (sync/domain: MaxNameRunes, MaxAddressRunes, MaxTextRunes …). */
export const MAX_NAME = 64
export const MAX_ADDRESS = 100
export const MAX_TEXT = 2000
export const MAX_TITLE = 128
export const MAX_LIST = 200
export const MAX_WORD = 32
export const MAX_WORDS = 5000

/** A reference code or id (domain.IsRefID): letters, digits and . _ : -, not starting with . _ : -. */
export const isRefId = (s: string): boolean => s.length <= 64 && /^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(s)
/** A station code (domain.IsStationCode): capitals, digits and -, at most 16. */
export const isStationCode = (s: string): boolean => s.length <= 16 && /^[A-Z0-9][A-Z0-9-]*$/.test(s)
/** A phone number as the hub takes it: digits (at least 7), spaces, -, a leading +; at most 20. */
export const isPhone = (s: string): boolean => s.length <= 20 && /^\+?[0-9 -]*$/.test(s) && s.replace(/\D/g, '').length >= 7

const FORMAT: Record<NonNullable<FieldSchema['format']>, [(s: string) => boolean, string]> = {
  code: [isRefId, 'field_bad_code'],
  station: [isStationCode, 'field_bad_station'],
  phone: [isPhone, 'field_bad_phone'],
}

/** domain.RepLevel: "区" or "区人大代表" (and 乡镇) name the same level. */
export function repLevel(s: string): string | null {
  let l = s.endsWith('人大代表') ? s.slice(0, -'人大代表'.length) : s
  if (l === '乡镇') l = '镇'
  return (REP_LEVELS as readonly string[]).includes(l) ? l : null
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v))
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : [])
const items = (ctx: OptionContext, kind: RefKindName): RefItem[] => ctx.refs[kind] ?? []
const live = (it: RefItem): boolean => !it.retired && !it.cancelled
const instant = (v: unknown): number | null => {
  const n = Date.parse(str(v))
  return Number.isNaN(n) ? null : n
}

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

/**
 * servedCommunities are the communities a representative of the given stations may name, as
 * the hub checks them: each station's own list and the community items of those stations.
 */
function servedCommunities(ctx: OptionContext, stations: string[]): Option[] {
  const seen = new Set<string>()
  const out: Option[] = []
  const add = (name: string) => {
    if (name && !seen.has(name)) {
      seen.add(name)
      out.push({ value: name, label: name })
    }
  }
  for (const st of items(ctx, 'station')) if (stations.includes(str(st.code))) strs(st.communities).forEach(add)
  for (const o of communityOptions(ctx, stations)) add(o.value)
  return out
}

/** stationReps are the serving representatives of a station, to invite to its activities. */
function stationReps(ctx: OptionContext, station: string): Option[] {
  return items(ctx, 'representative')
    .filter((r) => live(r) && strs(r.stations).includes(station))
    .map((r) => ({ value: str(r.id), label: `${str(r.name)}（${str(r.id)}）` }))
}

/**
 * Organisation nodes by code, named and indented under their parents; only those of the
 * levels a field may name (a station belongs to a street), and never the item itself.
 */
function nodeOptions(ctx: OptionContext, field: string, levels: readonly string[], self = ''): Option[] {
  const chosen = str(ctx.item[field])
  const nodes = items(ctx, 'org_node')
    .filter((n) => (live(n) || str(n.code) === chosen) && str(n.code) !== self)
    .map((n) => ({ code: str(n.code), parent: str(n.parent), name: str(n.name), level: str(n.level) }))
  return inTreeOrder(nodes)
    .filter(({ node }) => levels.includes(node.level))
    .map(({ node, depth }) => ({ value: node.code, label: indent(`${node.name}（${node.code}）`, depth) }))
}

/** The parent a node may have: a node of a higher level. */
function parentOptions(ctx: OptionContext): Option[] {
  const rank = orgRank(ctx.item.level)
  const higher = rank < 0 ? ORG_LEVELS : ORG_LEVELS.slice(0, rank)
  return nodeOptions(ctx, 'parent', higher, str(ctx.item.code))
}

/** A node is not its own parent (the hub also checks the parent is of a higher level). */
function orgParent(item: RefItem): FieldProblem[] {
  const parent = str(item.parent)
  return parent && parent === str(item.code) ? [{ field: 'parent', code: 'ref_org_parent' }] : []
}

/** The node field of stations (a street), departments and categories (any level; none for the whole hub). */
const NODE_FIELD = (levels: readonly string[], hintKey: string): FieldSchema => ({
  name: 'node',
  type: 'select',
  options: (ctx) => nodeOptions(ctx, 'node', levels),
  labelKey: 'setup.fields.node',
  hintKey,
})

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

/** The activity's times in order, as the hub checks them (ref_ends_before_starts, ref_signup_window). */
function activityTimes(item: RefItem): FieldProblem[] {
  const starts = instant(item.starts)
  const ends = instant(item.ends)
  if (starts === null || ends === null) return []
  if (ends <= starts) return [{ field: 'ends', code: 'ref_ends_before_starts' }]
  const out: FieldProblem[] = []
  const opens = instant(item.signup_opens)
  const closes = instant(item.signup_closes)
  if (opens !== null && !(opens < starts && (closes === null || opens < closes))) out.push({ field: 'signup_opens', code: 'ref_signup_window' })
  if (closes !== null && closes > ends) out.push({ field: 'signup_closes', code: 'ref_signup_window' })
  return out
}

// The key and name fields most kinds open with.
const CODE_FIELD: FieldSchema = { name: 'code', type: 'text', required: true, key: true, format: 'code', hintKey: 'setup.hints.code' }
const NAME_FIELD: FieldSchema = { name: 'name', type: 'text', required: true, max: MAX_NAME }

export const schemas: Record<EditKind, KindSchema> = {
  org_node: {
    kind: 'org_node',
    path: 'org',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: ['org_node'],
    fields: [
      CODE_FIELD,
      NAME_FIELD,
      {
        name: 'level',
        type: 'select',
        required: true,
        options: () => ORG_LEVELS.map((l) => ({ value: l, label: l, labelKey: `orgLevels.${l}` })),
        labelKey: 'setup.fields.orgLevel',
      },
      { name: 'parent', type: 'select', options: parentOptions, labelKey: 'setup.fields.orgParent', hintKey: 'setup.hints.orgParent' },
    ],
    columns: ['code', 'name', 'level', 'parent'],
    blank: () => ({ code: '', name: '', level: '', parent: '' }),
    check: orgParent,
  },
  station: {
    kind: 'station',
    path: 'stations',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: ['community', 'org_node'],
    fields: [
      { name: 'code', type: 'text', required: true, key: true, format: 'station', hintKey: 'setup.hints.stationCode' },
      NAME_FIELD,
      NODE_FIELD(['street'], 'setup.hints.stationNode'),
      { name: 'address', type: 'text', max: MAX_ADDRESS },
      {
        name: 'communities',
        type: 'multiselect',
        free: true,
        max: MAX_NAME,
        maxItems: MAX_LIST,
        options: (ctx) => communityOptions(ctx, [str(ctx.item.code)]),
        hintKey: 'setup.hints.stationCommunities',
      },
      { name: 'hours', type: 'text', max: MAX_TITLE, hintKey: 'setup.hints.hours' },
    ],
    columns: ['code', 'name', 'node', 'address', 'communities', 'hours'],
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
      CODE_FIELD,
      NAME_FIELD,
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
      { name: 'stations', type: 'multiselect', required: true, maxItems: MAX_LIST, options: (ctx) => stationOptions(ctx, 'stations') },
      { name: 'id', type: 'text', required: true, key: true, format: 'code', labelKey: 'setup.fields.repId', hintKey: 'setup.hints.id' },
      { name: 'name', type: 'text', required: true, max: MAX_NAME, labelKey: 'setup.fields.repName' },
      { name: 'gender', type: 'select', options: () => plain(GENDERS) },
      { name: 'level', type: 'select', required: true, options: () => REP_LEVELS.map((l) => ({ value: l, label: l, labelKey: `setup.levels.${l}` })) },
      { name: 'constituency', type: 'text', max: MAX_NAME },
      {
        name: 'communities',
        type: 'multiselect',
        max: MAX_NAME,
        maxItems: MAX_LIST,
        options: (ctx) => servedCommunities(ctx, strs(ctx.item.stations)),
        labelKey: 'setup.fields.repCommunities',
        hintKey: 'setup.hints.repCommunities',
      },
      { name: 'title', type: 'text', max: MAX_TITLE, labelKey: 'setup.fields.repTitle' },
      { name: 'phone', type: 'text', format: 'phone', hintKey: 'setup.hints.repPhone' },
      { name: 'profile', type: 'textarea', max: MAX_TEXT, hintKey: 'setup.hints.profile' },
    ],
    columns: ['id', 'name', 'level', 'constituency', 'title', 'stations'],
    // photo_seed varies the avatar drawn while there is no photo
    blank: () => ({ id: '', name: '', gender: '', level: '', constituency: '', communities: [], title: '', stations: [], photo_seed: Math.floor(Math.random() * 10000), profile: '', phone: '' }),
    check: (it) => (str(it.level) && !repLevel(str(it.level)) ? [{ field: 'level', code: 'field_not_in_set', params: { values: REP_LEVELS.join('、') } }] : []),
    nextKey: idOf('R'),
  },
  department: {
    kind: 'department',
    path: 'departments',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: ['org_node'],
    fields: [
      CODE_FIELD,
      NAME_FIELD,
      NODE_FIELD(ORG_LEVELS, 'setup.hints.deptNode'),
      { name: 'contact', type: 'text', max: MAX_NAME },
      { name: 'phone', type: 'text', format: 'phone', labelKey: 'setup.fields.deptPhone' },
    ],
    columns: ['code', 'name', 'node', 'contact', 'phone'],
    blank: () => ({ code: '', name: '', contact: '', phone: '' }),
  },
  category: {
    kind: 'category',
    path: 'categories',
    key: 'code',
    title: 'name',
    retireField: 'retired',
    needs: ['org_node'],
    fields: [
      CODE_FIELD,
      NAME_FIELD,
      NODE_FIELD(ORG_LEVELS, 'setup.hints.categoryNode'),
      { name: 'icon', type: 'select', options: () => CATEGORY_ICONS.map((i) => ({ value: i, label: i, labelKey: `setup.icons.${i}` })) },
      { name: 'order', type: 'number', hintKey: 'setup.hints.order' },
      { name: 'templates', type: 'strings', max: MAX_TITLE, maxItems: MAX_LIST, hintKey: 'setup.hints.templates' },
      { name: 'accept_hours', type: 'number', min: 1, maxValue: 720, zeroOK: true, hintKey: 'setup.hints.acceptHours' },
      { name: 'handle_days', type: 'number', min: 1, maxValue: 365, zeroOK: true, hintKey: 'setup.hints.handleDays' },
    ],
    columns: ['order', 'code', 'name', 'templates', 'accept_hours', 'handle_days'],
    blank: () => ({ code: '', name: '', icon: 'other', templates: [], order: 0, accept_hours: 0, handle_days: 0 }),
  },
  activity: {
    kind: 'activity',
    path: 'activities',
    key: 'id',
    title: 'title',
    retireField: 'cancelled',
    needs: ['station', 'representative'],
    fields: [
      { name: 'station', type: 'select', required: true, options: (ctx) => stationOptions(ctx, 'station') },
      { name: 'id', type: 'text', required: true, key: true, format: 'code', labelKey: 'setup.fields.activityId', hintKey: 'setup.hints.id' },
      { name: 'title', type: 'text', required: true, max: MAX_TITLE },
      { name: 'kind', type: 'select', required: true, options: () => plain(ACTIVITY_KINDS), labelKey: 'setup.fields.activityKind' },
      { name: 'place', type: 'text', required: true, max: MAX_ADDRESS },
      { name: 'starts', type: 'datetime', required: true },
      { name: 'ends', type: 'datetime', required: true },
      { name: 'capacity', type: 'number', min: 1, maxValue: 10000 },
      { name: 'signup_opens', type: 'datetime', hintKey: 'setup.hints.signupOpens' },
      { name: 'signup_closes', type: 'datetime', hintKey: 'setup.hints.signupCloses' },
      { name: 'description', type: 'textarea', max: MAX_TEXT },
      {
        name: 'invited',
        type: 'multiselect',
        maxItems: MAX_LIST,
        options: (ctx) => stationReps(ctx, str(ctx.item.station)),
        labelKey: 'setup.fields.invited',
        hintKey: 'setup.hints.invited',
      },
    ],
    columns: ['starts', 'title', 'kind', 'place', 'capacity', 'station'],
    blank: () => ({ id: '', station: '', title: '', kind: '', place: '', starts: '', ends: '', capacity: 30, description: '' }),
    check: activityTimes,
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
      { name: 'id', type: 'text', required: true, key: true, format: 'code', labelKey: 'setup.fields.projectId', hintKey: 'setup.hints.id' },
      { name: 'name', type: 'text', required: true, max: MAX_TITLE, labelKey: 'setup.fields.projectName' },
      { name: 'progress', type: 'number', min: 0, maxValue: 100 },
      { name: 'milestones', type: 'milestones', max: MAX_TITLE, maxItems: MAX_LIST },
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
  const add = (field: string, code: string, params?: Record<string, string>) => out.push(params ? { field, code, params } : { field, code })
  for (const f of s.fields) {
    const v = item[f.name]
    if (empty(f, v)) {
      if (f.required) add(f.name, 'field_required')
      continue
    }
    switch (f.type) {
      case 'text':
      case 'textarea':
      case 'select':
      case 'datetime': {
        const text = str(v).trim()
        if (f.max && chars(text) > f.max) add(f.name, 'field_too_long', { max: String(f.max) })
        else if (f.format && !FORMAT[f.format][0](text)) add(f.name, FORMAT[f.format][1])
        else if (f.type === 'datetime' && instant(text) === null) add(f.name, 'field_bad_date')
        break
      }
      case 'number': {
        const n = typeof v === 'number' ? v : Number(v)
        if (n === 0 && f.zeroOK) break
        const low = f.min ?? Number.MIN_SAFE_INTEGER
        const high = f.maxValue ?? Number.MAX_SAFE_INTEGER
        if (!Number.isInteger(n) || n < low || n > high) add(f.name, 'field_out_of_range', { min: String(f.min ?? ''), max: String(f.maxValue ?? '') })
        break
      }
      case 'multiselect':
      case 'strings': {
        const list = strs(v)
        if (f.maxItems && list.length > f.maxItems) add(f.name, 'field_too_many', { max: String(f.maxItems) })
        list.forEach((x, i) => {
          if (f.max && chars(x) > f.max) add(`${f.name}[${i}]`, 'field_too_long', { max: String(f.max) })
          else if (f.name === 'stations' && !isStationCode(x)) add(`${f.name}[${i}]`, 'field_bad_station')
        })
        const seen = new Set<string>()
        const twice = list.find((x) => (seen.has(x) ? true : (seen.add(x), false)))
        if (twice !== undefined) add(f.name, 'field_repeated', { value: twice })
        break
      }
      case 'milestones': {
        const list = Array.isArray(v) ? (v as RefItem[]) : []
        if (f.maxItems && list.length > f.maxItems) add(f.name, 'field_too_many', { max: String(f.maxItems) })
        list.forEach((m, i) => {
          const title = str(m.title).trim()
          if (!title) add(`${f.name}[${i}].title`, 'field_required')
          else if (f.max && chars(title) > f.max) add(`${f.name}[${i}].title`, 'field_too_long', { max: String(f.max) })
          if (instant(m.due) === null) add(`${f.name}[${i}].due`, 'field_required')
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

/** cellText is how a field reads in a list cell; defaultText stands for a number left at its default. */
export function cellText(s: KindSchema, field: string, item: RefItem, refs: Partial<Record<RefKindName, RefItem[]>> = {}, defaultText = ''): string {
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
      if (f.name === 'station') return stationName(refs, str(v))
      if (f.name === 'node' || f.name === 'parent') return nodeName(refs, str(v))
      return str(v)
    case 'number':
      // 0 (or nothing) stands for the default where the hub allows it; the list says so
      return f.zeroOK && !Number(v) ? defaultText : str(v)
    default:
      return str(v)
  }
}

function nodeName(refs: Partial<Record<RefKindName, RefItem[]>>, code: string): string {
  const n = (refs.org_node ?? []).find((x) => str(x.code) === code)
  return n ? str(n.name) : code
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

/** A problem's field path split: "milestones[2].title" is milestones, entry 2, its title. */
export interface FieldPath {
  field: string
  index: number | null
  sub: string
}

export function splitField(path: string): FieldPath {
  const m = /^([^[.]*)(?:\[(\d+)\])?(?:\.(.+))?$/.exec(path)
  if (!m) return { field: path, index: null, sub: '' }
  return { field: m[1] ?? '', index: m[2] !== undefined ? Number(m[2]) : null, sub: m[3] ?? '' }
}

/**
 * problemsByField groups problems by the form field they belong to (an element's problem goes
 * to its list); problems of the whole item, or of a field the form does not show, go to "".
 */
export function problemsByField(s: KindSchema, ps: FieldProblem[]): Record<string, FieldProblem[]> {
  const shown = new Set(s.fields.map((f) => f.name))
  const out: Record<string, FieldProblem[]> = {}
  for (const p of ps) {
    const base = splitField(p.field).field
    ;(out[shown.has(base) ? base : ''] ??= []).push(p)
  }
  return out
}

/** linesOf is the non-empty lines of a text, trimmed: a list typed one entry per line. */
export function linesOf(s: string): string[] {
  return s
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean)
}

/** stableJson writes a value with its object keys sorted, so equal items compare equal. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  )
}
