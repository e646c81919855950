/**
 * Text the BFF may store or send back: PostgreSQL's `text` and `jsonb` cannot hold NUL, and a lone UTF-16
 * surrogate cannot be encoded as UTF-8 at all, so a string holding either must be refused at the edge (a 400
 * naming the field), never reach storage or an answer.
 */

/** `true` when `value` holds no NUL and no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !value.includes('\u0000')
}

/** `value` with every NUL and unpaired surrogate replaced by U+FFFD, for text that is kept even when refused. */
export function toStorableText(value: string): string {
  return value.toWellFormed().replaceAll('\u0000', '\uFFFD')
}

/**
 * The dotted path of the first string (value or object key) in `value` that is not storable, or `undefined`.
 *
 * @example
 * findUnstorableText({ presetId: 'a\u0000b' }) // 'presetId'
 * findUnstorableText({ attributes: { givenName: 'x\ud800' } }) // 'attributes.givenName'
 */
export function findUnstorableText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, join(path, String(index)))
      if (found !== undefined) return found
    }
    return undefined
  }
  // Parsed JSON and query strings only: other bodies (a CSV upload's stream) are checked where they are read.
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return join(path, toStorableText(key))
      const found = findUnstorableText(item, join(path, key))
      if (found !== undefined) return found
    }
  }
  return undefined
}

/**
 * A caller's value fit to quote in a message: storable, control characters shown as U+FFFD, and at most `max`
 * characters (an ellipsis marks the cut).
 *
 * @example
 * quoteInput('a\u0000b') // 'a\uFFFDb'
 */
export function quoteInput(value: string, max = 60): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
  const visible = toStorableText(value).replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD')
  const characters = Array.from(visible)
  return characters.length <= max ? visible : `${characters.slice(0, max - 1).join('')}…`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}
