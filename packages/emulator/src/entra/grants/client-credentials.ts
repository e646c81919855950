import { servicePrincipalAppRoleValues } from '../../state/app-role-assignments.js'
import { aadsts } from '../aadsts.js'
import { findApi, isGraphResource } from '../scopes.js'
import type { TokenContext, TokenResponseBody } from '../token-context.js'
import { ACCESS_TOKEN_LIFETIME_SECONDS } from '../user-tokens.js'

const DEFAULT_SUFFIX = '/.default'

/**
 * `grant_type=client_credentials`: an app-only token for `{resource}/.default`. For Microsoft Graph the token's
 * `roles` are the app's admin-consented application permissions; for an API of the tenant, the app roles granted to
 * the client's service principal (the seed's `grantedAppRoles`, or assigned through Graph's `appRoleAssignedTo`). Entra answers without `scope`, `refresh_token` or `id_token`.
 */
export async function clientCredentials(context: TokenContext): Promise<TokenResponseBody> {
  const { emulator, tenant, client, clientAuthentication, param } = context
  const scope = param('scope')
  if (!scope) throw aadsts.missingParameter('scope')
  const scopes = scope.split(/\s+/).filter(Boolean)
  if (scopes.length !== 1 || !scopes[0]?.toLowerCase().endsWith(DEFAULT_SUFFIX)) {
    throw aadsts.clientCredentialsScope(scope)
  }
  const resource = (scopes[0] as string).slice(0, -DEFAULT_SUFFIX.length)
  const common = {
    tenant,
    clientId: client.clientId,
    clientAuthentication,
    user: null,
    session: { mfa: false },
    scopes: [],
    lifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
  }
  let accessToken: string
  if (isGraphResource(resource)) {
    // A permission the seed lists twice is still one grant.
    const roles = [
      ...new Set(
        (client.graphApplicationPermissions ?? [])
          .filter((permission) => permission.adminConsent)
          .map((permission) => permission.name),
      ),
    ]
    accessToken = await emulator.tokens.graphAccessToken({ ...common, roles })
  } else {
    const api = findApi(tenant, resource)
    if (!api) throw aadsts.resourceNotFound(resource, tenant.displayName)
    // The app role assignments of the client's service principal on the API: the seed's `grantedAppRoles`, and
    // those granted through Graph's `appRoleAssignedTo`.
    const roles = servicePrincipalAppRoleValues(tenant, api, client.clientId)
    accessToken = await emulator.tokens.apiAccessToken({ ...common, api, roles })
  }
  return {
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
  }
}
