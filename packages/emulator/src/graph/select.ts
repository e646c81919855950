/** The service root Graph writes into `@odata.context`, whatever host was called. */
export const GRAPH_SERVICE_ROOT = 'https://graph.microsoft.com/v1.0'

export type SelectResult = { ok: true; properties: string[] | null } | { ok: false; message: string }

/**
 * Parses `$select` against the properties a type has. Graph matches names case-insensitively and answers with
 * the declared spelling; `properties` is `null` when no `$select` was given (the type's default set applies).
 *
 * @example
 * parseSelect('DisplayName,mail', ['displayName', 'mail'], 'microsoft.graph.user') // { ok: true, properties: ['displayName', 'mail'] }
 */
export function parseSelect(raw: unknown, declared: readonly string[], typeName: string): SelectResult {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: true, properties: null }
  const byLowerName = new Map(declared.map((name) => [name.toLowerCase(), name]))
  const properties: string[] = []
  for (const requested of raw.split(',').map((name) => name.trim())) {
    const name = byLowerName.get(requested.toLowerCase())
    if (!name)
      return { ok: false, message: `Could not find a property named '${requested}' on type '${typeName}'.` }
    if (!properties.includes(name)) properties.push(name)
  }
  return { ok: true, properties }
}

/**
 * `@odata.context` for an entity set, narrowed by `$select` as Graph does:
 * `…/$metadata#users/$entity`, `…/$metadata#users(mail,id)` …
 */
export function contextUrl(entitySet: string, properties: string[] | null, single: boolean): string {
  const selection = properties ? `(${properties.join(',')})` : ''
  return `${GRAPH_SERVICE_ROOT}/$metadata#${entitySet}${selection}${single ? '/$entity' : ''}`
}
