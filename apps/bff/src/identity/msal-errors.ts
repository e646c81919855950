import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node'
import type { BffConfig } from '../config.js'
import { isProblemError, ProblemError } from '../platform/problem-error.js'
import { TokenServiceUnavailableError } from './token-service-client.js'
import { claimsChallenge, invalidTokenChallenge } from './www-authenticate.js'

/** Which grant failed: the wording of `consent_required` names the kind of permission an admin must grant. */
export type TokenGrant = 'on-behalf-of' | 'client-credentials'

// AADSTS65001: no consent for the app's permissions; AADSTS500133: the assertion has expired.
const CONSENT_MISSING = '65001'
const ASSERTION_EXPIRED = '500133'
// msal-common's own codes for "no usable answer came back".
const TRANSPORT_ERRORS = new Set(['network_error', 'token_parsing_error', 'endpoints_resolution_error'])

/**
 * The admin-consent URL of the app in its tenant, where an administrator grants the app's permissions.
 *
 * @example
 * adminConsentUrl(config) // 'https://login.microsoftonline.com/{tenant}/adminconsent?client_id={clientId}'
 */
export function adminConsentUrl(config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'clientId'>): string {
  return `${config.authorityHost}/${config.tenantId}/adminconsent?client_id=${encodeURIComponent(config.clientId)}`
}

/**
 * `consent_required` with the admin-consent link and a sentence telling an administrator what to grant.
 *
 * @example
 * throw consentRequired(config, 'client-credentials')
 */
export function consentRequired(
  config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'clientId'>,
  grant: TokenGrant,
  cause?: unknown,
): ProblemError {
  const kind = grant === 'on-behalf-of' ? 'delegated' : 'application'
  return new ProblemError('consent_required', {
    detail: `An administrator must grant admin consent to this app's ${kind} Microsoft Graph permissions (User.Invite.All, and GroupMember.ReadWrite.All for group presets) at the admin consent URL.`,
    adminConsentUrl: adminConsentUrl(config),
    ...(cause === undefined ? {} : { cause }),
  })
}

/**
 * Maps what msal-node throws to the BFF's catalogued problems: a Conditional Access claims challenge, missing
 * consent, an assertion Entra no longer accepts, an unavailable token service, or a configuration fault of the
 * BFF itself (`internal_error`, with the cause kept for the log and a generic detail for the caller).
 *
 * @example
 * try { await app.acquireTokenOnBehalfOf(request) } catch (error) { throw problemFromMsalError(error, config, 'on-behalf-of') }
 */
export function problemFromMsalError(
  error: unknown,
  config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'clientId'>,
  grant: TokenGrant,
): ProblemError {
  if (isProblemError(error)) return error
  if (error instanceof TokenServiceUnavailableError)
    return tokenServiceUnavailable(error.retryAfterSeconds, error)
  if (!(error instanceof AuthError)) return internalError(error)

  const errorNo = 'errorNo' in error && error.errorNo !== undefined ? String(error.errorNo) : ''
  if (
    errorNo === CONSENT_MISSING ||
    error.subError === 'consent_required' ||
    error.errorCode === 'consent_required'
  ) {
    return consentRequired(config, grant, error)
  }
  if (error instanceof InteractionRequiredAuthError && error.claims) {
    const claims = Buffer.from(error.claims, 'utf8').toString('base64')
    const authorizationUri = `${config.authorityHost}/${config.tenantId}/oauth2/v2.0/authorize`
    return new ProblemError('claims_challenge', {
      detail: 'Sign in again with the additional verification your organization requires, then retry.',
      claims,
      headers: { 'WWW-Authenticate': claimsChallenge(authorizationUri, claims) },
      cause: error,
    })
  }
  if (error.errorCode === 'temporarily_unavailable') return tokenServiceUnavailable(null, error)
  if (TRANSPORT_ERRORS.has(error.errorCode)) return tokenServiceUnavailable(null, error)
  if (
    grant === 'on-behalf-of' &&
    (error instanceof InteractionRequiredAuthError ||
      (error instanceof ServerError && error.errorCode === 'invalid_grant'))
  ) {
    const detail =
      errorNo === ASSERTION_EXPIRED
        ? 'The access token has expired.'
        : 'Microsoft Entra ID no longer accepts the access token; sign in again.'
    return new ProblemError('unauthenticated', {
      detail,
      headers: { 'WWW-Authenticate': invalidTokenChallenge(detail) },
      cause: error,
    })
  }
  // invalid_client, unauthorized_client, invalid_scope, invalid_request...: the BFF's registration or
  // credentials are wrong. The operator needs the cause; the caller must not see it.
  return internalError(error)
}

function tokenServiceUnavailable(retryAfterSeconds: number | null, cause: unknown): ProblemError {
  return new ProblemError('upstream_unavailable', {
    detail:
      retryAfterSeconds === null
        ? 'Microsoft Entra ID is unavailable; try again later.'
        : `Microsoft Entra ID is unavailable; try again in ${retryAfterSeconds} seconds.`,
    ...(retryAfterSeconds === null
      ? {}
      : { retryAfterSeconds, headers: { 'Retry-After': String(retryAfterSeconds) } }),
    cause,
  })
}

function internalError(cause: unknown): ProblemError {
  return new ProblemError('internal_error', { cause })
}
