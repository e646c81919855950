import type { FieldError, ProblemCode } from '@entra-share/contracts'

/**
 * Failures that happen in the browser, before or instead of a BFF answer. They are not in the server's catalogue
 * because the server never sends them.
 */
export type ClientErrorCode =
  /** The BFF could not be reached (offline, DNS, CORS refused, connection reset). */
  | 'network_error'
  /** The BFF answered something that is not the entra-share API (an HTML error page, a proxy's 502). */
  | 'invalid_response'
  /** No signed-in account, or MSAL could not get a token for the BFF. */
  | 'sign_in_required'
  /** Another MSAL sign-in (popup or redirect) is still open in this app. */
  | 'interaction_in_progress'

/** Every code a {@link ShareError} can carry: the server's catalogue plus the client's own. */
export type ShareErrorCode = ProblemCode | ClientErrorCode

/** The fields of a {@link ShareError} besides its code. */
export interface ShareErrorDetails {
  status?: number | null
  detail?: string
  fieldErrors?: FieldError[]
  retryAfterSeconds?: number
  claims?: string
  requestId?: string
  adminConsentUrl?: string
  existingUserId?: string
  cause?: unknown
}

// Trying again later can succeed for these; the others need a change of input, permission or configuration.
const retryableCodes: ReadonlySet<ShareErrorCode> = new Set([
  'network_error',
  'interaction_in_progress',
  'rate_limited',
  'graph_throttled',
  'upstream_unavailable',
  'upstream_error',
  'idempotency_in_progress',
  'internal_error',
  'invalid_response',
])

/**
 * One failure of an invitation, end to end: a problem+json answer of the BFF, or a failure in the browser.
 *
 * @example
 * try {
 *   await bff.invite(token, { email }, crypto.randomUUID())
 * } catch (error) {
 *   if (isShareError(error) && error.code === 'rate_limited') wait(error.retryAfterSeconds)
 * }
 */
export class ShareError extends Error {
  override readonly name = 'ShareError'
  readonly code: ShareErrorCode
  /** The HTTP status, or `null` when no answer was read. */
  readonly status: number | null
  /** The server's sentence about this occurrence. */
  readonly detail: string | undefined
  /** Per-field errors of `invalid_request`. */
  readonly fieldErrors: FieldError[]
  /** Seconds to wait before trying again (`rate_limited`, `graph_throttled`, `idempotency_in_progress`). */
  readonly retryAfterSeconds: number | undefined
  /** The decoded claims JSON of a `claims_challenge`, to request a new token with. */
  readonly claims: string | undefined
  /** The id of the request in the BFF's logs. */
  readonly requestId: string | undefined
  /** For `consent_required`: where an administrator grants consent. */
  readonly adminConsentUrl: string | undefined
  /** For `already_member`: the existing member's object id. */
  readonly existingUserId: string | undefined

  constructor(code: ShareErrorCode, message: string, details: ShareErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.status = details.status ?? null
    this.detail = details.detail
    this.fieldErrors = details.fieldErrors ?? []
    this.retryAfterSeconds = details.retryAfterSeconds
    this.claims = details.claims
    this.requestId = details.requestId
    this.adminConsentUrl = details.adminConsentUrl
    this.existingUserId = details.existingUserId
  }

  /** Whether trying the same request again later can succeed. */
  get retryable(): boolean {
    return retryableCodes.has(this.code)
  }
}

/**
 * `true` when `value` is a {@link ShareError}.
 *
 * @example
 * if (isShareError(error)) console.log(error.code)
 */
export function isShareError(value: unknown): value is ShareError {
  return value instanceof ShareError
}
