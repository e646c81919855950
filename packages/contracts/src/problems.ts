/**
 * The one catalogue of problem codes, end to end: the BFF answers every failure as RFC 9457
 * `application/problem+json` with one of these `code`s, and the React package maps each to a sentence.
 *
 * Add a code here first; the BFF's error handler and the component's strings are checked against this list.
 */
export const problemCatalogue = {
  invalid_request: {
    status: 400,
    title: 'The request is not valid.',
  },
  unauthenticated: {
    status: 401,
    title: 'A valid access token is required.',
  },
  insufficient_scope: {
    status: 403,
    title: 'The access token does not grant permission to invite guests.',
  },
  claims_challenge: {
    status: 401,
    title: 'Additional sign-in steps are required (for example multi-factor authentication).',
  },
  tenant_not_allowed: {
    status: 403,
    title: "The caller's organization (tenant) may not use this API.",
  },
  consent_required: {
    status: 403,
    title: 'An administrator must grant consent to the entra-share application before guests can be invited.',
  },
  forbidden: {
    status: 403,
    title: 'You are not allowed to do this.',
  },
  follow_up_forbidden: {
    status: 403,
    title:
      'The identity that runs a follow-up step lacks a directory permission; an administrator must grant it.',
  },
  not_found: {
    status: 404,
    title: 'The resource does not exist.',
  },
  message_links_not_allowed: {
    status: 400,
    title: 'The personal message may not contain links.',
  },
  redirect_url_not_allowed: {
    status: 400,
    title: 'The redirect URL is not on the allowlist.',
  },
  domain_not_allowed: {
    status: 400,
    title: "Invitations to this email address's domain are not allowed.",
  },
  preset_not_allowed: {
    status: 403,
    title: 'The group preset does not exist or you may not use it.',
  },
  already_member: {
    status: 409,
    title: 'This person is already a member of the organization.',
  },
  guest_invites_disabled: {
    status: 403,
    title: 'The organization does not allow you to invite guests.',
  },
  blocked_by_tenant_policy: {
    status: 403,
    title: "The invitation is blocked by the organization's external collaboration or cross-tenant policy.",
  },
  rate_limited: {
    status: 429,
    title: 'Too many invitations; try again later.',
  },
  graph_throttled: {
    status: 503,
    title: 'Microsoft Graph is throttling requests; try again later.',
  },
  upstream_unavailable: {
    status: 503,
    title: 'Microsoft Entra ID or Microsoft Graph is unavailable; try again later.',
  },
  upstream_error: {
    status: 502,
    title: 'Microsoft Graph refused the request.',
  },
  idempotency_conflict: {
    status: 409,
    title: 'This Idempotency-Key was already used with a different request.',
  },
  idempotency_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed.',
  },
  payload_too_large: {
    status: 413,
    title: 'The request body is too large.',
  },
  uri_too_long: {
    status: 414,
    title: 'The request URL or one of its path segments is too long.',
  },
  internal_error: {
    status: 500,
    title: 'Something went wrong on the server.',
  },
} as const satisfies Record<string, { status: number; title: string }>

/** Every catalogued problem code. */
export type ProblemCode = keyof typeof problemCatalogue

/** The codes as an array, in catalogue order. */
export const problemCodes = Object.keys(problemCatalogue) as ProblemCode[]

/** `true` when `value` is a catalogued problem code. */
export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && Object.hasOwn(problemCatalogue, value)
}

/** One invalid field of a request, inside a problem's `errors`. */
export interface FieldError {
  /** The request field, e.g. `email`, `redirectUrl`, or a header such as `Idempotency-Key`. */
  field: string
  /** One sentence that says what is wrong and what is expected. */
  message: string
}

/**
 * An RFC 9457 problem document as the BFF sends it.
 *
 * @example
 * { "type": "https://entra-share.dev/problems/domain_not_allowed", "title": "...", "status": 400,
 *   "code": "domain_not_allowed", "detail": "Invitations to 'blocked.example' are not allowed.",
 *   "requestId": "0b6f..." }
 */
export interface Problem {
  type: string
  title: string
  status: number
  code: ProblemCode
  detail?: string
  instance?: string
  /** The id of the request in the BFF's logs (also the `request-id` header). */
  requestId?: string
  /** Field errors for `invalid_request`. */
  errors?: FieldError[]
  /** Seconds to wait, for `rate_limited` and `graph_throttled` (also the `Retry-After` header). */
  retryAfterSeconds?: number
  /** For `claims_challenge`: the base64 claims to request a new token with (also in `WWW-Authenticate`). */
  claims?: string
  /** For `consent_required`: where an administrator grants consent. */
  adminConsentUrl?: string
  /** For `already_member`: the object id of the existing member. */
  existingUserId?: string
}

/** The `type` URI of a problem code. */
export function problemType(code: ProblemCode): string {
  return `https://entra-share.dev/problems/${code}`
}
