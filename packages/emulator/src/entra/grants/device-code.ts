import { aadsts } from '../aadsts.js'
import { deviceCodeErrors } from '../device-code-errors.js'
import { deviceCodesOf } from '../device-codes.js'
import { grantDelegated, parseScopeRequest } from '../scopes.js'
import { activeUser } from '../sign-in-users.js'
import type { TokenContext, TokenResponseBody } from '../token-context.js'
import { issueUserTokens } from '../user-tokens.js'

/** The grant type a device polls the token endpoint with (RFC 8628 §3.4; MSAL sends Entra's short `device_code`). */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code'

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` (or `device_code`): `authorization_pending` until a person approves the
 * code on `/devicelogin` (or through `POST /_emulator/device-codes/{user_code}/approve`), then tokens as the
 * authorization-code grant issues them, once. Declined and expired codes answer as Entra does; a code of another
 * client or tenant is not recognised.
 */
export async function redeemDeviceCode(context: TokenContext): Promise<TokenResponseBody> {
  const { emulator, tenant, client, param } = context
  const deviceCode = param('device_code') ?? param('code')
  if (!deviceCode) throw aadsts.missingParameter('device_code')
  const store = deviceCodesOf(emulator)
  const grant = store.byDeviceCode(deviceCode)
  if (!grant || grant.tenantId !== tenant.id || grant.clientId !== client.clientId.toLowerCase()) {
    throw deviceCodeErrors.badVerificationCode()
  }
  if (grant.status === 'redeemed') throw deviceCodeErrors.alreadyRedeemed()
  if (grant.status === 'declined') throw deviceCodeErrors.authorizationDeclined()
  if (store.isExpired(grant)) throw deviceCodeErrors.expiredToken()
  if (grant.status === 'pending' || !grant.userId) throw deviceCodeErrors.authorizationPending()
  grant.status = 'redeemed'
  const user = activeUser(tenant, grant.userId)
  if (!user) throw aadsts.userDisabled()
  const scopes = parseScopeRequest(tenant, client, param('scope') ?? grant.scope, 'token')
  return issueUserTokens(context, {
    user,
    scopes,
    grant: grantDelegated(scopes, client, 'interactive'),
    mfa: grant.mfa,
    sessionId: grant.sessionId,
    nonce: null,
  })
}
