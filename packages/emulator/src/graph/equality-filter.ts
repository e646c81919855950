/** Decides whether a record matches a parsed `$filter`. */
export type RecordPredicate<T> = (record: T) => boolean

export type EqualityFilterResult<T> =
  | { ok: true; predicate: RecordPredicate<T> }
  | { ok: false; code: 'BadRequest' | 'Request_UnsupportedQuery'; message: string }

export interface EqualityFilterTarget<T> {
  /** Properties `eq` may compare, each read from the record (GUIDs and enums compare ignoring case). */
  filterable: Record<string, (record: T) => string | null>
  /** Every property the type declares, to tell an unsupported clause from an unknown name. */
  declared: readonly string[]
  /** The OData type (`microsoft.graph.servicePrincipal`) and Graph's resource name (`ServicePrincipal`) for messages. */
  typeName: string
  resourceName: string
}

const CLAUSE = /^\s*([A-Za-z][A-Za-z0-9_]*)\s+eq\s+'((?:[^']|'')*)'\s*$/i

/**
 * Parses the `$filter` Graph's directory collections answer without advanced query parameters and that our callers
 * send: `property eq 'value'` clauses joined by `and`. Anything else answers as Graph does: a malformed clause is
 * `BadRequest`, a well-formed clause on a property that cannot be filtered is `Request_UnsupportedQuery`.
 *
 * @example
 * const filter = parseEqualityFilter("clientId eq '3b0…'", GRANT_FILTER_TARGET)
 * if (filter.ok) grants.filter(filter.predicate)
 */
export function parseEqualityFilter<T>(
  raw: string,
  target: EqualityFilterTarget<T>,
): EqualityFilterResult<T> {
  const comparisons: Array<{ read: (record: T) => string | null; value: string }> = []
  // `and` inside a quoted value is not a separator: split only where the quotes are balanced.
  for (const clause of splitOnAnd(raw)) {
    const match = CLAUSE.exec(clause)
    if (!match)
      return { ok: false, code: 'BadRequest', message: `Invalid filter clause: Syntax error in '${raw}'.` }
    const name = (match[1] as string).toLowerCase()
    const value = (match[2] as string).replaceAll("''", "'")
    const filterable = Object.keys(target.filterable).find((candidate) => candidate.toLowerCase() === name)
    if (filterable) {
      comparisons.push({ read: target.filterable[filterable] as (record: T) => string | null, value })
      continue
    }
    const declared = target.declared.find((candidate) => candidate.toLowerCase() === name)
    if (declared) {
      return {
        ok: false,
        code: 'Request_UnsupportedQuery',
        message: `Unsupported or invalid query filter clause specified for property '${declared}' of resource '${target.resourceName}'.`,
      }
    }
    return {
      ok: false,
      code: 'BadRequest',
      message: `Could not find a property named '${match[1]}' on type '${target.typeName}'.`,
    }
  }
  return {
    ok: true,
    predicate: (record) =>
      comparisons.every(({ read, value }) => read(record)?.toLowerCase() === value.toLowerCase()),
  }
}

function splitOnAnd(raw: string): string[] {
  const clauses: string[] = []
  let start = 0
  let quoted = false
  for (let index = 0; index < raw.length; index += 1) {
    if (raw[index] === "'") quoted = !quoted
    if (!quoted && /^\sand\s/i.test(raw.slice(index, index + 5))) {
      clauses.push(raw.slice(start, index))
      start = index + 5
      index += 4
    }
  }
  clauses.push(raw.slice(start))
  return clauses
}
