import {
  type FieldError,
  type Problem,
  type ProblemCode,
  problemCatalogue,
  problemType,
} from '@entra-share/contracts'

/** Extra members of a problem document and response headers carried by a {@link ProblemError}. */
export interface ProblemExtras {
  /** One sentence for the caller: what happened and what to do. Never internals of a 5xx. */
  detail?: string
  errors?: FieldError[]
  retryAfterSeconds?: number
  claims?: string
  adminConsentUrl?: string
  existingUserId?: string
  quotaPerHour?: number
  allowedNow?: number
  /** Response headers, e.g. `WWW-Authenticate`. */
  headers?: Record<string, string>
  /** The underlying error, kept for logs only. */
  cause?: unknown
}

/**
 * The one error type of the BFF: every failure becomes a `ProblemError` with a catalogued `code`, and the error
 * handler turns it into `application/problem+json`.
 *
 * @example
 * throw new ProblemError('domain_not_allowed', { detail: "Invitations to 'blocked.example' are not allowed." })
 */
export class ProblemError extends Error {
  readonly code: ProblemCode
  readonly status: number
  readonly extras: ProblemExtras

  constructor(code: ProblemCode, extras: ProblemExtras = {}) {
    super(
      extras.detail ?? problemCatalogue[code].title,
      extras.cause === undefined ? {} : { cause: extras.cause },
    )
    this.name = 'ProblemError'
    this.code = code
    this.status = problemCatalogue[code].status
    this.extras = extras
  }

  /** The problem document, without `requestId` and `instance` (the error handler adds them). */
  toProblem(): Problem {
    const {
      detail,
      errors,
      retryAfterSeconds,
      claims,
      adminConsentUrl,
      existingUserId,
      quotaPerHour,
      allowedNow,
    } = this.extras
    return {
      type: problemType(this.code),
      title: problemCatalogue[this.code].title,
      status: this.status,
      code: this.code,
      ...(detail !== undefined ? { detail } : {}),
      ...(errors !== undefined ? { errors } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(claims !== undefined ? { claims } : {}),
      ...(adminConsentUrl !== undefined ? { adminConsentUrl } : {}),
      ...(existingUserId !== undefined ? { existingUserId } : {}),
      ...(quotaPerHour !== undefined ? { quotaPerHour } : {}),
      ...(allowedNow !== undefined ? { allowedNow } : {}),
    }
  }
}

/** `true` for a {@link ProblemError} (also across module copies). */
export function isProblemError(error: unknown): error is ProblemError {
  return error instanceof ProblemError || (error instanceof Error && error.name === 'ProblemError')
}
