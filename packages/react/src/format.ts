/**
 * Fills `{name}` placeholders of a user-facing string; an unknown placeholder stays as written.
 *
 * @example
 * formatString('Try again in {seconds} s', { seconds: 5 }) // 'Try again in 5 s'
 */
export function formatString(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole))
}

/**
 * A text that depends on a number: one template per plural category of the language (`zero`, `one`, `two`, `few`,
 * `many`, `other`, as `Intl.PluralRules` names them; `other` is required and stands in for a missing one), or one
 * string for every number.
 *
 * @example
 * const guests: PluralText = { one: 'Inviting {total} guest.', other: 'Inviting {total} guests.' }
 */
export type PluralText = string | ({ [category in Intl.LDMLPluralRule]?: string } & { other: string })

/**
 * The template of `text` for `count` under the plural rules of `locale`, with its placeholders filled.
 *
 * @example
 * formatPlural({ one: '{count} step', other: '{count} steps' }, 1, 'en', { count: '1' }) // '1 step'
 */
export function formatPlural(
  text: PluralText,
  count: number,
  locale: string,
  values: Record<string, string | number>,
): string {
  const template =
    typeof text === 'string' ? text : (text[new Intl.PluralRules(locale).select(count)] ?? text.other)
  return formatString(template, values)
}

/** A number for the reader: `2,000` in `en`, `2.000` in `de`. */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value)
}

/** A date for the reader, without the time of day: `March 15, 2026` in `en-US`, `15. März 2026` in `de`. */
export function formatDate(value: string | number | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(value))
}

/** Alternatives for the reader: `A, B, or C` in `en`, `A, B oder C` in `de`. */
export function formatOrList(values: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'disjunction' }).format(values)
}
