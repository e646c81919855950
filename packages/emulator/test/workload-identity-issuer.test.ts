import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { startTestEmulator } from './support.js'

describe('the test workload-identity issuer (/_emulator/workload-identity)', () => {
  let emulator: RunningEmulator
  let issuer: string
  beforeAll(async () => {
    emulator = await startTestEmulator()
    issuer = emulator.settings.workloadIdentityIssuer
  })
  afterAll(() => emulator.close())

  function mint(body: unknown) {
    return fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  it('is announced in the settings of every tenant and publishes OIDC discovery and a JWKS', async () => {
    expect(issuer).toBe(`${emulator.url}/_emulator/workload-identity`)
    expect(emulator.settingsFor('tailspin.example').workloadIdentityIssuer).toBe(issuer)
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()
    expect(discovery).toEqual({
      issuer,
      jwks_uri: `${issuer}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    })
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Record<string, unknown>[] }
    expect(jwks.keys).toHaveLength(1)
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
  })

  it('mints RS256 tokens a standard OIDC client verifies against its JWKS', async () => {
    const response = await mint({ subject: 'system:serviceaccount:ns:name' })
    expect(response.status).toBe(200)
    const { token } = (await response.json()) as { token: string }
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${issuer}/openid/v1/jwks`)), {
      issuer,
      audience: 'api://AzureADTokenExchange',
    })
    expect(payload).toMatchObject({
      iss: issuer,
      sub: 'system:serviceaccount:ns:name',
      aud: ['api://AzureADTokenExchange'],
    })
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600)
    expect(typeof payload.jti).toBe('string')
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT' })
  })

  it('takes an audience and a lifetime; a negative lifetime mints an expired token', async () => {
    const { token } = (await (
      await mint({ subject: 'x', audience: 'api://other', lifetimeSeconds: -600 })
    ).json()) as { token: string }
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())
    expect(claims.aud).toEqual(['api://other'])
    expect(claims.exp).toBeLessThan(Date.now() / 1000 - 590)
    expect(claims.nbf).toBeLessThan(claims.exp)
  })

  it('answers 400 with the field at fault', async () => {
    for (const [body, field] of [
      [{}, 'subject'],
      [{ subject: '' }, 'subject'],
      [{ subject: 'x', audience: 7 }, 'audience'],
      [{ subject: 'x', lifetimeSeconds: 0 }, 'lifetimeSeconds'],
      [{ subject: 'x', lifetimeSeconds: 1.5 }, 'lifetimeSeconds'],
      [{ subject: 'x', lifetimeSeconds: 90_000 }, 'lifetimeSeconds'],
      [['subject'], 'JSON object'],
    ] as const) {
      const response = await mint(body)
      expect(response.status).toBe(400)
      const answer = (await response.json()) as { error: string; message: string }
      expect(answer.error).toBe('invalid_request')
      expect(answer.message).toContain(field)
    }
  })

  it('keeps its key in the data folder, so a restarted emulator publishes the same one', async () => {
    const first = (await (await fetch(`${issuer}/openid/v1/jwks`)).json()) as { keys: { kid: string }[] }
    const again = await startTestEmulator()
    try {
      const second = (await (
        await fetch(`${again.settings.workloadIdentityIssuer}/openid/v1/jwks`)
      ).json()) as { keys: { kid: string }[] }
      expect(second.keys[0]?.kid).toBe(first.keys[0]?.kid)
    } finally {
      await again.close()
    }
  })
})
