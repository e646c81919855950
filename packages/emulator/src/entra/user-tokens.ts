import { randomBytes } from 'node:crypto'
import type { DirectoryUser } from '../state/directory.js'
import { clientInfo } from './client-info.js'
import { isSinglePageApp } from './client-kinds.js'
import { type DelegatedGrant, type ScopeRequest, userRolesFor } from './scopes.js'
import type { TokenContext, TokenResponseBody } from './token-context.js'

/** Access-token lifetime the emulator announces and signs (Entra picks 60–90 minutes at random). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 75 * 60
const ID_TOKEN_LIFETIME_SECONDS = 60 * 60
// Refresh tokens of single-page apps live 24 hours from sign-in and never slide; others 90 days, sliding.
const SPA_REFRESH_LIFETIME_MS = 24 * 60 * 60 * 1000
const REFRESH_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000

/** What a user token response is made of. */
export interface UserTokenInput {
  user: DirectoryUser
  scopes: ScopeRequest
  grant: DelegatedGrant
  /** Whether the sign-in behind the request included MFA (carried in every token's `aio`). */
  mfa: boolean
  /** The browser session (`sid`), `null` for On-Behalf-Of. */
  sessionId: string | null
  nonce: string | null
  /** For a refreshed single-page app token: the fixed expiry of the refresh token it came from. */
  refreshTokenExpiresAtMs?: number
}

/**
 * A user token response as Entra's v2 token endpoint sends it: `token_type`, `scope`, `expires_in`,
 * `ext_expires_in`, `access_token`, plus `refresh_token` for `offline_access`, `id_token` for `openid` and
 * `client_info` when the client sent `client_info=1`.
 */
export async function issueUserTokens(
  context: TokenContext,
  input: UserTokenInput,
): Promise<TokenResponseBody> {
  const { emulator, tenant, client, clientAuthentication, param } = context
  const { user, scopes, grant } = input
  const session = { mfa: input.mfa }
  const common = {
    tenant,
    clientId: client.clientId,
    clientAuthentication,
    user,
    session,
    lifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
  }
  const accessToken =
    scopes.resource.kind === 'graph'
      ? await emulator.tokens.graphAccessToken({ ...common, scopes: grant.scp, roles: [] })
      : await emulator.tokens.apiAccessToken({
          ...common,
          api: scopes.resource.app,
          scopes: grant.scp,
          roles: userRolesFor(tenant, scopes.resource.app, user),
        })
  const body: TokenResponseBody = {
    token_type: 'Bearer',
    scope: grant.responseScope,
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
  }
  if (scopes.oidc.offlineAccess) body.refresh_token = newRefreshToken(context, input)
  if (scopes.oidc.openid) {
    body.id_token = await emulator.tokens.idToken({
      ...common,
      lifetimeSeconds: ID_TOKEN_LIFETIME_SECONDS,
      nonce: input.nonce,
      sessionId: input.sessionId,
    })
  }
  if (param('client_info') === '1') body.client_info = clientInfo(user.id, tenant.id)
  return body
}

function newRefreshToken(context: TokenContext, input: UserTokenInput): string {
  const { emulator, tenant, client } = context
  const now = emulator.clock()
  const spa = isSinglePageApp(client)
  const token = `1.${randomBytes(64).toString('base64url')}`
  emulator.directory.refreshTokens.set(token, {
    tenantId: tenant.id,
    clientId: client.clientId.toLowerCase(),
    userId: input.user.id,
    scopes: [...input.scopes.requested],
    mfa: input.mfa,
    sessionId: input.sessionId,
    expiresAtMs: spa
      ? (input.refreshTokenExpiresAtMs ?? now + SPA_REFRESH_LIFETIME_MS)
      : now + REFRESH_LIFETIME_MS,
  })
  return token
}

/** When a single-page app's refresh token was issued, from its fixed expiry (for Entra's AADSTS700084 text). */
export function spaRefreshIssuedAt(expiresAtMs: number): number {
  return expiresAtMs - SPA_REFRESH_LIFETIME_MS
}
