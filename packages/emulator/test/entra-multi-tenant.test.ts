import {
  type AuthError,
  ConfidentialClientApplication,
  CryptoProvider,
  PublicClientApplication,
} from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { deviceCodesOf } from '../src/entra/device-codes.js'
import type { RunningEmulator } from '../src/index.js'
import { parseSeed, SeedError } from '../src/state/seed.js'
import { authorizeUrl, visit } from '../src/testing/sign-in.js'
import {
  BFF_WEB_REDIRECT_URI,
  contosoOnlyNativeApp,
  multiTenantNativeApp,
  multiTenantSeed,
  tailspinUser,
} from './multi-tenant-seed.js'
import { seeded, startTestEmulator } from './support.js'

const NOT_MULTI_TENANT =
  "is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant."

describe('multi-tenant apps at /organizations and /common (msal-node)', () => {
  let emulator: RunningEmulator
  const pkce = new CryptoProvider()
  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: multiTenantSeed() })
  })
  beforeEach(() => {
    emulator.context.directory.reset()
    deviceCodesOf(emulator.context).clear()
  })
  afterAll(() => emulator.close())

  /** msal-node configured as Microsoft's samples are, with only the authority host changed. */
  function publicClient(segment: string, clientId: string = multiTenantNativeApp.clientId) {
    return new PublicClientApplication({
      auth: {
        clientId,
        authority: `${emulator.url}/${segment}`,
        knownAuthorities: emulator.settings.knownAuthorities,
      },
    })
  }

  async function postForm(path: string, form: Record<string, string>) {
    const response = await fetch(`${emulator.url}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  async function rejection(promise: Promise<unknown>): Promise<AuthError> {
    try {
      await promise
    } catch (error) {
      return error as AuthError
    }
    throw new Error('expected msal to throw')
  }

  /** Follows msal's authorize URL as the user's browser would, signing the hinted user in. */
  async function codeFrom(url: string): Promise<string> {
    const outcome = await visit(url)
    const code = outcome.location?.searchParams.get('code')
    if (!code) throw new Error(`no code: ${outcome.location?.href ?? outcome.html}`)
    return code
  }

  for (const segment of ['organizations', 'common']) {
    it(`signs a Tailspin user in to a desktop app at /${segment}: tokens carry the user's home tenant`, async () => {
      const app = publicClient(segment)
      const { verifier, challenge } = await pkce.generatePkceCodes()
      const redirectUri = 'http://localhost:53117'
      const scopes = ['User.Read']
      const url = await app.getAuthCodeUrl({
        scopes,
        redirectUri,
        loginHint: tailspinUser.upn,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
      })
      expect(url.startsWith(`${emulator.url}/${segment}/oauth2/v2.0/authorize?`)).toBe(true)
      const result = await app.acquireTokenByCode({
        code: await codeFrom(url),
        scopes,
        redirectUri,
        codeVerifier: verifier,
      })

      expect(result.tenantId).toBe(seeded.tailspinTenantId)
      expect(result.account?.homeAccountId).toBe(`${tailspinUser.id}.${seeded.tailspinTenantId}`)
      expect(result.idTokenClaims).toMatchObject({
        iss: `${emulator.url}/${seeded.tailspinTenantId}/v2.0`,
        tid: seeded.tailspinTenantId,
        aud: multiTenantNativeApp.clientId,
      })
      expect(decodeJwt(result.accessToken)).toMatchObject({
        aud: 'https://graph.microsoft.com',
        iss: `https://sts.windows.net/${seeded.tailspinTenantId}/`,
        tid: seeded.tailspinTenantId,
        appid: multiTenantNativeApp.clientId,
        appidacr: '0',
      })

      // The refresh token names its tenant, so msal can renew at /organizations too.
      const account = result.account
      if (!account) throw new Error('no account')
      const renewed = await app.acquireTokenSilent({ account, scopes, forceRefresh: true })
      expect(renewed.fromCache).toBe(false)
      expect(decodeJwt(renewed.accessToken).tid).toBe(seeded.tailspinTenantId)
    })
  }

  it('signs a Contoso user in at the same authority in Contoso', async () => {
    const start = authorizeUrl(emulator, {
      clientId: multiTenantNativeApp.clientId,
      redirectUri: 'http://localhost:53117',
      loginHint: seeded.inviter.upn,
      responseMode: 'query',
    })
    const outcome = await visit(start.url.replace(`/${seeded.contosoTenantId}/`, '/organizations/'))
    const clientInfo = JSON.parse(
      Buffer.from(outcome.params.get('client_info') ?? '', 'base64url').toString(),
    )
    expect(clientInfo).toEqual({ uid: seeded.inviter.id, utid: seeded.contosoTenantId })
  })

  it('offers the members of every tenant that lists the app on the account picker', async () => {
    const organizations = (clientId: string) =>
      visit(
        authorizeUrl(emulator, { clientId, redirectUri: 'http://localhost:53117' }).url.replace(
          `/${seeded.contosoTenantId}/`,
          '/organizations/',
        ),
      )
    const names = (html: string) => [...html.matchAll(/<span class="upn">([^<]+)<\/span>/g)].map((m) => m[1])
    const both = await organizations(multiTenantNativeApp.clientId)
    expect(both.status).toBe(200)
    expect(both.html).toContain('(work or school account)')
    expect(names(both.html)).toEqual(expect.arrayContaining([seeded.inviter.upn, tailspinUser.upn]))

    const contosoOnly = await organizations(contosoOnlyNativeApp.clientId)
    expect(names(contosoOnly.html)).toContain(seeded.inviter.upn)
    expect(names(contosoOnly.html)).not.toContain(tailspinUser.upn)
  })

  it('runs the device code flow at /organizations: the approver decides the tenant', async () => {
    const app = publicClient('organizations')
    const tokens = app.acquireTokenByDeviceCode({
      scopes: ['User.Read'],
      deviceCodeCallback: (response) => {
        void fetch(`${emulator.url}/_emulator/device-codes/${response.userCode}/approve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: tailspinUser.upn }),
        })
      },
    })
    const result = await tokens
    expect(result?.tenantId).toBe(seeded.tailspinTenantId)
    expect(result?.idTokenClaims).toMatchObject({ iss: `${emulator.url}/${seeded.tailspinTenantId}/v2.0` })
  }, 20_000)

  it('signs a Tailspin user in to the multi-tenant web app (confidential client) at /organizations', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: seeded.bffClientId,
        clientSecret: seeded.bffClientSecret,
        authority: `${emulator.url}/organizations`,
        knownAuthorities: emulator.settings.knownAuthorities,
      },
    })
    const scopes = ['User.Read']
    const url = await app.getAuthCodeUrl({
      scopes,
      redirectUri: BFF_WEB_REDIRECT_URI,
      loginHint: tailspinUser.upn,
    })
    const result = await app.acquireTokenByCode({
      code: await codeFrom(url),
      scopes,
      redirectUri: BFF_WEB_REDIRECT_URI,
    })
    expect(result.tenantId).toBe(seeded.tailspinTenantId)
    expect(decodeJwt(result.accessToken)).toMatchObject({ tid: seeded.tailspinTenantId, appidacr: '1' })

    // Nothing names a tenant for an app-only token: msal-node refuses before asking, Entra answers AADSTS50059.
    const appOnly = await rejection(
      app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    )
    expect(appOnly.errorCode).toBe('missing_tenant_id_error')
    const raw = await postForm('organizations/oauth2/v2.0/token', {
      client_id: seeded.bffClientId,
      client_secret: seeded.bffClientSecret,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    })
    expect(raw.status).toBe(400)
    expect(raw.body).toMatchObject({ error: 'invalid_request', error_codes: [50059] })
    expect(raw.body.error_description).toMatch(
      /^AADSTS50059: No tenant-identifying information found in either the request or implied by any provided credentials\. Trace ID/,
    )
  })

  it("lets the multi-tenant BFF exchange a Tailspin user's SPA token On-Behalf-Of at /organizations", async () => {
    const scope = `${seeded.bffScope} openid profile offline_access`
    const start = authorizeUrl(emulator, { loginHint: tailspinUser.upn, scope })
    const outcome = await visit(start.url.replace(`/${seeded.contosoTenantId}/`, '/organizations/'))
    const spaOrigin = 'http://127.0.0.1:5173'
    const response = await fetch(`${emulator.url}/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: spaOrigin },
      body: new URLSearchParams({
        client_id: seeded.spaClientId,
        grant_type: 'authorization_code',
        code: outcome.params.get('code') ?? '',
        redirect_uri: 'http://127.0.0.1:5173/',
        code_verifier: start.codeVerifier,
        scope,
      }).toString(),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(spaOrigin)
    const assertion = String(((await response.json()) as Record<string, unknown>).access_token)
    expect(decodeJwt(assertion)).toMatchObject({
      aud: seeded.bffClientId,
      iss: `${emulator.url}/${seeded.tailspinTenantId}/v2.0`,
    })

    const bff = new ConfidentialClientApplication({
      auth: {
        clientId: seeded.bffClientId,
        clientSecret: seeded.bffClientSecret,
        authority: `${emulator.url}/organizations`,
        knownAuthorities: emulator.settings.knownAuthorities,
      },
    })
    const graph = await bff.acquireTokenOnBehalfOf({
      oboAssertion: assertion,
      scopes: ['https://graph.microsoft.com/.default'],
    })
    expect(decodeJwt(graph?.accessToken ?? '')).toMatchObject({
      tid: seeded.tailspinTenantId,
      upn: tailspinUser.upn,
      appid: seeded.bffClientId,
    })
  })

  it('refuses a single-tenant app at /organizations and /common with AADSTS50194, naming the app', async () => {
    for (const segment of ['organizations', 'common']) {
      const { status, body } = await postForm(`${segment}/oauth2/v2.0/devicecode`, {
        client_id: seeded.cliClientId,
        scope: 'User.Read',
      })
      expect(status).toBe(400)
      expect(body).toMatchObject({ error: 'invalid_request', error_codes: [50194] })
      expect(body.error_description).toContain(
        `AADSTS50194: Application '${seeded.cliClientId}'(entra-share CLI) ${NOT_MULTI_TENANT}`,
      )
    }
    const page = await visit(
      authorizeUrl(emulator, { clientId: seeded.cliClientId, redirectUri: 'http://localhost:1' }).url.replace(
        `/${seeded.contosoTenantId}/`,
        '/common/',
      ),
    )
    expect(page.status).toBe(400)
    expect(page.html).toContain(
      `AADSTS50194: Application '${seeded.cliClientId}'(entra-share CLI) ${NOT_MULTI_TENANT}`,
    )
  })
})

describe('signInAudience in the seed', () => {
  const withAudience = (audience: string, where = 0) => {
    const seed = structuredClone(multiTenantSeed()) as {
      tenants: { applications: Record<string, unknown>[] }[]
    }
    const app = seed.tenants[where]?.applications.find(
      (entry) => entry.clientId === multiTenantNativeApp.clientId,
    )
    if (!app) throw new Error('seed changed')
    app.signInAudience = audience
    return seed
  }

  it('accepts AzureADMyOrg and AzureADMultipleOrgs, and leaves it out for the consenting tenants', () => {
    expect(() => parseSeed(multiTenantSeed())).not.toThrow()
    expect(() => parseSeed(withAudience('AzureADMultipleOrgs', 1))).not.toThrow()
  })

  it('refuses personal Microsoft accounts, which are not emulated', () => {
    expect(() => parseSeed(withAudience('AzureADandPersonalMicrosoftAccount'))).toThrow(SeedError)
    expect(() => parseSeed(withAudience('AzureADandPersonalMicrosoftAccount'))).toThrow(
      /signInAudience AzureADandPersonalMicrosoftAccount: personal Microsoft accounts are not emulated/,
    )
    expect(() => parseSeed(withAudience('AzureADGuests'))).toThrow(/signInAudience/)
  })

  it('refuses one client id with two different audiences', () => {
    expect(() => parseSeed(withAudience('AzureADMyOrg', 1))).toThrow(
      /has signInAudience AzureADMyOrg in Tailspin Toys but AzureADMultipleOrgs in Contoso/,
    )
  })
})
