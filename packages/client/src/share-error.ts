import { type ClientErrorCode, type FieldError, isRetryable, type ProblemCode } from '@entra-share/contracts'

export type { ClientErrorCode } from '@entra-share/contracts'

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

/**
 * One failure of a BFF call, end to end: a problem+json answer of the BFF, or a failure on the client side
 * (`network_error`, `invalid_response`, `sign_in_required`, `interaction_in_progress`).
 *
 * @example
 * try {
 *   await bff.invite({ email })
 * } catch (error) {
 *   if (isShareError(error) && error.code === 'rate_limited') wait(error.retryAfterSeconds)
 * }
 */
export class ShareError extends Error {
  override readonly name = 'ShareError'
  declare readonly code: ShareErrorCode
  /** The HTTP status, or `null` when no answer was read. */
  declare readonly status: number | null
  /** The server's sentence about this occurrence. */
  declare readonly detail: string | undefined
  /** Per-field errors of `invalid_request`, as the server sent them (the problem's `errors`). */
  declare readonly fieldErrors: FieldError[]
  /** Seconds to wait before trying again (`rate_limited`, `graph_throttled`, `idempotency_in_progress`). */
  declare readonly retryAfterSeconds: number | undefined
  /** The decoded claims JSON of a `claims_challenge`, to request a new token with. */
  declare readonly claims: string | undefined
  /** The id of the request in the BFF's logs. */
  declare readonly requestId: string | undefined
  /** For `consent_required`: where an administrator grants consent. */
  declare readonly adminConsentUrl: string | undefined
  /** For `already_member`: the existing member's object id. */
  declare readonly existingUserId: string | undefined

  constructor(code: ShareErrorCode, message: string, { cause, ...details }: ShareErrorDetails = {}) {
    super(message, cause === undefined ? undefined : { cause })
    Object.assign(this, details, {
      code,
      status: details.status ?? null,
      fieldErrors: details.fieldErrors ?? [],
    })
  }

  /** Whether the same request may succeed later, unchanged: the catalogue's `retryable` for this code. */
  get retryable(): boolean {
    return isRetryable(this.code)
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
