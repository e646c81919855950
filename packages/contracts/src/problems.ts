/** What a client needs to know to handle a problem code: whether to retry, and which field it is about. */
export interface ProblemTraits {
  /**
   * Whether the same request, sent again unchanged, may succeed later (a wait, a busy upstream, a request still
   * running). `false` when only a change of input, permission or configuration helps.
   */
  retryable: boolean
  /** The request field the problem is about, when it is about one: a form shows the problem on that field. */
  field?: 'email' | 'redirectUrl' | 'presetId' | 'message' | 'reason' | 'accessDays'
}

/**
 * How a client handles each problem code: `retryable`, and the `field` it concerns. Part of the catalogue (see
 * {@link problemCatalogue}); a table of its own so a browser bundle can ask about a code without shipping the
 * server's titles.
 *
 * @example
 * problemTraits.rate_limited // { retryable: true }
 * problemTraits.domain_not_allowed // { retryable: false, field: 'email' }
 */
export const problemTraits = {
  invalid_request: { retryable: false },
  unauthenticated: { retryable: false },
  insufficient_scope: { retryable: false },
  claims_challenge: { retryable: false },
  tenant_not_allowed: { retryable: false },
  consent_required: { retryable: false },
  forbidden: { retryable: false },
  follow_up_forbidden: { retryable: false },
  license_unavailable: { retryable: true },
  removal_forbidden: { retryable: false },
  not_found: { retryable: false },
  message_links_not_allowed: { retryable: false, field: 'message' },
  redirect_url_not_allowed: { retryable: false, field: 'redirectUrl' },
  domain_not_allowed: { retryable: false, field: 'email' },
  preset_not_allowed: { retryable: false, field: 'presetId' },
  already_member: { retryable: false, field: 'email' },
  reason_required: { retryable: false, field: 'reason' },
  access_days_not_allowed: { retryable: false, field: 'accessDays' },
  approval_required: { retryable: false },
  approval_not_allowed: { retryable: false },
  approval_already_decided: { retryable: false },
  approval_in_progress: { retryable: true },
  invitation_not_active: { retryable: false },
  extension_not_allowed: { retryable: false },
  guest_invites_disabled: { retryable: false },
  blocked_by_tenant_policy: { retryable: false },
  rate_limited: { retryable: true },
  invitation_quota_exceeded: { retryable: true },
  graph_throttled: { retryable: true },
  upstream_unavailable: { retryable: true },
  upstream_error: { retryable: true },
  idempotency_conflict: { retryable: false },
  idempotency_in_progress: { retryable: true },
  payload_too_large: { retryable: false },
  uri_too_long: { retryable: false },
  internal_error: { retryable: true },
} as const satisfies Record<string, ProblemTraits>

/** Every catalogued problem code. */
export type ProblemCode = keyof typeof problemTraits

/**
 * What the BFF answers for each problem code: the HTTP status and the RFC 9457 `title`. Part of the catalogue (see
 * {@link problemCatalogue}).
 */
export const problemResponses = {
  invalid_request: { status: 400, title: 'The request is not valid.' },
  unauthenticated: { status: 401, title: 'A valid access token is required.' },
  insufficient_scope: { status: 403, title: 'The access token does not grant permission to invite guests.' },
  claims_challenge: {
    status: 401,
    title: 'Additional sign-in steps are required (for example multi-factor authentication).',
  },
  tenant_not_allowed: { status: 403, title: "The caller's organization (tenant) may not use this API." },
  consent_required: {
    status: 403,
    title: 'An administrator must grant consent to the entra-share application before guests can be invited.',
  },
  forbidden: { status: 403, title: 'You are not allowed to do this.' },
  follow_up_forbidden: {
    status: 403,
    title:
      'The identity that runs a follow-up step lacks a directory permission; an administrator must grant it.',
  },
  license_unavailable: {
    status: 409,
    title: 'The licence a follow-up step assigns has no units left; an administrator must add units.',
  },
  removal_forbidden: {
    status: 403,
    title:
      "The identity that removes a guest's access lacks a directory permission; an administrator must grant it.",
  },
  not_found: { status: 404, title: 'The resource does not exist.' },
  message_links_not_allowed: { status: 400, title: 'The personal message may not contain links.' },
  redirect_url_not_allowed: { status: 400, title: 'The redirect URL is not on the allowlist.' },
  domain_not_allowed: { status: 400, title: "Invitations to this email address's domain are not allowed." },
  preset_not_allowed: { status: 403, title: 'The group preset does not exist or you may not use it.' },
  already_member: { status: 409, title: 'This person is already a member of the organization.' },
  reason_required: { status: 400, title: 'This access needs approval: give a reason for the approvers.' },
  access_days_not_allowed: {
    status: 400,
    title: 'The number of days of access is more than the preset allows, or the preset sets no expiry.',
  },
  approval_required: {
    status: 403,
    title: 'This preset needs an approval for each invitation; invite the person on their own.',
  },
  approval_not_allowed: {
    status: 403,
    title: 'You may not decide on this request: only its approvers may, and never the person who asked.',
  },
  approval_already_decided: { status: 409, title: 'This invitation is not waiting for an approval.' },
  approval_in_progress: {
    status: 409,
    title: 'Another approver’s decision on this request is still being carried out.',
  },
  invitation_not_active: { status: 409, title: 'This invitation does not give the guest any access.' },
  extension_not_allowed: {
    status: 409,
    title: 'This access cannot be extended: it does not expire, or it was extended once already.',
  },
  guest_invites_disabled: { status: 403, title: 'The organization does not allow you to invite guests.' },
  blocked_by_tenant_policy: {
    status: 403,
    title: "The invitation is blocked by the organization's external collaboration or cross-tenant policy.",
  },
  rate_limited: { status: 429, title: 'Too many requests; try again later.' },
  invitation_quota_exceeded: {
    status: 429,
    title: 'The hourly invitation quota does not allow this many invitations now.',
  },
  graph_throttled: { status: 503, title: 'Microsoft Graph is throttling requests; try again later.' },
  upstream_unavailable: {
    status: 503,
    title: 'Microsoft Entra ID or Microsoft Graph is unavailable; try again later.',
  },
  upstream_error: { status: 502, title: 'Microsoft Graph refused the request.' },
  idempotency_conflict: {
    status: 409,
    title: 'This Idempotency-Key was already used with a different request.',
  },
  idempotency_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed.',
  },
  payload_too_large: { status: 413, title: 'The request body is too large.' },
  uri_too_long: { status: 414, title: 'The request URL or one of its path segments is too long.' },
  internal_error: { status: 500, title: 'Something went wrong on the server.' },
} as const satisfies Record<ProblemCode, { status: number; title: string }>

/** Everything the catalogue says about each code: {@link problemResponses} and {@link problemTraits} together. */
export type ProblemCatalogue = {
  readonly [C in ProblemCode]: (typeof problemResponses)[C] & (typeof problemTraits)[C]
}

/**
 * The one catalogue of problem codes, end to end: the BFF answers every failure as RFC 9457
 * `application/problem+json` with one of these `code`s, and the React package maps each to a sentence. Per code:
 * `status`, `title`, `retryable`, and `field` when it concerns one request field.
 *
 * Add a code to {@link problemTraits} and {@link problemResponses} first (each table must name every code); the
 * BFF's error handler, the clients' retries and the component's strings are checked against this list.
 *
 * @example
 * const { status, title, retryable } = problemCatalogue.rate_limited // 429, 'Too many invitations; …', true
 */
export const problemCatalogue: ProblemCatalogue = /* @__PURE__ */ mergeCatalogue()

function mergeCatalogue(): ProblemCatalogue {
  return Object.fromEntries(
    (Object.keys(problemTraits) as ProblemCode[]).map((code) => [
      code,
      { ...problemResponses[code], ...problemTraits[code] },
    ]),
  ) as ProblemCatalogue
}

/** The codes as an array, in catalogue order. */
export const problemCodes = Object.keys(problemTraits) as ProblemCode[]

/** `true` when `value` is a catalogued problem code. */
export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && Object.hasOwn(problemTraits, value)
}

/**
 * Failures a client meets before or instead of a BFF answer. The BFF never sends them, so they are not problem
 * codes, but they are decided here like the others.
 */
export const clientErrorTraits = {
  /** The BFF could not be reached (offline, DNS, CORS refused, connection reset). */
  network_error: { retryable: true },
  /** The BFF answered something that is not the entra-share API (an HTML error page, a proxy's 502). */
  invalid_response: { retryable: true },
  /** No signed-in account, or no token for the BFF could be acquired. */
  sign_in_required: { retryable: false },
  /** Another sign-in (a popup or a redirect) is still open in this app. */
  interaction_in_progress: { retryable: true },
} as const satisfies Record<string, Pick<ProblemTraits, 'retryable'>>

/** A code of {@link clientErrorTraits}: a failure on the client side. */
export type ClientErrorCode = keyof typeof clientErrorTraits

/**
 * Whether the same request may succeed when sent again unchanged later: the catalogue's `retryable`.
 *
 * @example
 * isRetryable('rate_limited') // true
 * isRetryable('domain_not_allowed') // false
 */
export function isRetryable(code: ProblemCode | ClientErrorCode): boolean {
  const traits: { retryable: boolean } | undefined =
    (problemTraits as Record<string, ProblemTraits>)[code] ??
    (clientErrorTraits as Record<string, { retryable: boolean }>)[code]
  return traits?.retryable === true
}

/**
 * The request field a problem code is about, if any: the catalogue's `field`.
 *
 * @example
 * problemField('domain_not_allowed') // 'email'
 * problemField('rate_limited') // undefined
 */
export function problemField(code: ProblemCode | ClientErrorCode): ProblemTraits['field'] {
  return (problemTraits as Record<string, ProblemTraits>)[code]?.field
}

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as whole seconds from `now`
 * (never below 0). `undefined` when the header is absent or unreadable.
 *
 * @param now - the current time in milliseconds since the epoch, for an HTTP-date.
 * @example
 * parseRetryAfter('120') // 120
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:30 GMT')) // 30
 * parseRetryAfter(response.headers.get('Retry-After')) // number | undefined
 */
export function parseRetryAfter(
  headerValue: string | null | undefined,
  now = Date.now(),
): number | undefined {
  const value = headerValue?.trim() ?? ''
  // Every HTTP-date form starts with a day name, which also keeps Date.parse from reading "-5" or "2026-10-21" as one.
  const seconds = /^\d+$/.test(value)
    ? Number(value)
    : /^[a-z]/i.test(value)
      ? Math.ceil((Date.parse(value) - now) / 1000)
      : Number.NaN
  return Number.isNaN(seconds) ? undefined : Math.max(0, seconds)
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
  /** For `invitation_quota_exceeded`: the invitations the quota allows per hour. */
  quotaPerHour?: number
  /** For `invitation_quota_exceeded`: how many invitations (bulk rows) the quota allows right now. */
  allowedNow?: number
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
