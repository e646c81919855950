import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import {
  approveMfa,
  authorizeUrl,
  postToken,
  redeemCode,
  signInToSpa,
  visit,
} from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

const SPA_ORIGIN = 'http://127.0.0.1:5173'
const MFA_CLAIMS = JSON.stringify({
  access_token: { capolids: { essential: true, values: ['0c0ffee0-0000-4000-8000-000000000000'] } },
})
const ENTRA_ERROR_DESCRIPTION =
  /^AADSTS(\d+): .+ Trace ID: [\da-f-]{36} Correlation ID: [\w-]+ Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/

describe('Entra /token', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  beforeEach(() => emulator.context.directory.reset())
  afterAll(() => emulator.close())

  /** Signs Megan in with PKCE and returns what a redemption needs. */
  async function code(scope = 'openid profile offline_access') {
    const start = authorizeUrl(emulator, { loginHint: seeded.inviter.upn, scope })
    const outcome = await visit(start.url)
    return {
      start,
      code: outcome.params.get('code') ?? '',
      sessionState: outcome.params.get('session_state'),
    }
  }

  it('redeems a code for a Graph token, an id_token with the nonce, a refresh token and client_info', async () => {
    const { start, code: authCode, sessionState } = await code()
    const { status, headers, body } = await redeemCode(emulator, authCode, start)

    expect(status).toBe(200)
    expect(headers.get('cache-control')).toBe('no-store, no-cache')
    expect(Object.keys(body).sort()).toEqual(
      [
        'access_token',
        'client_info',
        'expires_in',
        'ext_expires_in',
        'id_token',
        'refresh_token',
        'scope',
        'token_type',
      ].sort(),
    )
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'User.Read openid profile', expires_in: 4500 })
    const idToken = decodeJwt(String(body.id_token))
    expect(idToken).toMatchObject({
      aud: seeded.spaClientId,
      iss: `${emulator.url}/${seeded.contosoTenantId}/v2.0`,
      nonce: start.nonce,
      oid: seeded.inviter.id,
      tid: seeded.contosoTenantId,
      sid: sessionState,
      preferred_username: seeded.inviter.upn,
      ver: '2.0',
    })
    const graph = decodeJwt(String(body.access_token))
    expect(graph).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${seeded.contosoTenantId}/`,
      scp: 'User.Read openid profile',
      appid: seeded.spaClientId,
      appidacr: '0',
    })
    expect(JSON.parse(Buffer.from(String(body.client_info), 'base64url').toString())).toEqual({
      uid: seeded.inviter.id,
      utid: seeded.contosoTenantId,
    })
  })

  it('issues a v2 BFF API token with scp, and roles for users assigned an app role', async () => {
    const megan = decodeJwt((await signInToSpa(emulator, seeded.inviter.upn)).access_token)
    expect(megan).toMatchObject({
      aud: seeded.bffClientId,
      iss: `${emulator.url}/${seeded.contosoTenantId}/v2.0`,
      azp: seeded.spaClientId,
      scp: 'Invitations.Send',
      oid: seeded.inviter.id,
      tid: seeded.contosoTenantId,
      name: 'Megan Bowen',
      preferred_username: seeded.inviter.upn,
      ver: '2.0',
    })
    expect(megan.roles).toBeUndefined()
    const adele = decodeJwt((await signInToSpa(emulator, seeded.admin.upn)).access_token)
    expect(adele.roles).toEqual(['Invitations.Admin'])
  })

  it('spends a code once (AADSTS54005) and checks PKCE and the redirect URI', async () => {
    const first = await code()
    expect((await redeemCode(emulator, first.code, first.start)).status).toBe(200)
    const again = await redeemCode(emulator, first.code, first.start)
    expect(again.status).toBe(400)
    expect(again.body.error).toBe('invalid_grant')
    expect(again.body.error_codes).toEqual([54005])

    const second = await code()
    const wrongVerifier = await redeemCode(emulator, second.code, {
      ...second.start,
      codeVerifier: 'x'.repeat(43),
    })
    expect(wrongVerifier.body.error_description).toMatch(/^AADSTS501481: The Code_Verifier does not match/)

    const third = await code()
    const wrongRedirect = await redeemCode(emulator, third.code, third.start, {
      redirectUri: 'http://localhost:5173/',
    })
    expect(wrongRedirect.body.error_description).toMatch(
      /^AADSTS500112: The reply address 'http:\/\/localhost:5173\/' does not match the reply address/,
    )
  })

  it("answers errors in Entra's shape, with the client's correlation id", async () => {
    const response = await fetch(
      `${emulator.settings.tokenEndpoint}?client-request-id=4a1f7e36-0000-4000-8000-00000000c0de`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: seeded.spaClientId,
          grant_type: 'authorization_code',
          code: 'nope',
          redirect_uri: 'http://localhost',
        }).toString(),
      },
    )
    const body = (await response.json()) as Record<string, unknown>

    expect(response.status).toBe(400)
    expect(Object.keys(body).sort()).toEqual(
      [
        'correlation_id',
        'error',
        'error_codes',
        'error_description',
        'error_uri',
        'timestamp',
        'trace_id',
      ].sort(),
    )
    expect(body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [70000],
      correlation_id: '4a1f7e36-0000-4000-8000-00000000c0de',
      error_uri: 'https://login.microsoftonline.com/error?code=70000',
    })
    expect(body.error_description).toMatch(ENTRA_ERROR_DESCRIPTION)
    expect(String(body.error_description)).toContain(`Trace ID: ${body.trace_id} `)
    expect(response.headers.get('x-ms-request-id')).toBe(body.trace_id)
  })

  it('allows CORS from single-page app origins only, preflight included', async () => {
    const preflight = await fetch(emulator.settings.tokenEndpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-anchormailbox',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-anchormailbox')

    const foreign = await fetch(emulator.settings.tokenEndpoint, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()

    const { start, code: authCode } = await code()
    const redeemed = await redeemCode(emulator, authCode, start, { origin: SPA_ORIGIN })
    expect(redeemed.headers.get('access-control-allow-origin')).toBe(SPA_ORIGIN)
    expect(redeemed.headers.get('access-control-expose-headers')).toContain('Retry-After')
  })

  it('refuses cross-origin redemption by a confidential client (AADSTS9002326)', async () => {
    const { status, body } = await postToken(
      emulator,
      {
        client_id: seeded.bffClientId,
        client_secret: seeded.bffClientSecret,
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      },
      SPA_ORIGIN,
    )
    expect(status).toBe(400)
    expect(body.error_codes).toEqual([9002326])
  })

  it('refreshes for another resource, rotating the refresh token while the old one stays valid', async () => {
    const { start, code: authCode } = await code()
    const first = await redeemCode(emulator, authCode, start)
    const refresh = (
      scope: string,
      token = String(first.body.refresh_token),
      extra: Record<string, string> = {},
    ) =>
      postToken(
        emulator,
        {
          client_id: seeded.spaClientId,
          grant_type: 'refresh_token',
          refresh_token: token,
          scope,
          client_info: '1',
          ...extra,
        },
        SPA_ORIGIN,
      )

    const api = await refresh(`${seeded.bffScope} openid profile offline_access`)
    expect(api.status).toBe(200)
    expect(api.body.scope).toBe(`${seeded.bffScope} openid profile`)
    expect(decodeJwt(String(api.body.access_token)).aud).toBe(seeded.bffClientId)
    expect(api.body.refresh_token).not.toBe(first.body.refresh_token)
    expect(decodeJwt(String(api.body.id_token)).nonce).toBeUndefined()
    expect((await refresh('User.Read openid offline_access')).status).toBe(200)

    const challenged = await refresh(
      `${seeded.bffScope} openid offline_access`,
      String(api.body.refresh_token),
      {
        claims: MFA_CLAIMS,
      },
    )
    expect(challenged.status).toBe(400)
    expect(challenged.body.error).toBe('interaction_required')
    expect(challenged.body.error_description).toMatch(
      new RegExp(
        `^AADSTS50076: .* you must use multi-factor authentication to access '${seeded.bffClientId}'\\.`,
      ),
    )
  })

  it('honours a claims challenge on refresh when the sign-in did MFA', async () => {
    const start = authorizeUrl(emulator, { loginHint: seeded.mfaUser.upn })
    const approved = await approveMfa(emulator, (await visit(start.url)).html)
    const tokens = await redeemCode(emulator, approved.params.get('code') ?? '', start)
    const refreshed = await postToken(
      emulator,
      {
        client_id: seeded.spaClientId,
        grant_type: 'refresh_token',
        refresh_token: String(tokens.body.refresh_token),
        scope: `${seeded.bffScope} openid offline_access`,
        claims: MFA_CLAIMS,
      },
      SPA_ORIGIN,
    )
    expect(refreshed.status).toBe(200)
  })

  it('validates scopes: unknown scope, unknown resource, several resources', async () => {
    const { start, code: authCode } = await code()
    const unknown = await redeemCode(emulator, authCode, start, { scope: 'openid User.Teleport' })
    expect(unknown.body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] })

    const second = await code()
    const noResource = await redeemCode(emulator, second.code, second.start, {
      scope: 'api://nowhere/Read openid',
    })
    expect(noResource.body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] })

    const third = await code()
    const two = await redeemCode(emulator, third.code, third.start, { scope: `User.Read ${seeded.bffScope}` })
    expect(two.body).toMatchObject({ error: 'invalid_scope', error_codes: [28000] })
  })

  it('issues app-only tokens for {resource}/.default with the consented application permissions as roles', async () => {
    const graph = await postToken(emulator, {
      client_id: seeded.bffClientId,
      client_secret: seeded.bffClientSecret,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    })
    expect(Object.keys(graph.body).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ])
    expect(decodeJwt(String(graph.body.access_token))).toMatchObject({
      aud: 'https://graph.microsoft.com',
      idtyp: 'app',
      appidacr: '1',
      roles: ['User.Invite.All', 'Directory.Read.All'],
    })

    const unconsented = await postToken(emulator, {
      client_id: seeded.unconsentedBffClientId,
      client_secret: seeded.unconsentedBffClientSecret,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    })
    expect(decodeJwt(String(unconsented.body.access_token)).roles).toBeUndefined()

    const named = await postToken(emulator, {
      client_id: seeded.bffClientId,
      client_secret: seeded.bffClientSecret,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/User.Invite.All',
    })
    expect(named.body).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] })
  })

  it('authenticates clients: 401 for a wrong or missing secret, secrets refused from public clients', async () => {
    const grant = { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }
    const wrong = await postToken(emulator, {
      ...grant,
      client_id: seeded.bffClientId,
      client_secret: 'not-it-at-all',
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] })

    const basic = await fetch(emulator.settings.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${seeded.bffClientId}:${seeded.bffClientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams(grant).toString(),
    })
    expect(basic.status).toBe(200)

    const publicClient = await postToken(emulator, { ...grant, client_id: seeded.spaClientId })
    expect(publicClient.status).toBe(401)
    expect(publicClient.body.error_codes).toEqual([7000218])
  })

  it('counts every token request by grant type, tenant and client', async () => {
    const before = emulator.context.directory.tokenRequests()
    expect(before).toEqual([])
    await postToken(emulator, {
      client_id: seeded.bffClientId,
      client_secret: 'wrong-secret',
      grant_type: 'client_credentials',
    })
    await postToken(emulator, { client_id: seeded.spaClientId, grant_type: 'password' })
    expect(emulator.context.directory.tokenRequests()).toEqual([
      {
        grantType: 'client_credentials',
        tenantId: seeded.contosoTenantId,
        clientId: seeded.bffClientId,
        count: 1,
      },
      { grantType: 'password', tenantId: seeded.contosoTenantId, clientId: seeded.spaClientId, count: 1 },
    ])
  })
})
