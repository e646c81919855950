import { createHash } from 'node:crypto'
import type { AuthorizationCodeGrant } from '../../state/directory.js'
import { aadsts } from '../aadsts.js'
import { isSinglePageApp } from '../client-kinds.js'
import { grantDelegated, parseScopeRequest } from '../scopes.js'
import { activeUser } from '../sign-in-users.js'
import type { TokenContext, TokenResponseBody } from '../token-context.js'
import { issueUserTokens } from '../user-tokens.js'

/**
 * `grant_type=authorization_code`: redeems a code from `/authorize` once, checking client, tenant, redirect URI and
 * PKCE as Entra does. Single-page apps must use PKCE (AADSTS9002325) and redeem cross-origin, with an `Origin`
 * header (AADSTS9002327). The `scope` sent here picks the resource of the access token, as MSAL relies on.
 */
export async function redeemAuthorizationCode(context: TokenContext): Promise<TokenResponseBody> {
  const { emulator, tenant, client, param, redeemedCodes, crossOrigin } = context
  const code = param('code')
  if (!code) throw aadsts.missingParameter('code')
  const redirectUri = param('redirect_uri')
  if (!redirectUri) throw aadsts.missingParameter('redirect_uri')
  const grant = emulator.directory.authorizationCodes.get(code)
  if (!grant) throw redeemedCodes.has(code) ? aadsts.codeRedeemed() : aadsts.invalidGrant()
  // A code is spent by its first redemption, successful or not.
  emulator.directory.authorizationCodes.delete(code)
  redeemedCodes.add(code)
  if (grant.tenantId !== tenant.id) throw aadsts.codeForOtherTenant()
  if (grant.clientId !== client.clientId.toLowerCase()) throw aadsts.invalidGrant()
  if (isSinglePageApp(client) && !crossOrigin) throw aadsts.spaRedemptionNotCrossOrigin()
  if (grant.expiresAtMs <= emulator.clock()) throw aadsts.grantExpired()
  if (redirectUri !== grant.redirectUri) throw aadsts.replyAddressMismatch(redirectUri, grant.redirectUri)
  verifyPkce(grant, param('code_verifier'), isSinglePageApp(client))
  const user = activeUser(tenant, grant.userId)
  if (!user) throw aadsts.userDisabled()
  const scopes = parseScopeRequest(tenant, client, param('scope') ?? grant.scopes.join(' '), 'token')
  return issueUserTokens(context, {
    user,
    scopes,
    grant: grantDelegated(scopes, client, 'interactive'),
    mfa: grant.mfa,
    sessionId: grant.sessionId,
    nonce: grant.nonce,
  })
}

function verifyPkce(grant: AuthorizationCodeGrant, verifier: string | undefined, spa: boolean): void {
  if (!grant.codeChallenge) {
    if (spa) throw aadsts.pkceRequired()
    return
  }
  const computed =
    grant.codeChallengeMethod === 'S256'
      ? createHash('sha256')
          .update(verifier ?? '')
          .digest('base64url')
      : verifier
  if (!verifier || computed !== grant.codeChallenge) throw aadsts.pkceMismatch()
}
