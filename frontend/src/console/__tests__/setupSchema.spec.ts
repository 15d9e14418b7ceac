import { describe, expect, it } from 'vitest'
import zh from '../i18n/zh-CN'
import en from '../i18n/en'
import { createConsoleI18n } from '../i18n'
import { problemText } from '../setup/problems'
import {
  checkItem,
  editKinds,
  fieldOptions,
  isPhone,
  isRefId,
  isStationCode,
  labelKey,
  nextId,
  problemsByField,
  repLevel,
  schemaOf,
  splitField,
  stableJson,
  tidy,
} from '../setup/schema'
import { dayTimeOf, inputOf, timeOf } from '../setup/when'

const codes = (ps: { field: string; code: string }[]) => ps.map((p) => `${p.field} ${p.code}`)

const goodRep = {
  id: 'HX01-R01',
  name: '张三',
  gender: '男',
  level: '区',
  constituency: '第一选区',
  communities: ['幸福里社区'],
  title: '社区党委书记',
  stations: ['HX01'],
  photo_seed: 3,
  phone: '138 0013 8000',
  profile: '',
}

describe('reference schemas', () => {
  it('checks a representative as the hub does', () => {
    const rep = schemaOf('representative')
    expect(checkItem(rep, goodRep)).toEqual([])
    expect(checkItem(rep, { ...goodRep, level: '区人大代表' })).toEqual([]) // the seed's way of writing it
    expect(
      codes(
        checkItem(rep, {
          ...goodRep,
          id: '-R1',
          name: ' ',
          level: '街道',
          phone: '12-34',
          stations: ['hx01'],
          communities: ['幸福里社区', '幸福里社区'],
          profile: '字'.repeat(2001),
        }),
      ),
    ).toEqual([
      'stations[0] field_bad_station',
      'id field_bad_code',
      'name field_required',
      'communities field_repeated',
      'phone field_bad_phone',
      'profile field_too_long',
      'level field_not_in_set',
    ])
  })

  it('checks an activity’s times and places', () => {
    const act = schemaOf('activity')
    const good = {
      id: 'HX01-A01',
      station: 'HX01',
      title: '代表接待日',
      kind: '接待日',
      place: '联络站一楼',
      starts: '2026-12-09T09:00:00+08:00',
      ends: '2026-12-09T11:30:00+08:00',
      capacity: 2,
    }
    expect(checkItem(act, good)).toEqual([])
    expect(codes(checkItem(act, { ...good, ends: good.starts, capacity: 0 }))).toEqual(['capacity field_out_of_range', 'ends ref_ends_before_starts'])
    expect(codes(checkItem(act, { ...good, signup_opens: '2026-12-09T10:00:00+08:00', signup_closes: '2026-12-09T12:00:00+08:00' }))).toEqual([
      'signup_opens ref_signup_window',
      'signup_closes ref_signup_window',
    ])
  })

  it('lets a category’s deadlines be 0 for the default, else within range', () => {
    const cat = schemaOf('category')
    const item = { code: 'env', name: '环境卫生', icon: 'leaf', templates: ['垃圾清运不及时'], order: 1, accept_hours: 0, handle_days: 0 }
    expect(checkItem(cat, item)).toEqual([])
    expect(checkItem(cat, { ...item, accept_hours: 721, handle_days: 2.5 })).toEqual([
      { field: 'accept_hours', code: 'field_out_of_range', params: { min: '1', max: '720' } },
      { field: 'handle_days', code: 'field_out_of_range', params: { min: '1', max: '365' } },
    ])
  })

  it('names the milestone a problem belongs to', () => {
    const pr = schemaOf('project')
    const ps = checkItem(pr, { id: 'HX01-P01', station: 'HX01', name: '老旧小区加装电梯', progress: 101, milestones: [{ title: '', due: '' }] })
    expect(codes(ps)).toEqual(['progress field_out_of_range', 'milestones[0].title field_required', 'milestones[0].due field_required'])
    const { t, te } = createConsoleI18n().global
    expect(ps.map((p) => problemText(t, te, p))).toEqual(['须在 0 到 100 之间', '第 1 项 名称：必填', '第 1 项 计划完成日期：必填'])
    expect(Object.keys(problemsByField(pr, ps))).toEqual(['progress', 'milestones'])
  })

  it('words the hub’s problems, with the hub’s sentence for a code it does not know', () => {
    const { t, te } = createConsoleI18n().global
    expect(problemText(t, te, { field: 'communities[1]', code: 'ref_dangling', params: { kind: 'community', key: '月亮社区' } })).toBe(
      '第 2 项：找不到社区「月亮社区」',
    )
    expect(problemText(t, te, { field: '', code: 'ref_duplicate', params: { key: 'HX01' } })).toBe('编码 HX01 已被使用')
    expect(problemText(t, te, { field: 'x', code: 'something_new', message: '新的原因' })).toBe('新的原因')
    const enI18n = createConsoleI18n('en').global
    expect(problemText(enI18n.t, enI18n.te, { field: 'name', code: 'field_too_long', params: { max: '64' } })).toBe('Too long: at most 64 characters')
  })

  it('sends items tidied, keeping the fields the form does not show', () => {
    const rep = schemaOf('representative')
    const out = tidy(rep, { ...goodRep, name: ' 张三 ', communities: ['幸福里社区', ' ', '幸福里社区'], photo: '/media/reps/HX01-R01.jpg?v=1' })
    expect(out).toMatchObject({ name: '张三', communities: ['幸福里社区'], photo: '/media/reps/HX01-R01.jpg?v=1', photo_seed: 3 })
    const act = tidy(schemaOf('activity'), { starts: '2026-12-09T09:00:00+08:00', signup_opens: '', capacity: '12' })
    expect(act).not.toHaveProperty('signup_opens')
    expect(act.capacity).toBe(12)
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe(stableJson({ a: { c: 3, d: 2 }, b: 1 }))
  })

  it('offers live stations and the communities they serve, keeping what the item already names', () => {
    const rep = schemaOf('representative')
    const refs = {
      station: [
        { code: 'HX01', name: '和谐联络站', communities: ['幸福里社区'] },
        { code: 'HX02', name: '长青联络站', communities: [], retired: true },
      ],
      community: [
        { code: 'MY', name: '明月社区', station: 'HX01' },
        { code: 'CQ', name: '长青社区', station: 'HX02' },
      ],
    }
    const field = (n: string) => rep.fields.find((f) => f.name === n)!
    expect(fieldOptions(field('stations'), { refs, item: { stations: [] } }).map((o) => o.value)).toEqual(['HX01'])
    expect(fieldOptions(field('stations'), { refs, item: { stations: ['HX02'] } }).map((o) => o.value)).toEqual(['HX01', 'HX02'])
    expect(fieldOptions(field('communities'), { refs, item: { stations: ['HX01'], communities: ['旧社区'] } }).map((o) => o.value)).toEqual([
      '幸福里社区',
      '明月社区',
      '旧社区',
    ])
    expect(fieldOptions(field('level'), { refs, item: { level: '区人大代表' } }).map((o) => o.value)).toEqual(['全国', '省', '市', '区', '镇', '区人大代表'])
  })

  it('proposes the next id of a station', () => {
    const items = [{ id: 'HX01-R01' }, { id: 'HX01-R16' }, { id: 'HX02-R40' }, { id: 'other' }]
    expect(nextId(items, 'HX01', 'R')).toBe('HX01-R17')
    expect(nextId([], 'HX03', 'A')).toBe('HX03-A01')
    expect(schemaOf('representative').nextKey?.(items, { stations: ['HX02'] })).toBe('HX02-R41')
  })

  it('knows the hub’s shapes of codes and phone numbers', () => {
    expect([isRefId('HX01-R01'), isRefId('env'), isRefId('a.b:c_d'), isRefId('-x'), isRefId('张三'), isRefId('x'.repeat(65))]).toEqual([true, true, true, false, false, false])
    expect([isStationCode('HX01'), isStationCode('hx01'), isStationCode('A'.repeat(17))]).toEqual([true, false, false])
    expect([isPhone('13800138000'), isPhone('+86 138-0013-8000'), isPhone('12345'), isPhone('1380013800a')]).toEqual([true, true, false, false])
    expect([repLevel('区'), repLevel('市人大代表'), repLevel('乡镇'), repLevel('街道')]).toEqual(['区', '市', '镇', null])
    expect(splitField('milestones[12].due')).toEqual({ field: 'milestones', index: 12, sub: 'due' })
    expect(splitField('name')).toEqual({ field: 'name', index: null, sub: '' })
  })

  it('reads and writes times in the stations’ zone', () => {
    expect(inputOf('2026-12-09T01:30:00Z')).toBe('2026-12-09T09:30')
    expect(inputOf('0001-01-01T00:00:00Z')).toBe('')
    expect(timeOf('2026-12-09T09:30')).toBe('2026-12-09T09:30:00+08:00')
    expect(timeOf('')).toBe('')
    expect(dayTimeOf('2027-03-01')).toBe('2027-03-01T00:00:00+08:00')
  })

  it('has every label, hint and option in both languages', () => {
    const { te } = createConsoleI18n().global
    const enTe = createConsoleI18n('en').global.te
    for (const kind of editKinds) {
      const s = schemaOf(kind)
      const keys = [`setup.pages.${s.path}`, ...s.fields.flatMap((f) => [labelKey(f), ...(f.hintKey ? [f.hintKey] : [])])]
      for (const f of s.fields) for (const o of f.options?.({ refs: {}, item: {} }) ?? []) if (o.labelKey) keys.push(o.labelKey)
      for (const k of keys) {
        expect(te(k, 'zh-CN'), `${k} zh`).toBe(true)
        expect(enTe(k, 'en'), `${k} en`).toBe(true)
      }
    }
  })

  it('has the same message keys in both languages', () => {
    const paths = (o: object, pre = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? paths(v as object, `${pre}${k}.`) : [`${pre}${k}`]))
    expect(paths(en).sort()).toEqual(paths(zh).sort())
  })
})
