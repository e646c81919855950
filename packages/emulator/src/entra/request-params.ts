/** Reads one OAuth parameter; repeated parameters count by their first value, as Entra reads them. */
export type ParamReader = (name: string) => string | undefined

/**
 * A reader over parsed query strings and form bodies, earlier sources first (an authorize request may come as
 * GET with a query or as a form POST).
 */
export function paramReader(...sources: unknown[]): ParamReader {
  return (name) => {
    for (const source of sources) {
      if (typeof source !== 'object' || source === null) continue
      const value = (source as Record<string, unknown>)[name]
      const first = Array.isArray(value) ? value[0] : value
      if (typeof first === 'string' && first !== '') return first
    }
    return undefined
  }
}
