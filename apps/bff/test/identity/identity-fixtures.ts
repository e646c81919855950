import type { RunningEmulator } from '@entra-share/emulator'
import { authorizeUrl, SPA_REDIRECT_URI, visit } from '@entra-share/emulator/testing'
import { decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from 'jose'
import type { Caller } from '../../src/identity/caller.js'
import { seeded } from '../support.js'

/** Signs `payload` with the emulator's real signing key, RS256, with the header Entra uses (`kid`, `x5t`). */
export function signWithEmulatorKey(
  emulator: RunningEmulator,
  payload: JWTPayload,
  header: Record<string, string> = {},
): Promise<string> {
  const key = emulator.context.signingKey
  return new SignJWT(payload)
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: key.x5t, kid: key.kid, ...header })
    .sign(key.privateKey)
}

/** The claims and header of a real token, to forge variants that differ from it in exactly one way. */
export function partsOf(token: string) {
  return { payload: decodeJwt(token), header: decodeProtectedHeader(token) }
}

/** `base64url(JSON)`: a JWT segment. */
export function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/**
 * Signs a user of any tenant in to the SPA for `scope` through that tenant's own authorize and token endpoints
 * (the emulator's `signInToSpa` always uses the first tenant).
 */
export async function signInToTenant(
  emulator: RunningEmulator,
  tenantId: string,
  loginHint: string,
  scope: string,
): Promise<string> {
  const fullScope = `${scope} openid profile offline_access`
  const start = authorizeUrl(emulator, { loginHint, scope: fullScope })
  const url = start.url.replace(`/${emulator.settings.tenantId}/`, `/${tenantId}/`)
  const outcome = await visit(url)
  const code = outcome.params.get('code')
  if (!code)
    throw new Error(`no code from ${tenantId}: ${outcome.location?.href ?? outcome.html.slice(0, 500)}`)
  const response = await fetch(`${emulator.url}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:5173' },
    body: new URLSearchParams({
      client_id: seeded.spaClientId,
      grant_type: 'authorization_code',
      code,
      redirect_uri: SPA_REDIRECT_URI,
      code_verifier: start.codeVerifier,
      scope: fullScope,
      client_info: '1',
    }),
  })
  const body = (await response.json()) as { access_token?: string }
  if (!body.access_token) throw new Error(`token endpoint of ${tenantId} said ${JSON.stringify(body)}`)
  return body.access_token
}

/**
 * Requests of a grant by the seed's BFF app that reached the emulator's token endpoint (injected faults answer
 * before counting), in one tenant or in all.
 */
export function bffTokenRequests(emulator: RunningEmulator, grantType: string, tenantId?: string): number {
  return emulator.context.directory
    .tokenRequests()
    .filter(
      (entry) =>
        entry.grantType === grantType &&
        entry.clientId === seeded.bffClientId &&
        (tenantId === undefined || entry.tenantId === tenantId),
    )
    .reduce((sum, entry) => sum + entry.count, 0)
}

/** The caller the validator would build from a real token (only what the token provider reads matters). */
export function callerFromToken(accessToken: string): Caller {
  const claims = decodeJwt(accessToken)
  return {
    tenantId: String(claims.tid),
    objectId: String(claims.oid),
    name: null,
    username: null,
    scopes: String(claims.scp ?? '')
      .split(' ')
      .filter(Boolean),
    roles: [],
    clientId: String(claims.azp),
    appOnly: claims.scp === undefined,
    isAdmin: false,
    accessToken,
  }
}
