import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto'
import { decodeJwt, type JWTPayload, SignJWT } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ClientCertificate, type RunningEmulator, startEmulator } from '../src/index.js'
import { postToken } from '../src/testing/sign-in.js'
import { startWithClientCredentials, WORKLOAD_SUBJECT } from './client-assertion-support.js'
import { seeded } from './support.js'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default'

describe('client_assertion at the token endpoint', () => {
  let emulator: RunningEmulator
  let certificate: ClientCertificate
  beforeAll(async () => {
    ;({ emulator, certificate } = await startWithClientCredentials())
  })
  beforeEach(() => emulator.context.directory.reset())
  afterAll(() => emulator.close())

  const now = () => Math.floor(Date.now() / 1000)

  /** A certificate assertion as the certificate-credentials doc describes it, with overrides. */
  async function certificateAssertion(
    options: {
      header?: Record<string, unknown>
      claims?: JWTPayload
      privateKeyPem?: string
      alg?: 'PS256' | 'RS256'
    } = {},
  ): Promise<string> {
    const alg = options.alg ?? 'PS256'
    const thumbprint = Buffer.from(certificate.thumbprintSha256, 'hex').toString('base64url')
    return new SignJWT({
      aud: emulator.settings.tokenEndpoint,
      iss: seeded.bffClientId,
      sub: seeded.bffClientId,
      jti: randomUUID(),
      nbf: now(),
      exp: now() + 600,
      ...options.claims,
    })
      .setProtectedHeader({ alg, typ: 'JWT', 'x5t#S256': thumbprint, ...options.header })
      .sign(createPrivateKey(options.privateKeyPem ?? certificate.privateKeyPem))
  }

  function clientCredentials(assertion: string, extra: Record<string, string> = {}) {
    return postToken(emulator, {
      grant_type: 'client_credentials',
      client_id: seeded.bffClientId,
      scope: GRAPH_DEFAULT,
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
      ...extra,
    })
  }

  it('accepts PS256 with x5t#S256 and RS256 with x5t, addressed to the token endpoint by id or domain', async () => {
    const sha1 = Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64url')
    const assertions = [
      await certificateAssertion(),
      await certificateAssertion({ alg: 'RS256', header: { 'x5t#S256': undefined, x5t: sha1 } }),
      await certificateAssertion({
        claims: { aud: `${emulator.url}/contoso.example/oauth2/v2.0/token` },
      }),
    ]
    for (const assertion of assertions) {
      const { status, body } = await clientCredentials(assertion)
      expect(status, description(body)).toBe(200)
      expect(decodeJwt(String(body.access_token)).appidacr).toBe('2')
    }
  })

  it('accepts the same assertion twice: Entra documents no jti replay check', async () => {
    const assertion = await certificateAssertion()
    expect((await clientCredentials(assertion)).status).toBe(200)
    expect((await clientCredentials(assertion)).status).toBe(200)
  })

  it('asks for client_assertion_type and refuses another type (AADSTS900144, AADSTS90011)', async () => {
    const assertion = await certificateAssertion()
    const missing = await postToken(emulator, {
      grant_type: 'client_credentials',
      client_id: seeded.bffClientId,
      scope: GRAPH_DEFAULT,
      client_assertion: assertion,
    })
    expect(missing.status).toBe(400)
    expect(description(missing.body)).toMatch(
      /^AADSTS900144: The request body must contain the following parameter: 'client_assertion_type'\./,
    )
    const other = await clientCredentials(assertion, { client_assertion_type: 'urn:example:saml' })
    expect(other.body.error).toBe('invalid_request')
    expect(description(other.body)).toMatch(/^AADSTS90011: Unexpected client assertion type\./)
  })

  it('refuses a malformed assertion and one without a thumbprint (AADSTS50027)', async () => {
    const malformed = await clientCredentials('not.a.jwt')
    expect(description(malformed.body)).toMatch(/^AADSTS50027: JWT token is invalid or malformed\./)
    const bare = await clientCredentials(await certificateAssertion({ header: { 'x5t#S256': undefined } }))
    expect(description(bare.body)).toMatch(
      /^AADSTS50027: Invalid JWT token\. No certificate thumbprint specified in token header\./,
    )
  })

  it('refuses a sub that is not the issuer (AADSTS50048)', async () => {
    const { status, body } = await clientCredentials(
      await certificateAssertion({ claims: { sub: seeded.spaClientId } }),
    )
    expect(status).toBe(401)
    expect(body.error).toBe('invalid_client')
    expect(description(body)).toMatch(
      /^AADSTS50048: Subject mismatches Issuer claim in the client assertion\./,
    )
  })

  it('refuses an assertion for another audience (AADSTS700023)', async () => {
    const { status, body } = await clientCredentials(
      await certificateAssertion({
        claims: { aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' },
      }),
    )
    expect(status).toBe(401)
    expect(description(body)).toMatch(
      /^AADSTS700023: Client assertion audience claim does not match Realm issuer\./,
    )
  })

  it('refuses an expired assertion and one not yet valid (AADSTS700024), beyond 5 minutes of clock skew', async () => {
    const withinSkew = await clientCredentials(
      await certificateAssertion({ claims: { nbf: now() - 900, exp: now() - 60 } }),
    )
    expect(withinSkew.status).toBe(200)
    const expired = await clientCredentials(
      await certificateAssertion({ claims: { nbf: now() - 1200, exp: now() - 600 } }),
    )
    expect(expired.status).toBe(401)
    expect(expired.body.error).toBe('invalid_client')
    expect(description(expired.body)).toMatch(
      /^AADSTS700024: Client assertion is not within its valid time range\./,
    )
    const early = await clientCredentials(
      await certificateAssertion({ claims: { nbf: now() + 900, exp: now() + 1500 } }),
    )
    expect(description(early.body)).toMatch(/^AADSTS700024: /)
    const noExpiry = await clientCredentials(await certificateAssertion({ claims: { exp: undefined } }))
    expect(description(noExpiry.body)).toMatch(/^AADSTS50027: /)
  })

  it('refuses a signature by another key and an algorithm other than RS256/PS256 (AADSTS700027)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    })
    const forged = await clientCredentials(await certificateAssertion({ privateKeyPem: privateKey }))
    expect(description(forged.body)).toContain(
      `AADSTS700027: Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${certificate.thumbprintSha256}', Found key 'Start=`,
    )
    const rs384 = await new SignJWT({ aud: emulator.settings.tokenEndpoint, exp: now() + 600 })
      .setIssuer(seeded.bffClientId)
      .setSubject(seeded.bffClientId)
      .setProtectedHeader({
        alg: 'RS384',
        x5t: Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64url'),
      })
      .sign(createPrivateKey(certificate.privateKeyPem))
    expect(description((await clientCredentials(rs384)).body)).toMatch(/^AADSTS700027: /)
  })

  it('prefers the assertion when a secret comes too, and lets a secret-only app fail with AADSTS700027', async () => {
    const both = await clientCredentials(await certificateAssertion(), {
      client_secret: 'wrong-secret-value',
    })
    expect(both.status).toBe(200)
    const unconsented = await postToken(emulator, {
      grant_type: 'client_credentials',
      client_id: seeded.unconsentedBffClientId,
      scope: GRAPH_DEFAULT,
      client_assertion_type: JWT_BEARER,
      client_assertion: await certificateAssertion({
        claims: { iss: seeded.unconsentedBffClientId, sub: seeded.unconsentedBffClientId },
      }),
    })
    expect(description(unconsented.body)).toMatch(
      /^AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application\./,
    )
  })

  it('refuses a client assertion from a public client (AADSTS700025)', async () => {
    const { status, body } = await postToken(emulator, {
      grant_type: 'client_credentials',
      client_id: seeded.spaClientId,
      scope: GRAPH_DEFAULT,
      client_assertion_type: JWT_BEARER,
      client_assertion: await certificateAssertion(),
    })
    expect(status).toBe(401)
    expect(description(body)).toMatch(/^AADSTS700025: /)
  })

  describe('federated (workload identity) assertions', () => {
    async function workloadToken(body: Record<string, unknown>): Promise<string> {
      const response = await fetch(`${emulator.settings.workloadIdentityIssuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return ((await response.json()) as { token: string }).token
    }

    /** A token claiming `issuer`, signed by a key nobody publishes. */
    async function foreignToken(issuer: string, kid = 'unpublished-key'): Promise<string> {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
      return new SignJWT({ aud: ['api://AzureADTokenExchange'] })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(issuer)
        .setSubject(WORKLOAD_SUBJECT)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey)
    }

    it('authenticates with a token of the trusted issuer, subject and audience', async () => {
      const { status, body } = await clientCredentials(await workloadToken({ subject: WORKLOAD_SUBJECT }))
      expect(status, description(body)).toBe(200)
      expect(decodeJwt(String(body.access_token)).appidacr).toBe('2')
    })

    it('refuses an issuer the app does not trust without contacting it (AADSTS700211)', async () => {
      const { status, body } = await clientCredentials(await foreignToken('https://issuer.example/tenant/'))
      expect(status).toBe(401)
      expect(body.error).toBe('invalid_client')
      expect(description(body)).toMatch(
        /^AADSTS700211: No matching federated identity record found for presented assertion issuer 'https:\/\/issuer\.example\/tenant\/'\. Check your federated identity credential Subject, Audience and Issuer against the presented assertion\. https:\/\/learn\.microsoft\.com\/entra\/workload-id\/workload-identity-federation /,
      )
    })

    it('answers AADSTS70021 for an app without federated identity credentials', async () => {
      const { body } = await postToken(emulator, {
        grant_type: 'client_credentials',
        client_id: seeded.unconsentedBffClientId,
        scope: GRAPH_DEFAULT,
        client_assertion_type: JWT_BEARER,
        client_assertion: await workloadToken({ subject: WORKLOAD_SUBJECT }),
      })
      expect(description(body)).toContain(
        `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${emulator.settings.workloadIdentityIssuer}'. Assertion Subject: '${WORKLOAD_SUBJECT}'. Assertion Audience: 'api://AzureADTokenExchange'.`,
      )
    })

    it("refuses a key the issuer's metadata does not publish (AADSTS7000272) and a bad signature (AADSTS700027)", async () => {
      const issuer = emulator.settings.workloadIdentityIssuer
      const unknownKey = await clientCredentials(await foreignToken(issuer))
      expect(description(unknownKey.body)).toMatch(
        new RegExp(
          `^AADSTS7000272: The certificate with identifier unpublished-key used to sign the federated credential could not be found in the metadata of identity provider ${issuer.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.`,
        ),
      )
      const genuine = await workloadToken({ subject: WORKLOAD_SUBJECT })
      const [header, , signature] = genuine.split('.')
      const otherClaims = Buffer.from(
        JSON.stringify({ ...decodeJwt(genuine), sub: `${WORKLOAD_SUBJECT}-2` }),
      ).toString('base64url')
      const tampered = await clientCredentials(`${header}.${otherClaims}.${signature}`)
      expect(description(tampered.body)).toMatch(
        /^AADSTS700027: Client assertion failed signature validation\./,
      )
    })

    it('compares the subject case-sensitively (AADSTS7002138)', async () => {
      const { body } = await clientCredentials(
        await workloadToken({ subject: WORKLOAD_SUBJECT.toUpperCase() }),
      )
      expect(description(body)).toContain(
        'AADSTS7002138: No matching federated identity record found for presented assertion subject',
      )
      expect(description(body)).toContain(
        'The subject matches with case-insensitive comparison, but not with case-sensitive comparison.',
      )
    })
  })
})

describe('client_assertion without a running issuer', () => {
  it('answers AADSTS7000272 when the trusted issuer cannot be reached', async () => {
    const { emulator, seed } = await startWithClientCredentials()
    const issuer = emulator.settings.workloadIdentityIssuer
    const token = await emulator.context.workloadIdentity.token({ subject: WORKLOAD_SUBJECT })
    await emulator.close()
    // A second emulator on another port trusts the first one's (now stopped) issuer.
    const second = await startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA, seed })
    try {
      const { body } = await postToken(second, {
        grant_type: 'client_credentials',
        client_id: seeded.bffClientId,
        scope: GRAPH_DEFAULT,
        client_assertion_type: JWT_BEARER,
        client_assertion: token,
      })
      expect(description(body)).toMatch(/^AADSTS7000272: /)
      expect(description(body)).toContain(issuer)
    } finally {
      await second.close()
    }
  })
})

function description(body: Record<string, unknown>): string {
  return String(body.error_description)
}
