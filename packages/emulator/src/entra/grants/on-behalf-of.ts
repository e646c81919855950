import { decodeProtectedHeader, type JWTPayload, errors as joseErrors } from 'jose'
import type { ApplicationSeed } from '../../state/seed.js'
import { aadsts } from '../aadsts.js'
import { mfaClaimsChallenge } from '../claims.js'
import { grantDelegated, parseScopeRequest, resourceIdOf } from '../scopes.js'
import type { TokenContext, TokenResponseBody } from '../token-context.js'
import { decodeSessionFacts } from '../token-service.js'
import { issueUserTokens } from '../user-tokens.js'

/**
 * On-Behalf-Of (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, `requested_token_use=on_behalf_of`):
 * exchanges a user's access token for this API (the assertion) for a token to a downstream resource.
 *
 * Checked as Entra checks it: signature and lifetime (AADSTS50013, AADSTS500133), issuing tenant, audience = this
 * client (AADSTS500131), a user principal; every Graph permission admin-consented for this client (else
 * `invalid_grant` + `consent_required`, AADSTS65001); and when a Conditional Access policy requires MFA that the
 * user's sign-in did not perform, `invalid_grant` + `basic_action` with a `claims` challenge (AADSTS50076).
 *
 * Like Entra, the answer carries an id_token when `openid` is requested (MSAL adds it) and a refresh token for
 * `offline_access`.
 */
export async function onBehalfOf(context: TokenContext): Promise<TokenResponseBody> {
  const { emulator, tenant, client, param } = context
  if (param('requested_token_use') !== 'on_behalf_of') throw aadsts.missingParameter('requested_token_use')
  const assertion = param('assertion')
  if (!assertion) throw aadsts.missingParameter('assertion')
  const claims = await verifyAssertion(context, assertion)
  checkIssuer(context, claims)
  checkAudience(client, claims)
  if (claims.idtyp === 'app' || typeof claims.scp !== 'string') throw aadsts.assertionNotUser()
  const oid = String(claims.oid ?? '')
  const user = tenant.users.get(oid.toLowerCase())
  if (!user) throw aadsts.userNotFound(oid, tenant.displayName)
  if (!user.accountEnabled) throw aadsts.userDisabled()

  const scopes = parseScopeRequest(tenant, client, param('scope') ?? '', 'token')
  const grant = grantDelegated(scopes, client, 'on-behalf-of')
  const session = decodeSessionFacts(claims.aio)
  if (
    !session.mfa &&
    (user.requiresMfa || emulator.faults.needsClaimsChallenge(user.id, user.userPrincipalName))
  ) {
    throw aadsts.mfaRequired(resourceIdOf(scopes.resource), 'invalid_grant', mfaClaimsChallenge(tenant.id))
  }
  return issueUserTokens(context, { user, scopes, grant, mfa: session.mfa, sessionId: null, nonce: null })
}

async function verifyAssertion(context: TokenContext, assertion: string): Promise<JWTPayload> {
  const { emulator } = context
  try {
    return await emulator.tokens.verify(assertion)
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw aadsts.assertionExpired(emulator.clock(), Number(error.payload.exp) * 1000)
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
      throw aadsts.assertionExpired(emulator.clock(), Number(error.payload.exp) * 1000)
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed)
      throw aadsts.assertionSignature(thumbprintOf(assertion))
    throw aadsts.malformedAssertion()
  }
}

function checkIssuer(context: TokenContext, claims: JWTPayload): void {
  const { emulator, tenant } = context
  const issuers = [emulator.tokens.issuerV2(tenant.id), emulator.tokens.issuerV1(tenant.id)]
  if (String(claims.tid ?? '').toLowerCase() !== tenant.id || !issuers.includes(String(claims.iss))) {
    throw aadsts.assertionWrongTenant(String(claims.iss), tenant.id)
  }
}

function checkAudience(client: ApplicationSeed, claims: JWTPayload): void {
  const audience = Array.isArray(claims.aud) ? claims.aud.join(' ') : String(claims.aud ?? '')
  if (!acceptedAudiences(client).has(audience.toLowerCase())) {
    throw aadsts.assertionAudience(audience, client.clientId, client.displayName)
  }
}

/** Entra accepts the client id or one of the app's Application ID URIs as the assertion's audience. */
function acceptedAudiences(client: ApplicationSeed): Set<string> {
  return new Set(
    [client.clientId, client.identifierUri]
      .filter((value): value is string => !!value)
      .map((value) => value.toLowerCase()),
  )
}

function thumbprintOf(assertion: string): string {
  try {
    const header = decodeProtectedHeader(assertion)
    return String(header.x5t ?? header.kid ?? '')
  } catch {
    return ''
  }
}
