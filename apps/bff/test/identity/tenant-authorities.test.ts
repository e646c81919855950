import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BffConfig } from '../../src/config.js'
import { createAuthorityMetadataSource } from '../../src/identity/authority-metadata.js'
import type { GraphTokenProvider } from '../../src/identity/caller.js'
import { createGraphTokenProvider } from '../../src/identity/graph-token-provider.js'
import { isProblemError } from '../../src/platform/problem-error.js'
import { configForEmulator } from '../../src/testing/index.js'
import { multiTenantSeed } from '../multi-tenant-seed.js'
import { seeded, startTestEmulator } from '../support.js'
import { bffTokenRequests, callerFromToken, signInToTenant } from './identity-fixtures.js'

const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const CLIENT_CREDENTIALS = 'client_credentials'

let emulator: RunningEmulator
const providers: GraphTokenProvider[] = []

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: multiTenantSeed() })
})
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close()))
})
afterAll(async () => {
  await emulator.close()
})

function config(overrides: Partial<BffConfig> = {}): BffConfig {
  return configForEmulator(emulator, {
    allowedTenantIds: [seeded.tenantId, seeded.otherTenantId],
    ...overrides,
  })
}

function providerFor(overrides: Partial<BffConfig> = {}) {
  const provider = createGraphTokenProvider(config(overrides))
  providers.push(provider)
  return provider
}

const tidOf = (token: string) => decodeJwt(token).tid

describe('per-tenant msal-node applications', () => {
  it("derives a tenant's authority metadata from the configured one by its path pattern, as the emulator serves it", async () => {
    const metadata = createAuthorityMetadataSource(config())
    expect(await metadata()).toBe(emulator.settings.authorityMetadata)
    expect(JSON.parse(await metadata(seeded.otherTenantId))).toEqual(
      JSON.parse(emulator.settingsFor(seeded.otherTenantId).authorityMetadata),
    )
  })

  it("discovers another tenant's metadata at its own well-known URL, once, when none is configured", async () => {
    const asked: string[] = []
    const fetchStub = (async (url: string | URL | Request) => {
      asked.push(String(url))
      return new Response(JSON.stringify({ token_endpoint: `${String(url)}/token` }))
    }) as typeof fetch
    const metadata = createAuthorityMetadataSource({ ...config(), authorityMetadata: undefined }, fetchStub)
    await metadata(seeded.otherTenantId)
    await metadata(seeded.otherTenantId.toUpperCase())
    await metadata()
    expect(asked).toEqual([
      `${emulator.url}/${seeded.otherTenantId}/v2.0/.well-known/openid-configuration`,
      `${emulator.url}/${seeded.tenantId}/v2.0/.well-known/openid-configuration`,
    ])
  })

  it('keeps one client-credentials application per tenant authority, each with its cached app token', async () => {
    const provider = providerFor()
    const atContoso = bffTokenRequests(emulator, CLIENT_CREDENTIALS, seeded.tenantId)
    const atTailspin = bffTokenRequests(emulator, CLIENT_CREDENTIALS, seeded.otherTenantId)

    const home = await provider.appToken()
    const tailspin = await provider.appToken(seeded.otherTenantId)
    expect(await provider.appToken(seeded.tenantId)).toBe(home)
    expect(await provider.appToken(seeded.otherTenantId)).toBe(tailspin)

    expect([tidOf(home), tidOf(tailspin)]).toEqual([seeded.tenantId, seeded.otherTenantId])
    expect(bffTokenRequests(emulator, CLIENT_CREDENTIALS, seeded.tenantId)).toBe(atContoso + 1)
    expect(bffTokenRequests(emulator, CLIENT_CREDENTIALS, seeded.otherTenantId)).toBe(atTailspin + 1)
  })

  it("exchanges each caller's assertion On-Behalf-Of at their own tenant's authority, cached", async () => {
    const provider = providerFor()
    const megan = callerFromToken((await signInToSpa(emulator, seeded.inviter.upn)).access_token)
    const alex = callerFromToken(
      await signInToTenant(emulator, seeded.otherTenantId, 'alex@tailspin.example', seeded.bffScope),
    )
    const oboAtContoso = bffTokenRequests(emulator, OBO_GRANT, seeded.tenantId)
    const oboAtTailspin = bffTokenRequests(emulator, OBO_GRANT, seeded.otherTenantId)

    const forAlex = await provider.graphToken(alex)
    const forMegan = await provider.graphToken(megan)
    expect(await provider.graphToken(alex)).toBe(forAlex)

    expect([tidOf(forAlex), tidOf(forMegan)]).toEqual([seeded.otherTenantId, seeded.tenantId])
    expect(bffTokenRequests(emulator, OBO_GRANT, seeded.otherTenantId)).toBe(oboAtTailspin + 1)
    expect(bffTokenRequests(emulator, OBO_GRANT, seeded.tenantId)).toBe(oboAtContoso + 1)
  })

  it("gives an app-mode caller the app's token from the caller's tenant", async () => {
    const provider = providerFor({ graphMode: 'app' })
    const alex = callerFromToken(
      await signInToTenant(emulator, seeded.otherTenantId, 'alex@tailspin.example', seeded.bffScope),
    )
    expect(tidOf(await provider.graphToken(alex))).toBe(seeded.otherTenantId)
  })

  it("names the tenant the token was asked for in consent_required: that tenant's admin consent page", async () => {
    const tailspin = emulator.context.directory.tenant(seeded.otherTenantId)
    const bff = tailspin?.applications.get(seeded.bffClientId)
    if (!bff) throw new Error('no BFF app in Tailspin')
    const granted = bff.graphApplicationPermissions
    bff.graphApplicationPermissions = []
    try {
      const error = await providerFor()
        .appToken(seeded.otherTenantId)
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        )
      if (!isProblemError(error)) throw new Error(`expected a ProblemError, got ${String(error)}`)
      expect(error.code).toBe('consent_required')
      expect(JSON.stringify(error.toProblem())).toContain(
        `${emulator.url}/${seeded.otherTenantId}/adminconsent?client_id=${seeded.bffClientId}`,
      )
    } finally {
      bff.graphApplicationPermissions = granted
    }
  })
})
