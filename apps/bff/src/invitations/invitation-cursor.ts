import { ProblemError } from '../platform/problem-error.js'
import { isStorableText } from '../platform/storable-text.js'

/** Where a page ended: the last row's `created_at` in microseconds since the epoch (exact), its id, and the list. */
export interface InvitationCursor {
  createdAtMicros: string
  id: string
  /** `*` for everyone's invitations, `tenantId:objectId` for one inviter's: a cursor is valid only for its list. */
  scope: string
}

const VERSION = 1
const MICROS = /^\d{1,18}$/
/**
 * Rows are created now, so a cursor's time lies between the epoch and the end of year 9999 (well inside
 * PostgreSQL's `timestamptz` range, which ends in 294276 AD): anything else was edited, and is refused before it
 * reaches SQL ("timestamp out of range" would be a 500).
 */
const MAX_MICROS = 253_402_300_799_999_999n
/** The id and scope must be text the database can compare: no NUL, no unpaired surrogate, a sane length. */
const isComparableText = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 256 && isStorableText(value)

/**
 * The opaque `nextCursor` handed to clients: base64url JSON, versioned so its shape can change later.
 *
 * @example
 * encodeInvitationCursor({ createdAtMicros: '1740821400000000', id: 'inv_1', scope: '*' })
 */
export function encodeInvitationCursor(cursor: InvitationCursor): string {
  const { createdAtMicros, id, scope } = cursor
  return Buffer.from(JSON.stringify({ v: VERSION, t: createdAtMicros, i: id, s: scope })).toString(
    'base64url',
  )
}

/**
 * Reads a cursor from {@link encodeInvitationCursor} for the list `scope`; anything else (garbled, edited, or issued
 * for another list) is the caller's mistake: `invalid_request` on the `cursor` field.
 *
 * @example
 * const { createdAtMicros, id } = decodeInvitationCursor(query.cursor, '*')
 */
export function decodeInvitationCursor(value: string, scope: string): InvitationCursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
  } catch {
    parsed = undefined
  }
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  const { v, t, i, s } = fields
  const wellFormed =
    v === VERSION &&
    typeof t === 'string' &&
    MICROS.test(t) &&
    BigInt(t) <= MAX_MICROS &&
    isComparableText(i) &&
    isComparableText(s) &&
    // Base64url decoding ignores stray characters; re-encoding proves the text is exactly what we issued.
    encodeInvitationCursor({ createdAtMicros: t, id: i, scope: s }) === value
  if (!wellFormed) throw invalidCursor('The cursor was not issued by this server.')
  if (s !== scope) throw invalidCursor('The cursor belongs to another list of invitations.')
  return { createdAtMicros: t, id: i, scope: s }
}

function invalidCursor(message: string): ProblemError {
  return new ProblemError('invalid_request', {
    detail: 'The cursor is not valid; start again without it.',
    errors: [{ field: 'cursor', message }],
  })
}
