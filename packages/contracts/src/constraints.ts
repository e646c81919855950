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
  /** ISO 3166-1 alpha-2, as Graph's `usageLocation`, in either case (`gb` is sent to Graph as `GB`). */
  usageLocationPattern: '^[A-Za-z]{2}$',
  presetIdMaxLength: 64,
  /** The reason a request for approval gives, and an approver's comment on a decision. */
  reasonMaxLength: 1000,
  /** The longest access term a preset or a request may set (`accessDays`), and an extension's days, about ten years. */
  accessDaysMax: 3650,
  /** Idempotency keys: 8 to 128 visible ASCII characters (a UUID fits). */
  idempotencyKeyPattern: '^[\\x21-\\x7E]{8,128}$',
  /** Page size bounds for `GET /api/invitations`. */
  pageSizeDefault: 20,
  pageSizeMax: 100,
} as const

/** Characters never allowed in display names and messages: C0/C1 controls except tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

/**
 * Invisible characters never allowed in display names, name attributes and messages: they reorder what the reader
 * sees (`Pay\u202Efdp.exe` reads `Payexe.pdf`), split a word or a link past the reader and past filters, or carry
 * text the reader cannot see. Removed, like {@link controlCharacters}:
 *
 * - bidirectional controls: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
 * - zero-width and invisible formatting: U+200B, U+2060–U+2064, U+FEFF, U+180E, the soft hyphen U+00AD (visible
 *   only at a line break; in typed text mostly a way to split a word), the interlinear annotation controls
 *   U+FFF9–U+FFFB and the tag characters U+E0000–U+E007F (invisible ASCII; the few flag emoji built from them lose
 *   their region and show a plain black flag);
 * - U+200C (zero-width non-joiner) and U+200D (zero-width joiner) except between two letters, marks or emoji,
 *   where Persian, Indic scripts and emoji sequences (👩‍💻) need them.
 */
export const invisibleCharacters =
  /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB\u{E0000}-\u{E007F}]|(?<![\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}])[\u200C\u200D]|[\u200C\u200D](?![\p{L}\p{M}\p{Extended_Pictographic}])/gu

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
