/**
 * Validation constraints as plain values: the BFF's TypeBox schemas are built from them and the React component
 * checks the same values in the browser without shipping a validator runtime.
 */
export const constraints = {
  /** RFC 5321 path limit. */
  emailMaxLength: 254,
  /**
   * The address check both sides apply, as strict as the directory's own for invitations (Graph refuses a local part
   * with `~!#$%^&*()+=[]{}\\/|;:"<>?,`, spaces, or a leading/trailing `.` or `-`), so the inviter hears of a typo
   * at once instead of a refusal from Graph: letters, digits, `_` and `'` in dot- or hyphen-separated runs, one
   * `@`, a domain with at least one dot and a 2+ letter top-level label.
   */
  emailPattern:
    "^[A-Za-z0-9_']+(?:[.-][A-Za-z0-9_']+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,63}$",
  displayNameMaxLength: 256,
  /** Graph silently drops a customizedMessageBody past about 3,000 characters; we refuse well before. */
  messageMaxLength: 2000,
  redirectUrlMaxLength: 2048,
  /** Name parts as Graph accepts them. */
  givenNameMaxLength: 64,
  surnameMaxLength: 64,
  /** ISO 3166-1 alpha-2, as Graph's `usageLocation`. */
  usageLocationPattern: '^[A-Z]{2}$',
  presetIdMaxLength: 64,
  /** Idempotency keys: 8 to 128 visible ASCII characters (a UUID fits). */
  idempotencyKeyPattern: '^[\\x21-\\x7E]{8,128}$',
  /** Page size bounds for `GET /api/invitations`. */
  pageSizeDefault: 20,
  pageSizeMax: 100,
} as const

/** Characters never allowed in display names and messages: C0/C1 controls except tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

const emailRegex = new RegExp(constraints.emailPattern)

/**
 * `true` when `email` passes the shared address check.
 *
 * @example
 * isValidEmail('ada@fabrikam.example') // true
 * isValidEmail('ada@fabrikam') // false
 */
export function isValidEmail(email: string): boolean {
  return email.length <= constraints.emailMaxLength && emailRegex.test(email)
}

/** The lower-cased domain part of an address (after the last `@`). */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}
