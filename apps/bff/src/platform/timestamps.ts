/**
 * A `timestamptz` column as an ISO 8601 string. `pg` and PGlite both parse it into a `Date`; a string is accepted too
 * so a driver configured to leave timestamps alone still works.
 *
 * @example
 * toIsoString(row.created_at) // '2025-03-01T09:30:00.000Z'
 */
export function toIsoString(value: unknown): string {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'string') return new Date(value).toISOString()
  throw new TypeError(`Expected a timestamp from the database, got ${typeof value}.`)
}

/** Like {@link toIsoString}, keeping SQL `NULL` as `null`. */
export function toIsoStringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIsoString(value)
}
