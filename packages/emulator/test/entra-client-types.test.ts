import { CryptoProvider, PublicClientApplication, ServerError } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { authorizeUrl, postToken, redeemCode, visit } from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

const SPA_ORIGIN = 'http://127.0.0.1:5173'
const NOT_CROSS_ORIGIN =
  "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests."
const DAY_MS = 24 * 60 * 60 * 1000

describe('client types: single-page apps redeem cross-origin only, mobile and desktop apps never do', () => {
  let emulator: RunningEmulator
  const pkce = new CryptoProvider()
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  beforeEach(() => emulator.context.directory.reset())
  afterAll(() => emulator.close())

  /** msal-node as a desktop app configures it (Microsoft's console samples), pointed at the emulator. */
  function desktopApp(clientId: string) {
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    return new PublicClientApplication({ auth: { clientId, authority, knownAuthorities, authorityMetadata } })
  }

  async function signIn(app: PublicClientApplication, scopes: string[], redirectUri: string) {
    const { verifier, challenge } = await pkce.generatePkceCodes()
    const url = await app.getAuthCodeUrl({
      scopes,
      redirectUri,
      loginHint: seeded.inviter.upn,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
    })
    const code = (await visit(url)).location?.searchParams.get('code') ?? ''
    return { code, verifier }
  }

  it("refuses a single-page app's code redeemed without an Origin header (AADSTS9002327)", async () => {
    const start = authorizeUrl(emulator, { loginHint: seeded.inviter.upn })
    const code = (await visit(start.url)).params.get('code') ?? ''
    const { status, body } = await postToken(emulator, {
      client_id: seeded.spaClientId,
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:5173/',
      code_verifier: start.codeVerifier,
      scope: 'openid profile offline_access',
    })
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: 'invalid_request', error_codes: [9002327] })
    expect(String(body.error_description).startsWith(`${NOT_CROSS_ORIGIN} Trace ID: `)).toBe(true)
  })

  it('makes msal-node fail the same way when a desktop sample is pointed at a single-page app registration', async () => {
    const app = desktopApp(seeded.spaClientId)
    const redirectUri = 'http://localhost:53117'
    const { code, verifier } = await signIn(app, ['User.Read'], redirectUri)
    const error = await app
      .acquireTokenByCode({ code, scopes: ['User.Read'], redirectUri, codeVerifier: verifier })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      )
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).errorCode).toBe('invalid_request')
    expect((error as ServerError).errorMessage).toContain(NOT_CROSS_ORIGIN)
  })

  it("refuses a single-page app's refresh token without an Origin, and renews it with one", async () => {
    const start = authorizeUrl(emulator, { loginHint: seeded.inviter.upn })
    const code = (await visit(start.url)).params.get('code') ?? ''
    const tokens = await redeemCode(emulator, code, start, { origin: SPA_ORIGIN })
    const refresh = {
      client_id: seeded.spaClientId,
      grant_type: 'refresh_token',
      refresh_token: String(tokens.body.refresh_token),
      scope: `${seeded.bffScope} offline_access`,
    }
    const withoutOrigin = await postToken(emulator, refresh)
    expect(withoutOrigin.status).toBe(400)
    expect(withoutOrigin.body).toMatchObject({ error: 'invalid_request', error_codes: [9002327] })
    const withOrigin = await postToken(emulator, refresh, SPA_ORIGIN)
    expect(withOrigin.status).toBe(200)
    expect(withOrigin.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN)
  })

  it('signs the CLI (a mobile and desktop app) in with msal-node: no Origin, no secret, a 90-day refresh token', async () => {
    expect(emulator.settings.publicClientIds).toEqual([seeded.spaClientId, seeded.cliClientId])
    const app = desktopApp(seeded.cliClientId)
    const scopes = [seeded.bffScope]
    const redirectUri = 'http://localhost:53117'
    const { code, verifier } = await signIn(app, scopes, redirectUri)
    const result = await app.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: verifier })
    expect(decodeJwt(result.accessToken)).toMatchObject({
      aud: seeded.bffClientId,
      azp: seeded.cliClientId,
      azpacr: '0',
    })
    const [grant] = [...emulator.context.directory.refreshTokens.values()]
    expect(grant?.clientId).toBe(seeded.cliClientId)
    expect((grant?.expiresAtMs ?? 0) - Date.now()).toBeGreaterThan(89 * DAY_MS)

    const account = result.account
    if (!account) throw new Error('no account')
    const renewed = await app.acquireTokenSilent({ account, scopes, forceRefresh: true })
    expect(renewed.fromCache).toBe(false)
    expect(decodeJwt(renewed.accessToken).azp).toBe(seeded.cliClientId)
  })

  it('refuses a mobile and desktop app cross-origin (AADSTS9002326), with a secret (AADSTS700025), app-only (AADSTS7000218)', async () => {
    const start = authorizeUrl(emulator, {
      clientId: seeded.cliClientId,
      redirectUri: 'http://localhost:53117',
      loginHint: seeded.inviter.upn,
    })
    const code = (await visit(start.url)).params.get('code') ?? ''
    const crossOrigin = await redeemCode(emulator, code, start, {
      clientId: seeded.cliClientId,
      redirectUri: 'http://localhost:53117',
      origin: 'http://localhost:3000',
    })
    expect(crossOrigin.body).toMatchObject({ error: 'invalid_request', error_codes: [9002326] })

    const withSecret = await postToken(emulator, {
      client_id: seeded.cliClientId,
      client_secret: 'a-secret-a-desktop-app-cannot-keep',
      grant_type: 'authorization_code',
      code: 'whatever',
      redirect_uri: 'http://localhost:53117',
    })
    expect(withSecret.status).toBe(401)
    expect(withSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [700025] })

    const appOnly = await postToken(emulator, {
      client_id: seeded.cliClientId,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    })
    expect(appOnly.status).toBe(401)
    expect(appOnly.body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] })
  })
})
