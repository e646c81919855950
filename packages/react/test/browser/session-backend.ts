import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RunningEmulator } from '@entra-share/emulator'
import { approveMfa, authorizeUrl, redeemCode, visit } from '@entra-share/emulator/testing'

/** One `GET /session/token` the page made. */
export interface SessionTokenRequest {
  scope: string
  claims: string | null
}

/**
 * The host backend of the page without MSAL: `/session/sign-in` starts a cookie session for one user, and
 * `/session/token?scope=…&claims=…` answers that session's access token (401 without a session). Each token comes
 * from a sign-in at the emulator over plain HTTP, as `signInToSpa` does, with a challenge's claims when given (the
 * MFA they demand approved as the user would): the browser never talks to the identity provider.
 */
export function createSessionBackend(emulator: () => RunningEmulator, loginHint: string) {
  const sessions = new Set<string>()
  const tokenRequests: SessionTokenRequest[] = []

  async function accessToken(scope: string, claims: string | null): Promise<string> {
    const fullScope = `${scope} openid profile offline_access`
    const start = authorizeUrl(emulator(), { loginHint, scope: fullScope, ...(claims ? { claims } : {}) })
    let outcome = await visit(start.url)
    if (!outcome.location) outcome = await approveMfa(emulator(), outcome.html)
    const code = outcome.params.get('code')
    if (!code) throw new Error(`no code: ${outcome.location?.href ?? outcome.html}`)
    const tokens = await redeemCode(emulator(), code, start, { scope: fullScope })
    if (tokens.status !== 200) throw new Error(`token endpoint said ${JSON.stringify(tokens.body)}`)
    return String(tokens.body.access_token)
  }

  const routes = {
    '/session/sign-in': async (_request: IncomingMessage, response: ServerResponse) => {
      const sessionId = randomUUID()
      sessions.add(sessionId)
      response.writeHead(302, {
        location: '/',
        'set-cookie': `sid=${sessionId}; Path=/; HttpOnly; SameSite=Lax`,
      })
      response.end()
    },
    '/session/token': async (request: IncomingMessage, response: ServerResponse) => {
      const sessionId = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1]
      if (!sessionId || !sessions.has(sessionId)) {
        response.writeHead(401).end()
        return
      }
      const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams
      const tokenRequest = { scope: query.get('scope') ?? '', claims: query.get('claims') }
      tokenRequests.push(tokenRequest)
      const token = await accessToken(tokenRequest.scope, tokenRequest.claims)
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      response.end(JSON.stringify({ accessToken: token }))
    },
  }
  return { routes, tokenRequests }
}
