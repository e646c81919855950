import { createHash } from 'node:crypto'
import { ConfidentialClientApplication } from '@azure/msal-node'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { signInToSpa } from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default'

/**
 * What a client outside Graph would have to do to check a Graph token's signature, as described publicly
 * (AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet issue 609, justinlettau/azure-ad-verify-token
 * issue 5): put base64url(SHA-256(nonce)) back in the header. Here it proves the emulator uses that very mechanism.
 */
function hashNonceBack(token: string): string {
  const [header, ...rest] = token.split('.')
  const decoded = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'))
  decoded.nonce = createHash('sha256').update(decoded.nonce).digest('base64url')
  return [Buffer.from(JSON.stringify(decoded)).toString('base64url'), ...rest].join('.')
}

describe('Microsoft Graph access tokens carry a header nonce, so only Graph can validate them', () => {
  let emulator: RunningEmulator
  let jwks: ReturnType<typeof createRemoteJWKSet>
  beforeAll(async () => {
    emulator = await startTestEmulator()
    jwks = createRemoteJWKSet(new URL(emulator.settings.jwksUri))
  })
  afterAll(() => emulator.close())

  async function appOnlyGraphToken(): Promise<string> {
    const { authority, knownAuthorities, authorityMetadata, bffClientId, bffClientSecret } = emulator.settings
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: bffClientId ?? '',
        clientSecret: bffClientSecret ?? '',
        authority,
        knownAuthorities,
        authorityMetadata,
      },
    })
    return (await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] }))?.accessToken ?? ''
  }

  it('puts typ, nonce, alg, x5t, kid in the header, as Graph tokens have them', async () => {
    const { access_token: delegated } = await signInToSpa(emulator, seeded.inviter.upn, 'User.Read')
    for (const token of [delegated, await appOnlyGraphToken()]) {
      const header = decodeProtectedHeader(token)
      expect(Object.keys(header)).toEqual(['typ', 'nonce', 'alg', 'x5t', 'kid'])
      expect(header.nonce).toMatch(/^[\w-]{43}$/)
      expect(decodeJwt(token).aud).toBe('https://graph.microsoft.com')
    }
  })

  it('fails jose validation against the published keys, as in production', async () => {
    const { access_token: delegated } = await signInToSpa(emulator, seeded.inviter.upn, 'User.Read')
    for (const token of [delegated, await appOnlyGraphToken()]) {
      await expect(jwtVerify(token, jwks)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed)
      // The signature covers the hashed nonce: with it hashed back, the same keys verify the token.
      const { payload } = await jwtVerify(hashNonceBack(token), jwks, {
        issuer: `https://sts.windows.net/${seeded.contosoTenantId}/`,
        audience: 'https://graph.microsoft.com',
      })
      expect(payload.tid).toBe(seeded.contosoTenantId)
    }
  })

  it('is accepted by the emulated Graph, which hashes the nonce back; a changed nonce is refused', async () => {
    const { access_token: token } = await signInToSpa(emulator, seeded.inviter.upn, 'User.Read')
    const me = (bearer: string) =>
      fetch(`${emulator.url}/v1.0/me`, { headers: { authorization: `Bearer ${bearer}` } })
    const ok = await me(token)
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { id: string }).id).toBe(seeded.inviter.id)

    const [header, ...rest] = token.split('.')
    const decoded = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'))
    decoded.nonce = `${decoded.nonce.slice(0, -1)}${decoded.nonce.endsWith('A') ? 'B' : 'A'}`
    const forged = [Buffer.from(JSON.stringify(decoded)).toString('base64url'), ...rest].join('.')
    const refused = await me(forged)
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'InvalidAuthenticationToken',
    )
  })

  it('leaves tokens for other resources and id tokens alone: no nonce, verifiable with the JWKS', async () => {
    const { access_token: apiToken, id_token: idToken } = await signInToSpa(emulator, seeded.inviter.upn)
    for (const token of [apiToken, idToken]) {
      expect(decodeProtectedHeader(token).nonce).toBeUndefined()
      await expect(jwtVerify(token, jwks, { issuer: emulator.settings.issuer })).resolves.toBeTruthy()
    }
  })
})
