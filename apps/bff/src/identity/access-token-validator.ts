import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import type { BffConfig } from '../config.js'
import { ProblemError } from '../platform/problem-error.js'
import { isEmulatorAuthority, jwksUri } from './authority.js'
import type { AccessTokenValidator, Caller } from './caller.js'
import {
  insufficientScopeChallenge,
  invalidTokenChallenge,
  missingTokenChallenge,
} from './www-authenticate.js'

// Entra access tokens are a few kilobytes; anything far larger is not one and is refused before parsing.
const MAX_TOKEN_LENGTH = 16_384
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type ValidatorConfig = Pick<
  BffConfig,
  | 'tenantId'
  | 'clientId'
  | 'authorityHost'
  | 'authorityMetadata'
  | 'audiences'
  | 'allowedTenantIds'
  | 'requiredScope'
  | 'requiredRoles'
  | 'adminRole'
  | 'allowedClientIds'
  | 'clockToleranceSeconds'
  | 'maxTokenLifetimeSeconds'
>

/**
 * Validates the BFF's bearer tokens as Entra ID issues them: RS256 signatures from the tenant's JWKS only, the
 * configured audiences, a tenant on the allow list, the issuer that tenant's tokens carry (v2
 * `{authorityHost}/{tid}/v2.0` or v1 `https://sts.windows.net/{tid}/`), `exp`/`nbf` with the configured skew,
 * `iat` neither in the future nor older than, and `exp - iat` no longer than, the maximum token lifetime, `oid`, the
 * calling client (`azp`/`appid`) on the allow list, and `scp` holding the required scope or `roles` holding a
 * required role.
 *
 * The allow list fails closed: empty, it lets no client in, except against the local emulator (a loopback
 * authority host), where it means any client.
 *
 * Failures are `ProblemError`s: `unauthenticated` (401, `Bearer error="invalid_token"`), `tenant_not_allowed`
 * (403: a verified token of a tenant not on the allow list), `insufficient_scope` (403) or, when the signing keys cannot be fetched, `upstream_unavailable`. No message ever contains the token.
 *
 * @example
 * const validator = createAccessTokenValidator(config)
 * const caller = await validator.validate(request.headers.authorization)
 * caller.objectId // the signed-in user's oid
 */
export function createAccessTokenValidator(config: ValidatorConfig): AccessTokenValidator {
  const jwks = createRemoteJWKSet(new URL(jwksUri(config)))
  const allowedTenants = new Set(config.allowedTenantIds.map((id) => id.toLowerCase()))
  const allowedClients = new Set(config.allowedClientIds.map((id) => id.toLowerCase()))
  const anyClient = allowedClients.size === 0 && isEmulatorAuthority(config.authorityHost)
  const apiUri = applicationIdUri(config)
  const requiredScopeUri = config.requiredScope ? `${apiUri}/${config.requiredScope}` : null

  // Key lookups that fail because the token names a key we do not have are the token's fault; anything else
  // (network, non-200, unparsable key set) means Entra's key endpoint is unavailable.
  const signingKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await jwks(header, token)
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error
      }
      throw new ProblemError('upstream_unavailable', {
        detail: "Microsoft Entra ID's signing keys could not be fetched; try again later.",
        cause: error,
      })
    }
  }

  return {
    async validate(authorizationHeader) {
      const token = bearerToken(authorizationHeader, apiUri)
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, signingKey, {
          algorithms: ['RS256'],
          audience: config.audiences,
          clockTolerance: config.clockToleranceSeconds,
          // Entra always sends `iat`. With maxTokenAge jose also refuses an `iat` in the future beyond the skew, and
          // one older than the longest lifetime Entra issues (which no unexpired Entra token can have).
          maxTokenAge: config.maxTokenLifetimeSeconds,
          requiredClaims: ['exp', 'iat', 'iss', 'tid', 'oid'],
        }))
      } catch (error) {
        if (error instanceof ProblemError) throw error
        // jose's errors carry the decoded claims (names, addresses); they stay out of the problem and its logs.
        throw unauthenticated(describeJoseError(error))
      }
      checkLifetime(payload, config.maxTokenLifetimeSeconds)
      checkTenantAndIssuer(payload, allowedTenants, config.authorityHost)
      // The user key is tid+oid: an oid that is not a GUID (empty, a number) would key every such caller together.
      if (!GUID.test(stringClaim(payload, 'oid') ?? ''))
        throw unauthenticated("The access token's 'oid' claim is not an object id.")
      const clientId = stringClaim(payload, 'azp') ?? stringClaim(payload, 'appid')
      if (!anyClient && !(clientId && allowedClients.has(clientId.toLowerCase()))) {
        throw unauthenticated(clientNotAllowed(clientId, allowedClients.size === 0))
      }
      const caller = callerFrom(payload, token, clientId, config.adminRole)
      checkPermission(caller, config, requiredScopeUri)
      return caller
    },
  }
}

/** The `Bearer` token of an `Authorization` header, or `unauthenticated` with RFC 6750's challenge. */
function bearerToken(header: string | undefined, realm: string): string {
  if (!header || header.trim() === '') {
    throw new ProblemError('unauthenticated', {
      detail: 'The request has no access token; send one in the Authorization header as "Bearer <token>".',
      headers: { 'WWW-Authenticate': missingTokenChallenge(realm) },
    })
  }
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim())
  if (!match?.[1]) {
    throw new ProblemError('unauthenticated', {
      detail: 'The Authorization header must be "Bearer <token>".',
      headers: { 'WWW-Authenticate': missingTokenChallenge(realm) },
    })
  }
  if (match[1].length > MAX_TOKEN_LENGTH) throw unauthenticated('The access token is malformed.')
  return match[1]
}

/**
 * Entra issues access tokens for 60 to 90 minutes by default, and configurable token lifetime policies allow at most
 * one day (AccessTokenLifetime, 10 minutes to 1 day):
 * https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes and "Token lifetime" in
 * https://learn.microsoft.com/entra/identity-platform/access-tokens. A longer `exp - iat` is a token Entra did not
 * issue as such, or one that would outlive a disabled account; `nbf` can only shorten the window, so `iat` measures it.
 */
function checkLifetime(payload: JWTPayload, maxLifetimeSeconds: number): void {
  // jose has checked that both are numbers (exp and iat are required).
  const lifetime = (payload.exp as number) - (payload.iat as number)
  if (lifetime > maxLifetimeSeconds) {
    throw unauthenticated(
      `The access token's lifetime (exp - iat) is longer than the ${maxLifetimeSeconds} seconds this API accepts.`,
    )
  }
}

/** The refusal of a client app that is not on the allow list; the detail names the variable that lists it. */
function clientNotAllowed(clientId: string | null, noneAllowed: boolean): string {
  const client = clientId && GUID.test(clientId) ? `client application ${clientId}` : 'a client application'
  return noneAllowed
    ? `The access token was issued to ${client}, and this API accepts no client application yet: its operator must list the client ids of the apps that call it in ENTRA_SHARE_ALLOWED_CLIENT_IDS.`
    : `The access token was issued to ${client}, which this API does not accept: its operator must add the client id to ENTRA_SHARE_ALLOWED_CLIENT_IDS.`
}

/**
 * The issuer is derived from the verified `tid`, never taken from configuration alone, so a token signed by
 * Entra for tenant A can never pass as tenant B's: v2 tokens name `{authorityHost}/{tid}/v2.0`, v1 tokens
 * `https://sts.windows.net/{tid}/` (Entra's v1 issuer, whatever the authority host).
 *
 * Only a token whose signature verified (Entra signs every tenant's tokens with the same published keys) and whose
 * issuer matches its `tid` is trusted to name its tenant. A tenant that is not on the allow list is then
 * `403 tenant_not_allowed`, not a 401: the user signed in correctly, and signing in again would only loop.
 */
function checkTenantAndIssuer(payload: JWTPayload, allowedTenants: Set<string>, authorityHost: string): void {
  const tid = stringClaim(payload, 'tid') ?? ''
  const expected = payload.ver === '1.0' ? `https://sts.windows.net/${tid}/` : `${authorityHost}/${tid}/v2.0`
  if (!GUID.test(tid) || payload.iss !== expected) {
    throw unauthenticated("The access token's issuer does not match its tenant.")
  }
  if (!allowedTenants.has(tid.toLowerCase())) {
    throw new ProblemError('tenant_not_allowed', {
      detail: `Your organization (tenant ${tid.toLowerCase()}) is not allowed to use this API; its operator must add the tenant id to ENTRA_SHARE_ALLOWED_TENANT_IDS.`,
    })
  }
}

function callerFrom(payload: JWTPayload, token: string, clientId: string | null, adminRole: string): Caller {
  const scp = stringClaim(payload, 'scp')
  const roles = Array.isArray(payload.roles)
    ? payload.roles.filter((role): role is string => typeof role === 'string')
    : []
  return {
    tenantId: (stringClaim(payload, 'tid') ?? '').toLowerCase(),
    objectId: (stringClaim(payload, 'oid') ?? '').toLowerCase(),
    name: stringClaim(payload, 'name'),
    username: stringClaim(payload, 'preferred_username') ?? stringClaim(payload, 'upn'),
    scopes: scp ? scp.split(' ').filter(Boolean) : [],
    roles,
    clientId,
    // Delegated tokens always carry `scp`; Entra marks app-only ones with `idtyp: app` when asked to.
    appOnly: scp === null || payload.idtyp === 'app',
    isAdmin: roles.includes(adminRole),
    accessToken: token,
  }
}

function checkPermission(caller: Caller, config: ValidatorConfig, requiredScopeUri: string | null): void {
  const hasScope =
    !caller.appOnly && config.requiredScope !== null && caller.scopes.includes(config.requiredScope)
  const hasRole = caller.roles.some((role) => config.requiredRoles.includes(role))
  if (hasScope || hasRole) return
  const needed = [
    ...(config.requiredScope ? [`the scope '${config.requiredScope}'`] : []),
    ...(config.requiredRoles.length ? [`one of the app roles ${config.requiredRoles.join(', ')}`] : []),
  ]
  const detail = `The access token must grant ${needed.join(' or ') || 'a permission this API does not define'}.`
  throw new ProblemError('insufficient_scope', {
    detail,
    headers: { 'WWW-Authenticate': insufficientScopeChallenge(requiredScopeUri, detail) },
  })
}

/** One sentence per way a token can fail jose's checks. */
function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    // maxTokenAge: issued longer ago than the longest lifetime this API accepts.
    if (error.claim === 'iat') return 'The access token was issued too long ago.'
    return 'The access token has expired.'
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `The access token has no '${error.claim}' claim.`
    if (error.claim === 'nbf') return 'The access token is not valid yet.'
    if (error.claim === 'aud') return 'The access token was issued for another audience.'
    if (error.claim === 'iat' && error.reason === 'check_failed')
      return "The access token's issue time (iat) is in the future."
    if (error.claim === 'iat') return 'The access token has an invalid issue time.'
    return `The access token's '${error.claim}' claim is not valid.`
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token must be signed with RS256.'
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'The access token is signed with a key Microsoft Entra ID does not publish for this tenant.'
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSMultipleMatchingKeys
  )
    return "The access token's signature is not valid."
  return 'The access token is malformed.'
}

function unauthenticated(detail: string): ProblemError {
  return new ProblemError('unauthenticated', {
    detail,
    headers: { 'WWW-Authenticate': invalidTokenChallenge(detail) },
  })
}

/** The API's Application ID URI: the first configured audience that is not the bare client id. */
function applicationIdUri(config: Pick<BffConfig, 'audiences' | 'clientId'>): string {
  return (
    config.audiences.find((audience) => audience.toLowerCase() !== config.clientId.toLowerCase()) ??
    `api://${config.clientId}`
  )
}

function stringClaim(payload: JWTPayload, name: string): string | null {
  const value = payload[name]
  return typeof value === 'string' && value !== '' ? value : null
}
