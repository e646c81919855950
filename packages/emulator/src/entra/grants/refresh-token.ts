import { aadsts } from '../aadsts.js'
import { claimsDemandMfa } from '../claims.js'
import { isSinglePageApp } from '../client-kinds.js'
import { grantDelegated, parseScopeRequest, resourceIdOf } from '../scopes.js'
import { activeUser } from '../sign-in-users.js'
import type { TokenContext, TokenResponseBody } from '../token-context.js'
import { issueUserTokens, spaRefreshIssuedAt } from '../user-tokens.js'

/**
 * `grant_type=refresh_token`: new tokens for any resource the user may reach (Entra's refresh tokens are
 * multi-resource) and a new refresh token; the old one stays valid until it expires, as in Entra. A `claims`
 * challenge the grant's sign-in cannot satisfy (no MFA) answers `interaction_required`, so MSAL falls back to an
 * interactive request. A single-page app's refresh token is redeemed cross-origin only (AADSTS9002327).
 */
export async function redeemRefreshToken(context: TokenContext): Promise<TokenResponseBody> {
  const { emulator, tenant, client, param, crossOrigin } = context
  const token = param('refresh_token')
  if (!token) throw aadsts.missingParameter('refresh_token')
  const grant = emulator.directory.refreshTokens.get(token)
  if (!grant || grant.tenantId !== tenant.id || grant.clientId !== client.clientId.toLowerCase()) {
    throw aadsts.invalidGrant()
  }
  if (isSinglePageApp(client) && !crossOrigin) throw aadsts.spaRedemptionNotCrossOrigin()
  if (grant.expiresAtMs <= emulator.clock()) {
    emulator.directory.refreshTokens.delete(token)
    throw isSinglePageApp(client)
      ? aadsts.spaRefreshTokenExpired(spaRefreshIssuedAt(grant.expiresAtMs))
      : aadsts.grantExpired()
  }
  const user = activeUser(tenant, grant.userId)
  if (!user) throw aadsts.userDisabled()
  const scopes = parseScopeRequest(tenant, client, param('scope') ?? grant.scopes.join(' '), 'token')
  if (claimsDemandMfa(param('claims')) && !grant.mfa) {
    throw aadsts.mfaRequired(resourceIdOf(scopes.resource), 'interaction_required')
  }
  // Grants born from On-Behalf-Of have no browser session and keep On-Behalf-Of's admin-consent rule.
  const flow = grant.sessionId === null ? 'on-behalf-of' : 'interactive'
  return issueUserTokens(context, {
    user,
    scopes,
    grant: grantDelegated(scopes, client, flow),
    mfa: grant.mfa,
    sessionId: grant.sessionId,
    nonce: null,
    refreshTokenExpiresAtMs: grant.expiresAtMs,
  })
}
