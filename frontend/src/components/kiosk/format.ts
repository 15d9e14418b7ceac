const pad = (n: number) => String(n).padStart(2, '0')

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

/** formatDateTime renders an RFC3339 time as "2024-05-01 09:30" in local time. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso)
  if (!d) return ''
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** formatDate renders an RFC3339 time as "2024-05-01". */
export function formatDate(iso: string | null | undefined): string {
  return formatDateTime(iso).slice(0, 10)
}

/** formatTime renders an RFC3339 time as "09:30". */
export function formatTime(iso: string | null | undefined): string {
  return formatDateTime(iso).slice(11)
}
