import { useI18n } from 'vue-i18n'
import type { ApiProblem } from '../api'
import { splitField, type FieldProblem } from './schema'

type T = (key: string, named?: Record<string, unknown>) => string

/**
 * problemText words a field problem in the console's language: our wording of its code with
 * its parameters, else the hub's own sentence. An entry of a list says which one it is
 * ("第 3 项 标题：必填").
 */
export function problemText(t: T, te: (key: string) => boolean, p: FieldProblem | ApiProblem): string {
  const params: Record<string, unknown> = { ...(p.params ?? {}) }
  const kind = p.params?.kind
  if (kind && te(`setup.kinds.${kind}`)) params.kind = t(`setup.kinds.${kind}`)
  let text: string
  if (te(`errors.${p.code}`)) text = t(`errors.${p.code}`, params)
  else text = p.message || t('errors.unknown')
  const path = splitField(p.field)
  if (path.index === null) return text
  const sub = path.sub && te(`setup.fields.sub.${path.sub}`) ? ` ${t(`setup.fields.sub.${path.sub}`)}` : ''
  return `${t('setup.entry', { n: path.index + 1 })}${sub}：${text}`
}

export function useProblemText() {
  const { t, te } = useI18n()
  return (p: FieldProblem | ApiProblem) => problemText(t, te, p)
}
