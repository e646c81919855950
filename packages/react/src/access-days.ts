/**
 * Reads typed days of access (a request's `accessDays`, an extension's `days`): `undefined` when the field is empty
 * (the preset's days apply), the number when it is a whole number from 1 to `max`, else `null`, to be refused with a
 * sentence. The BFF's rule (`Type.Integer({ minimum: 1 })`, at most the preset's days), checked before sending.
 *
 * @example
 * readAccessDays('30', 90) // 30
 * readAccessDays('', 90) // undefined
 * readAccessDays('91', 90) // null
 */
export function readAccessDays(text: string, max: number): number | null | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const days = Number(trimmed)
  return /^\d+$/.test(trimmed) && days >= 1 && days <= max ? days : null
}
