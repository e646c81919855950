import { ProblemError } from '../platform/problem-error.js'

/** Where a page of `GET /api/events` ended: the last event's `seq` (decimal text: a `bigint`), in one tenant's log. */
export interface EventCursor {
  seq: string
  tenantId: string
}

const VERSION = 1
// A positive bigint: at most 19 digits and no larger than 2^63 - 1, so it never overflows in SQL (a 500).
const SEQ = /^[1-9]\d{0,18}$/
const MAX_SEQ = 9_223_372_036_854_775_807n

/**
 * The opaque `nextCursor` of `GET /api/events`: base64url JSON, versioned so its shape can change later.
 *
 * @example
 * encodeEventCursor({ seq: '42', tenantId: 'c0de0000-…' })
 */
export function encodeEventCursor(cursor: EventCursor): string {
  return Buffer.from(JSON.stringify({ v: VERSION, q: cursor.seq, t: cursor.tenantId })).toString('base64url')
}

/**
 * Reads a cursor from {@link encodeEventCursor} for `tenantId`'s log; anything else (garbled, edited, or issued for
 * another tenant) is the caller's mistake: `invalid_request` on the `cursor` field.
 *
 * @example
 * const { seq } = decodeEventCursor(query.cursor, caller.tenantId)
 */
export function decodeEventCursor(value: string, tenantId: string): EventCursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
  } catch {
    parsed = undefined
  }
  const { v, q, t } = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  const wellFormed =
    v === VERSION &&
    typeof q === 'string' &&
    SEQ.test(q) &&
    BigInt(q) <= MAX_SEQ &&
    typeof t === 'string' &&
    // Base64url decoding ignores stray characters; re-encoding proves the text is exactly what we issued.
    encodeEventCursor({ seq: q, tenantId: t }) === value
  if (!wellFormed) throw invalidCursor('The cursor was not issued by this server.')
  if (t !== tenantId) throw invalidCursor("The cursor belongs to another organization's events.")
  return { seq: q, tenantId: t }
}

function invalidCursor(message: string): ProblemError {
  return new ProblemError('invalid_request', {
    detail: 'The cursor is not valid; start again without it.',
    errors: [{ field: 'cursor', message }],
  })
}
