import { createPublicKey } from 'node:crypto'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { type JWTPayload, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BffConfig } from '../../src/config.js'
import { createAccessTokenValidator } from '../../src/identity/access-token-validator.js'
import { isEmulatorAuthority } from '../../src/identity/authority.js'
import { isProblemError, type ProblemError } from '../../src/platform/problem-error.js'
import { configForEmulator } from '../../src/testing/index.js'
import { seeded, startTestEmulator } from '../support.js'
import { partsOf, segment, signInToTenant, signWithEmulatorKey } from './identity-fixtures.js'

let emulator: RunningEmulator
let meganToken: string
let megan: { payload: JWTPayload; header: Record<string, unknown> }

beforeAll(async () => {
  emulator = await startTestEmulator()
  meganToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
  megan = partsOf(meganToken)
})

afterAll(async () => {
  await emulator.close()
})

function validatorFor(overrides: Partial<BffConfig> = {}) {
  return createAccessTokenValidator(configForEmulator(emulator, overrides))
}

async function rejection(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!isProblemError(error)) throw new Error(`expected a ProblemError, got ${String(error)}`)
  return error
}

/** Megan's real claims with `changes` applied (`undefined` removes a claim), re-signed with the emulator's key. */
function forged(changes: Record<string, unknown>, header: Record<string, string> = {}): Promise<string> {
  const payload: JWTPayload = { ...megan.payload }
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete payload[name]
    else payload[name] = value
  }
  return signWithEmulatorKey(emulator, payload, header)
}

const now = () => Math.floor(Date.now() / 1000)
const TEN_YEARS = 10 * 365 * 86_400

describe('createAccessTokenValidator', () => {
  it("accepts a user's real token and builds the caller from its claims", async () => {
    const caller = await validatorFor().validate(`Bearer ${meganToken}`)
    expect(caller).toEqual({
      tenantId: seeded.tenantId,
      objectId: seeded.inviter.id,
      name: 'Megan Bowen',
      username: seeded.inviter.upn,
      scopes: ['Invitations.Send'],
      roles: [],
      clientId: seeded.spaClientId,
      appOnly: false,
      isAdmin: false,
      accessToken: meganToken,
    })
  })

  it('marks a holder of the admin role as admin', async () => {
    const adele = (await signInToSpa(emulator, seeded.admin.upn)).access_token
    const caller = await validatorFor().validate(`Bearer ${adele}`)
    expect(caller.objectId).toBe(seeded.admin.id)
    expect(caller.roles).toContain('Invitations.Admin')
    expect(caller.isAdmin).toBe(true)
  })

  it('accepts a re-signed copy of the real token (the control for every forged attack below)', async () => {
    const caller = await validatorFor().validate(`Bearer ${await forged({})}`)
    expect(caller.objectId).toBe(seeded.inviter.id)
  })

  describe('the attack suite: each token differs from a valid one in exactly one way', () => {
    const attacks: Array<{ name: string; token: () => Promise<string>; detail: RegExp }> = [
      {
        name: 'alg none (unsigned)',
        token: async () => `${segment({ ...megan.header, alg: 'none' })}.${segment(megan.payload)}.`,
        detail: /must be signed with RS256/,
      },
      {
        name: 'HS256 signed with the RSA public key as the secret',
        token: async () => {
          const publicPem = createPublicKey(emulator.context.signingKey.privateKey)
            .export({ type: 'spki', format: 'pem' })
            .toString()
          return new SignJWT(megan.payload)
            .setProtectedHeader({ ...megan.header, alg: 'HS256' })
            .sign(new TextEncoder().encode(publicPem))
        },
        detail: /must be signed with RS256/,
      },
      {
        name: 'wrong audience',
        token: () => forged({ aud: 'api://00000000-0000-4000-8000-00000000dead' }),
        detail: /another audience/,
      },
      {
        name: 'wrong issuer (another tenant named in iss, tid unchanged)',
        token: () => forged({ iss: `${emulator.url}/${seeded.otherTenantId}/v2.0` }),
        detail: /issuer does not match its tenant/,
      },
      {
        name: 'wrong issuer (v1 issuer on a v2 token)',
        token: () => forged({ iss: `https://sts.windows.net/${seeded.tenantId}/` }),
        detail: /issuer does not match its tenant/,
      },
      {
        name: 'a tenant not allowed whose signature is broken (the signature is checked before tid is trusted)',
        token: async () => {
          const alex = await signInToTenant(
            emulator,
            seeded.otherTenantId,
            'alex@tailspin.example',
            seeded.bffScope,
          )
          const [header, payload] = alex.split('.')
          const [, , otherSignature] = meganToken.split('.')
          return `${header}.${payload}.${otherSignature}`
        },
        detail: /signature is not valid/,
      },
      {
        name: 'a tenant not allowed whose issuer names another tenant',
        token: () => forged({ tid: seeded.otherTenantId }),
        detail: /issuer does not match its tenant/,
      },
      {
        name: 'expired',
        token: () => forged({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }),
        detail: /^The access token has expired\.$/,
      },
      {
        name: 'not yet valid',
        token: () => forged({ nbf: now() + 3600 }),
        detail: /not valid yet/,
      },
      {
        name: 'an empty oid',
        token: () => forged({ oid: '' }),
        detail: /^The access token's 'oid' claim is not an object id\.$/,
      },
      {
        name: 'iat ten years in the future',
        token: () => forged({ iat: now() + TEN_YEARS }),
        detail: /^The access token's issue time \(iat\) is in the future\.$/,
      },
      {
        name: 'exp ten years ahead (a lifetime no Entra token has)',
        token: () => forged({ exp: now() + TEN_YEARS }),
        detail:
          /^The access token's lifetime \(exp - iat\) is longer than the 86400 seconds this API accepts\.$/,
      },
      {
        name: 'iat two days ago, exp still ahead',
        token: () => forged({ iat: now() - 2 * 86_400, nbf: now() - 2 * 86_400 }),
        detail: /^The access token was issued too long ago\.$/,
      },
      {
        name: 'no iat',
        token: () => forged({ iat: undefined }),
        detail: /no 'iat' claim/,
      },
      {
        name: 'a client application not on the allow list (azp)',
        token: () => forged({ azp: 'c0ffee00-0000-4000-8000-00000000dead' }),
        detail:
          /^The access token was issued to client application c0ffee00-0000-4000-8000-00000000dead, which this API does not accept: its operator must add the client id to ENTRA_SHARE_ALLOWED_CLIENT_IDS\.$/,
      },
      {
        name: 'tampered payload with the original signature',
        token: async () => {
          const [header, , signature] = meganToken.split('.')
          return `${header}.${segment({ ...megan.payload, oid: seeded.admin.id })}.${signature}`
        },
        detail: /signature is not valid/,
      },
      {
        name: 'unknown kid',
        token: () => forged({}, { kid: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
        detail: /key Microsoft Entra ID does not publish/,
      },
      {
        name: 'no oid',
        token: () => forged({ oid: undefined }),
        detail: /no 'oid' claim/,
      },
    ]

    for (const attack of attacks) {
      it(`rejects ${attack.name} as unauthenticated with an invalid_token challenge`, async () => {
        const token = await attack.token()
        const error = await rejection(validatorFor().validate(`Bearer ${token}`))
        expect(error.code).toBe('unauthenticated')
        expect(error.status).toBe(401)
        expect(error.extras.detail).toMatch(attack.detail)
        const challenge = error.extras.headers?.['WWW-Authenticate'] ?? ''
        expect(challenge).toBe(`Bearer error="invalid_token", error_description="${error.extras.detail}"`)
        expect(JSON.stringify(error.toProblem())).not.toContain(token.split('.')[1])
        expect(error.message).not.toContain(token.split('.')[1])
      })
    }

    it('rejects a token without the required scope as insufficient_scope (403)', async () => {
      const token = await forged({ scp: 'User.Read' })
      const error = await rejection(validatorFor().validate(`Bearer ${token}`))
      expect(error.code).toBe('insufficient_scope')
      expect(error.status).toBe(403)
      expect(error.extras.headers?.['WWW-Authenticate']).toMatch(
        new RegExp(
          `^Bearer error="insufficient_scope", scope="api://${seeded.bffClientId}/Invitations.Send"`,
        ),
      )
    })
  })

  it('refuses a real Tailspin token (valid signature and issuer, tid not allowed) as 403 tenant_not_allowed, no challenge', async () => {
    const token = await signInToTenant(
      emulator,
      seeded.otherTenantId,
      'alex@tailspin.example',
      seeded.bffScope,
    )
    const error = await rejection(validatorFor().validate(`Bearer ${token}`))
    expect([error.status, error.code]).toEqual([403, 'tenant_not_allowed'])
    expect(error.extras.detail).toMatch(
      new RegExp(`tenant ${seeded.otherTenantId}\\).*ENTRA_SHARE_ALLOWED_TENANT_IDS`),
    )
    // No Bearer challenge: a client that sees one signs in again, and that would loop.
    expect(error.extras.headers?.['WWW-Authenticate']).toBeUndefined()
  })

  it('accepts the Tailspin token once Tailspin is an allowed tenant (the rejection above is the allow-list)', async () => {
    const token = await signInToTenant(
      emulator,
      seeded.otherTenantId,
      'alex@tailspin.example',
      seeded.bffScope,
    )
    const caller = await validatorFor({
      allowedTenantIds: [seeded.tenantId, seeded.otherTenantId],
    }).validate(`Bearer ${token}`)
    expect(caller.tenantId).toBe(seeded.otherTenantId)
  })

  it('tolerates clock skew up to clockToleranceSeconds', async () => {
    const recentlyExpired = await forged({ exp: now() - 30 })
    await expect(validatorFor().validate(`Bearer ${recentlyExpired}`)).resolves.toMatchObject({
      objectId: seeded.inviter.id,
    })
    const error = await rejection(validatorFor().validate(`Bearer ${await forged({ exp: now() - 90 })}`))
    expect(error.extras.detail).toBe('The access token has expired.')
  })

  it('tolerates an iat up to clockToleranceSeconds in the future, and not beyond', async () => {
    const fresh = await forged({ iat: now() + 30, nbf: now() })
    await expect(validatorFor().validate(`Bearer ${fresh}`)).resolves.toMatchObject({
      objectId: seeded.inviter.id,
    })
    const error = await rejection(validatorFor().validate(`Bearer ${await forged({ iat: now() + 120 })}`))
    expect(error.code).toBe('unauthenticated')
    expect(error.extras.headers?.['WWW-Authenticate']).toBe(
      `Bearer error="invalid_token", error_description="The access token's issue time (iat) is in the future."`,
    )
  })

  it('accepts a lifetime up to maxTokenLifetimeSeconds (default one day) and refuses a longer one', async () => {
    const iat = now() - 60
    const oneDay = await forged({ iat, nbf: iat, exp: iat + 86_400 })
    await expect(validatorFor().validate(`Bearer ${oneDay}`)).resolves.toMatchObject({
      objectId: seeded.inviter.id,
    })
    const longer = await forged({ iat, nbf: iat, exp: iat + 86_401 })
    const error = await rejection(validatorFor().validate(`Bearer ${longer}`))
    expect(error.extras.detail).toMatch(/lifetime \(exp - iat\) is longer than the 86400 seconds/)
    // Configurable: an API that knows its tenant issues 75-minute tokens may refuse anything past two hours.
    const twoHoursAndMore = await forged({ iat, nbf: iat, exp: iat + 7201 })
    const strict = await rejection(
      validatorFor({ maxTokenLifetimeSeconds: 7200 }).validate(`Bearer ${twoHoursAndMore}`),
    )
    expect(strict.extras.detail).toMatch(/longer than the 7200 seconds/)
    await expect(
      validatorFor({ maxTokenLifetimeSeconds: 7200 }).validate(`Bearer ${meganToken}`),
    ).resolves.toMatchObject({ objectId: seeded.inviter.id })
  })

  it('answers a request without a token with a realm-only challenge', async () => {
    for (const header of [undefined, '', '   ']) {
      const error = await rejection(validatorFor().validate(header))
      expect(error.code).toBe('unauthenticated')
      expect(error.extras.headers?.['WWW-Authenticate']).toBe(`Bearer realm="api://${seeded.bffClientId}"`)
    }
  })

  it('rejects an Authorization header that is not a Bearer token', async () => {
    for (const header of [
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Bearer',
      `Bearer ${meganToken} extra`,
    ]) {
      const error = await rejection(validatorFor().validate(header))
      expect(error.code).toBe('unauthenticated')
      expect(error.extras.detail).toMatch(/Bearer <token>/)
    }
  })

  it("accepts a v1 token with Entra's v1 issuer, reading the client from appid", async () => {
    const token = await forged({
      ver: '1.0',
      iss: `https://sts.windows.net/${seeded.tenantId}/`,
      aud: `api://${seeded.bffClientId}`,
      azp: undefined,
      appid: seeded.spaClientId,
      preferred_username: undefined,
      upn: seeded.inviter.upn,
    })
    const caller = await validatorFor().validate(`Bearer ${token}`)
    expect(caller).toMatchObject({
      clientId: seeded.spaClientId,
      username: seeded.inviter.upn,
      appOnly: false,
    })
  })

  it('rejects a v1 token that carries the v2 issuer', async () => {
    const token = await forged({ ver: '1.0' })
    const error = await rejection(validatorFor().validate(`Bearer ${token}`))
    expect(error.extras.detail).toMatch(/issuer does not match its tenant/)
  })

  it('checks azp against allowedClientIds when configured', async () => {
    const error = await rejection(
      validatorFor({ allowedClientIds: ['c11e0000-0000-4000-8000-00000000c001'] }).validate(
        `Bearer ${meganToken}`,
      ),
    )
    expect(error.code).toBe('unauthenticated')
    expect(error.extras.detail).toBe(
      `The access token was issued to client application ${seeded.spaClientId}, which this API does not accept: its operator must add the client id to ENTRA_SHARE_ALLOWED_CLIENT_IDS.`,
    )
    await expect(
      validatorFor({ allowedClientIds: [seeded.spaClientId.toUpperCase()] }).validate(`Bearer ${meganToken}`),
    ).resolves.toMatchObject({ clientId: seeded.spaClientId })
  })

  it("allows the emulator's seeded SPA and CLI by default, and any client when the list is emptied there", async () => {
    expect(configForEmulator(emulator).allowedClientIds).toEqual([seeded.spaClientId, seeded.cliClientId])
    const cliToken = await forged({ azp: seeded.cliClientId })
    await expect(validatorFor().validate(`Bearer ${cliToken}`)).resolves.toMatchObject({
      clientId: seeded.cliClientId,
    })
    const other = await forged({ azp: 'c0ffee00-0000-4000-8000-00000000dead' })
    expect(isEmulatorAuthority(emulator.url)).toBe(true)
    await expect(validatorFor({ allowedClientIds: [] }).validate(`Bearer ${other}`)).resolves.toMatchObject({
      clientId: 'c0ffee00-0000-4000-8000-00000000dead',
    })
  })

  it('fails closed against a real tenant: an empty allowedClientIds refuses every client, naming the variable', async () => {
    // Login.microsoftonline.com as the authority host (keys still from the emulator's metadata); v1 tokens, whose
    // issuer https://sts.windows.net/{tid}/ does not depend on the authority host.
    const realTenant = { authorityHost: 'https://login.microsoftonline.com' }
    expect(isEmulatorAuthority(realTenant.authorityHost)).toBe(false)
    const v1 = (appid: string | undefined) =>
      forged({
        ver: '1.0',
        iss: `https://sts.windows.net/${seeded.tenantId}/`,
        aud: `api://${seeded.bffClientId}`,
        azp: undefined,
        appid,
      })
    for (const token of [await v1(seeded.spaClientId), await v1(undefined)]) {
      const error = await rejection(
        validatorFor({ ...realTenant, allowedClientIds: [] }).validate(`Bearer ${token}`),
      )
      expect(error.code).toBe('unauthenticated')
      expect(error.status).toBe(401)
      expect(error.extras.detail).toMatch(
        /^The access token was issued to (client application 5a000000-0000-4000-8000-00000000a001|a client application), and this API accepts no client application yet: its operator must list the client ids of the apps that call it in ENTRA_SHARE_ALLOWED_CLIENT_IDS\.$/,
      )
      expect(error.extras.headers?.['WWW-Authenticate']).toBe(
        `Bearer error="invalid_token", error_description="${error.extras.detail}"`,
      )
    }
    const allowed = validatorFor({ ...realTenant, allowedClientIds: [seeded.spaClientId] })
    await expect(allowed.validate(`Bearer ${await v1(seeded.spaClientId)}`)).resolves.toMatchObject({
      clientId: seeded.spaClientId,
    })
  })

  it('lets an app-only caller in by role, and not without one', async () => {
    const appToken = await forged({
      scp: undefined,
      name: undefined,
      preferred_username: undefined,
      idtyp: 'app',
      roles: ['Invitations.Send.All'],
    })
    const caller = await validatorFor().validate(`Bearer ${appToken}`)
    expect(caller).toMatchObject({ appOnly: true, scopes: [], roles: ['Invitations.Send.All'] })

    const roleless = await forged({ scp: undefined, idtyp: 'app', roles: ['Something.Else'] })
    const error = await rejection(validatorFor().validate(`Bearer ${roleless}`))
    expect(error.code).toBe('insufficient_scope')
  })

  it('requires a role only when requiredScope is null', async () => {
    const error = await rejection(validatorFor({ requiredScope: null }).validate(`Bearer ${meganToken}`))
    expect(error.code).toBe('insufficient_scope')
    expect(error.extras.headers?.['WWW-Authenticate']).toBe(
      'Bearer error="insufficient_scope", error_description="The access token must grant one of the app roles Invitations.Send.All."',
    )
  })

  it('answers upstream_unavailable when the signing keys cannot be fetched', async () => {
    const metadata = {
      ...JSON.parse(emulator.settings.authorityMetadata),
      jwks_uri: `${emulator.url}/no-such/keys`,
    }
    const error = await rejection(
      validatorFor({ authorityMetadata: JSON.stringify(metadata) }).validate(`Bearer ${meganToken}`),
    )
    expect(error.code).toBe('upstream_unavailable')
    expect(error.status).toBe(503)
  })

  it("fetches the keys from the tenant's well-known JWKS path when no metadata is configured", async () => {
    const { authorityMetadata: _ignored, ...config } = configForEmulator(emulator)
    const caller = await createAccessTokenValidator(config).validate(`Bearer ${meganToken}`)
    expect(caller.objectId).toBe(seeded.inviter.id)
  })
})
