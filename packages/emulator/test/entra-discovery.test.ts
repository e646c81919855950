import { createRemoteJWKSet, errors, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { signInToSpa } from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

describe('Entra discovery and keys', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())

  async function getJson(path: string) {
    const response = await fetch(`${emulator.url}${path}`)
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  it('serves the v2.0 OpenID configuration by tenant id and by verified domain', async () => {
    const tid = seeded.contosoTenantId
    const byId = await getJson(`/${tid}/v2.0/.well-known/openid-configuration`)
    expect(byId.status).toBe(200)
    expect(byId.body).toMatchObject({
      issuer: `${emulator.url}/${tid}/v2.0`,
      authorization_endpoint: `${emulator.url}/${tid}/oauth2/v2.0/authorize`,
      token_endpoint: `${emulator.url}/${tid}/oauth2/v2.0/token`,
      end_session_endpoint: `${emulator.url}/${tid}/oauth2/v2.0/logout`,
      jwks_uri: `${emulator.url}/${tid}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['pairwise'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      msgraph_host: `127.0.0.1:${emulator.port}`,
    })
    expect(byId.body.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'iss', 'aud', 'nonce', 'tid', 'oid']),
    )
    // The settings the emulator prints are the same document MSAL would otherwise discover.
    expect(JSON.parse(emulator.settings.authorityMetadata)).toEqual({
      issuer: byId.body.issuer,
      authorization_endpoint: byId.body.authorization_endpoint,
      token_endpoint: byId.body.token_endpoint,
      end_session_endpoint: byId.body.end_session_endpoint,
      jwks_uri: byId.body.jwks_uri,
    })
    expect((await getJson('/contoso.example/v2.0/.well-known/openid-configuration')).body).toEqual(byId.body)
  })

  it('serves organizations/common with the {tenantid} issuer, and the v1 document', async () => {
    const common = await getJson('/organizations/v2.0/.well-known/openid-configuration')
    expect(common.body).toMatchObject({
      issuer: `${emulator.url}/{tenantid}/v2.0`,
      token_endpoint: `${emulator.url}/organizations/oauth2/v2.0/token`,
      tenant_region_scope: null,
    })
    const v1 = await getJson(`/${seeded.contosoTenantId}/.well-known/openid-configuration`)
    expect(v1.body).toMatchObject({
      issuer: `https://sts.windows.net/${seeded.contosoTenantId}/`,
      jwks_uri: `${emulator.url}/common/discovery/keys`,
    })
  })

  it('serves discovery and keys to any origin, preflight included, as Entra does for single-page apps', async () => {
    const origin = 'http://localhost:3000'
    for (const path of [
      `/${seeded.contosoTenantId}/v2.0/.well-known/openid-configuration`,
      `/${seeded.contosoTenantId}/.well-known/openid-configuration`,
      '/organizations/v2.0/.well-known/openid-configuration',
      `/${seeded.contosoTenantId}/discovery/v2.0/keys`,
      '/common/discovery/keys',
      '/fabrikam.example/v2.0/.well-known/openid-configuration',
    ]) {
      const read = await fetch(`${emulator.url}${path}`, { headers: { origin } })
      expect(read.headers.get('access-control-allow-origin'), path).toBe('*')
      expect(read.headers.get('access-control-allow-methods'), path).toBe('GET, OPTIONS')
      const preflight = await fetch(`${emulator.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'x-client-sku',
        },
      })
      expect(preflight.status, path).toBe(204)
      expect(preflight.headers.get('access-control-allow-origin'), path).toBe('*')
      expect(preflight.headers.get('access-control-allow-headers'), path).toBe('x-client-sku')
    }
    // The token endpoint keeps its own rule: only single-page app origins.
    const token = await fetch(emulator.settings.tokenEndpoint, { method: 'POST', headers: { origin } })
    expect(token.headers.get('access-control-allow-origin')).toBe(origin)
    const stranger = await fetch(emulator.settings.tokenEndpoint, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    })
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
  })

  it("answers an unknown tenant with Entra's invalid_tenant error", async () => {
    const { status, body } = await getJson('/fabrikam.example/v2.0/.well-known/openid-configuration')
    expect(status).toBe(400)
    expect(body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] })
    expect(body.error_description).toMatch(
      /^AADSTS90002: Tenant 'fabrikam\.example' not found\. .* Trace ID: /,
    )
  })

  it('publishes the signing key with kid = x5t, the certificate chain and the issuer', async () => {
    const { body } = await getJson(`/${seeded.contosoTenantId}/discovery/v2.0/keys`)
    const keys = body.keys as Array<Record<string, unknown>>
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid: emulator.context.signingKey.kid,
      x5t: emulator.context.signingKey.kid,
      e: 'AQAB',
      issuer: `${emulator.url}/${seeded.contosoTenantId}/v2.0`,
    })
    expect(keys[0]?.x5c).toEqual([expect.stringMatching(/^MII/)])
  })

  it('answers MSAL instance discovery for its own host only', async () => {
    const authorize = encodeURIComponent(`${emulator.settings.authority}/oauth2/v2.0/authorize`)
    const own = await getJson(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
    )
    const host = `127.0.0.1:${emulator.port}`
    expect(own.body).toEqual({
      tenant_discovery_endpoint: `${emulator.url}/${seeded.contosoTenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    })
    const foreign = await getJson(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://login.example.com/x/oauth2/v2.0/authorize')}`,
    )
    expect(foreign.status).toBe(400)
    expect(foreign.body).toMatchObject({ error: 'invalid_instance', error_codes: [50049] })
  })

  it('lets jose verify a BFF token against the remote JWKS, with issuer and audience', async () => {
    const { access_token: token } = await signInToSpa(emulator, seeded.inviter.upn)
    const jwks = createRemoteJWKSet(new URL(emulator.settings.jwksUri))
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: emulator.settings.issuer,
      audience: seeded.bffClientId,
      algorithms: ['RS256'],
    })
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: emulator.context.signingKey.kid })
    expect(payload).toMatchObject({
      scp: 'Invitations.Send',
      tid: seeded.contosoTenantId,
      oid: seeded.inviter.id,
    })

    await expect(
      jwtVerify(token, jwks, { issuer: emulator.settings.issuer, audience: seeded.unconsentedBffClientId }),
    ).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed)
    // A Microsoft Graph token is for Graph alone: its header nonce defeats the signature check (graph-token-nonce.test.ts).
    const { access_token: graphToken } = await signInToSpa(emulator, seeded.inviter.upn, 'User.Read')
    await expect(jwtVerify(graphToken, jwks)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed)
  })
})
