// The import page's pure part: wording a problem, and finding the problems of a row or cell of
// the preview so the table can mark them.
import type { ImportPreview, ImportProblem } from '../api/types'

type T = (key: string, named?: Record<string, unknown>) => string

/** The file types the hub reads. */
export const IMPORT_ACCEPT = '.xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv'

/** importMax is the largest file the hub takes (refimport.MaxFileSize). */
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024

/**
 * problemMessage words a problem's reason in the console's language: our wording of its code,
 * else the hub's own sentence. A kind named in the parameters (ref_dangling) is worded too.
 */
export function problemMessage(t: T, te: (key: string) => boolean, p: ImportProblem): string {
  const params: Record<string, unknown> = { ...(p.params ?? {}) }
  const kind = p.params?.kind
  if (kind && te(`setup.kinds.${kind}`)) params.kind = t(`setup.kinds.${kind}`)
  if (te(`errors.${p.code}`)) return t(`errors.${p.code}`, params)
  return p.message || t('errors.unknown')
}

/** problemPlace says where a problem is: the file, a row, or a row's column. */
export function problemPlace(t: T, p: ImportProblem): string {
  if (p.row === 0) return t('importer.place.file')
  if (!p.column) return t('importer.place.row', { row: p.row })
  return t('importer.place.cell', { row: p.row, column: p.column })
}

/** cellKey names a cell of the preview for lookups. */
export function cellKey(row: number, column: string): string {
  return `${row}\u0000${column}`
}

/**
 * problemIndex groups the preview's problems: by cell for columns the table shows, by row for
 * the others (a column the file lacks, a whole row), and those of the file as a whole.
 */
export function problemIndex(p: ImportPreview) {
  const cells = new Map<string, ImportProblem[]>()
  const rows = new Map<number, ImportProblem[]>()
  const file: ImportProblem[] = []
  const shown = new Set(p.columns)
  for (const pr of p.problems) {
    if (pr.row === 0) {
      file.push(pr)
      continue
    }
    if (pr.column && shown.has(pr.column)) {
      const k = cellKey(pr.row, pr.column)
      cells.set(k, [...(cells.get(k) ?? []), pr])
    }
    rows.set(pr.row, [...(rows.get(pr.row) ?? []), pr])
  }
  return { cells, rows, file }
}

/** canConfirm: a clean preview that would change something, not yet written. */
export function canConfirm(p: ImportPreview | null): boolean {
  return !!p && !p.written && p.problems.length === 0 && p.created + p.updated > 0
}
