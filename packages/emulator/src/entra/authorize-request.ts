import type { Directory, DirectoryUser, TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { aadsts } from './aadsts.js'
import { claimsDemandMfa } from './claims.js'
import { isSinglePageApp } from './client-kinds.js'
import { OAuthError } from './oauth-errors.js'
import { isRegisteredRedirectUri } from './redirect-uris.js'
import type { ParamReader } from './request-params.js'
import { parseScopeRequest, type ScopeRequest } from './scopes.js'
import { type Authority, authorityFromPath } from './tenant-path.js'

export type ResponseMode = 'query' | 'fragment' | 'form_post'

/** Where and how an authorize response goes back to the app. */
export interface AuthorizeReplyTarget {
  redirectUri: string
  responseMode: ResponseMode
  state: string | null
}

/** A validated `/authorize` request. */
export interface AuthorizeRequest extends AuthorizeReplyTarget {
  /**
   * The tenant the request signs in to. At `/organizations` and `/common` it is the first tenant listing the app
   * until a user is picked, then that user's home tenant (`forSignedInUser`).
   */
  tenant: TenantState
  /** The app's entry in `tenant`. */
  client: ApplicationSeed
  /** The tenants whose members may sign in: the one named, or every tenant listing a multi-tenant app. */
  tenants: TenantState[]
  /** The authority path segment as sent (tenant id, domain, `organizations`, `common`). */
  authoritySegment: string
  nonce: string | null
  /** The `scope` parameter as sent, and parsed. */
  scope: string
  scopes: ScopeRequest
  codeChallenge: string | null
  codeChallengeMethod: 'S256' | 'plain' | null
  prompt: string | null
  loginHint: string | null
  /** The `sid` MSAL sends with `prompt=none` to name the session it expects. */
  sid: string | null
  /** A Conditional Access claims challenge came with the request: sign-in must include MFA. */
  claimsDemandMfa: boolean
  /** `client_info=1`: the response carries `client_info` (`{"uid","utid"}`), as MSAL asks. */
  clientInfo: boolean
}

/**
 * Why an authorize request failed: before the client and redirect URI are trusted Entra can only show an error page;
 * afterwards it sends the error back to the app.
 */
export type AuthorizeFailure =
  | { kind: 'page'; error: OAuthError }
  | { kind: 'redirect'; error: OAuthError; target: AuthorizeReplyTarget }

const RESPONSE_MODES = new Set<ResponseMode>(['query', 'fragment', 'form_post'])

/** Validates an authorize request in Entra's order: tenant, client, redirect URI, then the rest. */
export function parseAuthorizeRequest(
  directory: Directory,
  tenantSegment: string,
  param: ParamReader,
): AuthorizeRequest | AuthorizeFailure {
  const clientId = param('client_id')
  let authority: Authority
  try {
    authority = authorityFromPath(directory, tenantSegment, clientId)
  } catch (error) {
    return asFailure(error)
  }
  const { tenant } = authority
  if (!clientId) return { kind: 'page', error: aadsts.missingParameter('client_id') }
  const client = tenant.applications.get(clientId.toLowerCase())
  if (!client) return { kind: 'page', error: aadsts.applicationNotFound(clientId, tenant.displayName) }
  const redirectUri = param('redirect_uri')
  if (!redirectUri) return { kind: 'page', error: aadsts.missingParameter('redirect_uri') }
  if (!isRegisteredRedirectUri(client, redirectUri)) {
    return { kind: 'page', error: aadsts.redirectUriMismatch(redirectUri, client.clientId) }
  }
  const requestedMode = param('response_mode') ?? 'query'
  if (!RESPONSE_MODES.has(requestedMode as ResponseMode)) {
    return { kind: 'page', error: aadsts.invalidResponseMode(requestedMode) }
  }
  const target: AuthorizeReplyTarget = {
    redirectUri,
    responseMode: requestedMode as ResponseMode,
    state: param('state') ?? null,
  }
  try {
    return {
      ...target,
      ...validateRest(tenant, client, param),
      tenants: authority.tenants,
      authoritySegment: tenantSegment,
    }
  } catch (error) {
    const failure = asFailure(error)
    return failure.kind === 'page' ? { kind: 'redirect', error: failure.error, target } : failure
  }
}

function validateRest(tenant: TenantState, client: ApplicationSeed, param: ParamReader) {
  const responseType = param('response_type')
  if (!responseType) throw aadsts.missingParameter('response_type')
  if (responseType !== 'code') throw aadsts.unsupportedResponseType(responseType)
  const scope = param('scope')
  if (!scope) throw aadsts.missingParameter('scope')
  const codeChallenge = param('code_challenge') ?? null
  const codeChallengeMethod = pkceMethod(client, codeChallenge, param('code_challenge_method'))
  return {
    tenant,
    client,
    nonce: param('nonce') ?? null,
    scope,
    scopes: parseScopeRequest(tenant, client, scope, 'authorize'),
    codeChallenge,
    codeChallengeMethod,
    prompt: param('prompt') ?? null,
    loginHint: param('login_hint') ?? null,
    sid: param('sid') ?? null,
    claimsDemandMfa: claimsDemandMfa(param('claims')),
    clientInfo: param('client_info') === '1',
  }
}

function pkceMethod(
  client: ApplicationSeed,
  challenge: string | null,
  method: string | undefined,
): AuthorizeRequest['codeChallengeMethod'] {
  if (challenge === null) return null
  // RFC 7636: a challenge without a method is `plain`, which single-page apps may not use.
  const effective = method ?? 'plain'
  if (effective === 'S256' || (effective === 'plain' && !isSinglePageApp(client))) return effective
  throw aadsts.pkceMethodNotAllowed(effective)
}

function asFailure(error: unknown): AuthorizeFailure {
  if (error instanceof OAuthError) return { kind: 'page', error }
  throw error
}

/**
 * The request as it continues for the picked user: in the user's home tenant, with the app's entry there and the
 * scopes checked against that tenant (a multi-tenant app's resource must exist where the user signs in).
 */
export function forSignedInUser(
  directory: Directory,
  request: AuthorizeRequest,
  user: DirectoryUser,
): AuthorizeRequest {
  if (user.tenantId === request.tenant.id) return request
  const tenant = directory.tenant(user.tenantId)
  const client = tenant?.applications.get(request.client.clientId.toLowerCase())
  if (!tenant || !client) throw aadsts.applicationNotFound(request.client.clientId, tenant?.displayName ?? '')
  return { ...request, tenant, client, scopes: parseScopeRequest(tenant, client, request.scope, 'authorize') }
}
