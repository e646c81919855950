/**
 * Fills `{name}` placeholders of a user-facing string; an unknown placeholder stays as written.
 *
 * @example
 * formatString('Try again in {seconds} s', { seconds: 5 }) // 'Try again in 5 s'
 */
export function formatString(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole))
}
