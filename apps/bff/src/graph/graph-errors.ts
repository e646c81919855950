import { parseRetryAfter } from '@entra-share/contracts'
import { GraphError } from '@microsoft/microsoft-graph-client'
import { isProblemError, ProblemError } from '../platform/problem-error.js'

/**
 * Microsoft Graph's answers, mapped to the problem catalogue. The messages matched here are the directory's own
 * (the emulator copies them verbatim: `packages/emulator/src/graph/invitation-policy.ts`, `invitations.ts`).
 */

/** `403` when an admin switched guest invitations off, or the inviter may not invite (`allowInvitesFrom`). */
const GUEST_INVITES_NOT_ALLOWED = /guest invitations not allowed/i
/** `403` when Microsoft blocked invitations for the whole directory ("…blocked for this directory due to suspicious activity"). */
const INVITATIONS_BLOCKED_FOR_DIRECTORY = /invitations are blocked for this directory/i
/** `403` from the external collaboration allow/deny list: "The domain 'x' of the invited user is currently blocked by your invitation policy." */
const BLOCKED_BY_INVITATION_POLICY = /blocked by your invitation policy/i
/** `403` from cross-tenant access settings: "This invitation is blocked by cross-tenant access settings…". */
const BLOCKED_BY_CROSS_TENANT_ACCESS = /blocked by cross-tenant access settings/i
/** `400` (or `412` for a blocked account): "The invited user already exists in the directory as object ID: {guid}". */
const ALREADY_IN_DIRECTORY =
  /already exists in the directory as object ID: ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i

/** `400` to `assignLicense` when the subscription is used up: "Subscription with SKU {skuId} does not have any available licenses." */
const NO_LICENSES_AVAILABLE = /does not have any available licenses/i
/** `400` to `appRoleAssignments` for a role the user holds: "Permission being assigned already exists on the object." */
const APP_ROLE_ALREADY_ASSIGNED = /permission being assigned already exists on the object/i

/** Seconds to suggest when Graph throttled without saying for how long (it normally sends `Retry-After`). */
const DEFAULT_RETRY_AFTER_SECONDS = 10

/**
 * Turns whatever a Graph SDK call threw into the BFF's {@link ProblemError}: directory policy refusals keep Graph's
 * sentence (it tells the inviter what to do), as do other 4xx refusals; 5xx answers get a generic detail, with the SDK's
 * `GraphError` (status, Graph code, `request-id`) kept as `cause` for the logs. A `ProblemError` passes through.
 *
 * @example
 * try {
 *   await client.api('/invitations').post(body)
 * } catch (error) {
 *   throw graphProblem(error) // e.g. ProblemError('already_member', { existingUserId: '…' })
 * }
 */
export function graphProblem(error: unknown): ProblemError {
  if (isProblemError(error)) return error
  if (!(error instanceof GraphError)) {
    return new ProblemError('upstream_error', {
      detail: 'Microsoft Graph could not be called.',
      cause: error,
    })
  }
  rememberRequestId(error)
  const status = error.statusCode
  const message = error.message ?? ''
  const cause = error

  // No HTTP answer at all: connection refused or reset, DNS, TLS.
  if (!(status > 0)) {
    return new ProblemError('upstream_unavailable', {
      detail: 'Microsoft Graph could not be reached; try again later.',
      cause,
    })
  }
  const existing = ALREADY_IN_DIRECTORY.exec(message)
  if (existing && (status === 400 || status === 412)) {
    const existingUserId = (existing[1] as string).toLowerCase()
    return new ProblemError('already_member', {
      existingUserId,
      detail:
        status === 412
          ? `This address already belongs to a member of the organization (object id ${existingUserId}) whose account is blocked from signing in.`
          : `This address already belongs to a member of the organization (object id ${existingUserId}).`,
      cause,
    })
  }
  if (status === 400 && NO_LICENSES_AVAILABLE.test(message)) {
    return new ProblemError('license_unavailable', {
      detail: `No licence is free to assign: ${message} An administrator must add units to the subscription (or free some); the step is retried until then.`,
      cause,
    })
  }
  if (status === 403) {
    if (GUEST_INVITES_NOT_ALLOWED.test(message) || INVITATIONS_BLOCKED_FOR_DIRECTORY.test(message)) {
      return new ProblemError('guest_invites_disabled', { detail: message, cause })
    }
    if (BLOCKED_BY_INVITATION_POLICY.test(message) || BLOCKED_BY_CROSS_TENANT_ACCESS.test(message)) {
      return new ProblemError('blocked_by_tenant_policy', { detail: message, cause })
    }
    return new ProblemError('forbidden', {
      detail:
        error.code === 'Authorization_RequestDenied'
          ? 'Microsoft Graph denied the request: the signed-in user or the app lacks the directory permission it needs.'
          : 'Microsoft Graph refused the request.',
      cause,
    })
  }
  if (status === 401) {
    return new ProblemError('unauthenticated', {
      detail: 'Microsoft Graph did not accept the access token; sign in again.',
      cause,
    })
  }
  if (status === 404) {
    return new ProblemError('not_found', {
      detail: 'Microsoft Graph does not know the object (it may still be replicating).',
      cause,
    })
  }
  if (status === 429) {
    const retryAfterSeconds = retryAfter(error) ?? DEFAULT_RETRY_AFTER_SECONDS
    return new ProblemError('graph_throttled', {
      retryAfterSeconds,
      detail: `Microsoft Graph is throttling requests; try again in ${retryAfterSeconds} seconds.`,
      cause,
    })
  }
  if (status === 503 || status === 504) {
    const retryAfterSeconds = retryAfter(error)
    return new ProblemError('upstream_unavailable', {
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      detail: 'Microsoft Graph is unavailable; try again later.',
      cause,
    })
  }
  // A 4xx Graph did not explain otherwise: its sentence is about the request (for example an address the directory
  // will not invite), so the inviter sees it; a 5xx says nothing useful and stays generic.
  const detail =
    status < 500 && message
      ? `Microsoft Graph refused the request: ${message}`
      : 'Microsoft Graph refused the request.'
  return new ProblemError('upstream_error', { detail, cause })
}

/**
 * `true` for Graph's `400` "One or more added object references already exist…" to `POST …/members/$ref`:
 * the guest is in the group already, which is what the caller wanted.
 */
export function isAlreadyGroupMember(error: unknown): boolean {
  return (
    error instanceof GraphError &&
    error.statusCode === 400 &&
    /one or more added object references already exist/i.test(error.message ?? '')
  )
}

/**
 * `true` for Graph's `400` "User does not have a corresponding license." to `assignLicense` with `removeLicenses`:
 * the licence is gone already, which is what a removal wanted.
 */
export function isLicenseNotHeld(error: unknown): boolean {
  return (
    error instanceof GraphError &&
    error.statusCode === 400 &&
    /does not have a corresponding license/i.test(error.message ?? '')
  )
}

/** `true` for Graph's `400` "Permission being assigned already exists on the object": the user holds the role. */
export function isAlreadyAssignedAppRole(error: unknown): boolean {
  return (
    error instanceof GraphError &&
    error.statusCode === 400 &&
    APP_ROLE_ALREADY_ASSIGNED.test(error.message ?? '')
  )
}

/** Graph's `request-id` of a failed call (for the logs), from the error body or, failing that, the header. */
export function graphRequestId(error: unknown): string | undefined {
  if (!(error instanceof GraphError)) return undefined
  return error.requestId ?? error.headers?.get('request-id') ?? undefined
}

// The SDK reads `request-id` only from the error body; an answer without one (a proxy's 502) still has the header.
function rememberRequestId(error: GraphError): void {
  if (!error.requestId) error.requestId = error.headers?.get('request-id') ?? null
}

/** `Retry-After` as whole seconds (at least 1): delta-seconds or an HTTP date. */
function retryAfter(error: GraphError): number | undefined {
  const seconds = parseRetryAfter(error.headers?.get('retry-after'))
  // At least a second: "retry after 0" from a throttling service would only hammer it again.
  return seconds === undefined ? undefined : Math.max(1, seconds)
}
