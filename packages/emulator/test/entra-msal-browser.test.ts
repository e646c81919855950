import { createRemoteJWKSet, jwtVerify } from 'jose'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { chromiumLaunchOptions } from '../src/testing/index.js'
import type { TokenSummary } from './browser/spa.js'
import { type SpaServer, startSpaServer } from './browser/spa-server.js'
import { seeded, startTestEmulator } from './support.js'

describe('msal-browser 5 in Chromium against the emulator (auth code + PKCE through the sign-in page)', () => {
  let emulator: RunningEmulator
  let spa: SpaServer
  let browser: Browser

  beforeAll(async () => {
    emulator = await startTestEmulator()
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    spa = await startSpaServer({
      clientId: seeded.spaClientId,
      authority,
      knownAuthorities,
      authorityMetadata,
    })
    browser = await chromium.launch(chromiumLaunchOptions)
  })
  afterAll(async () => {
    await browser?.close()
    await spa?.close()
    await emulator?.close()
  })

  /** A fresh browser profile (no session cookie, empty sessionStorage) that records every request it makes. */
  async function openSpa(): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
    // The emulator's CA is trusted by Node through NODE_EXTRA_CA_CERTS; Chromium has its own store.
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    const requests: string[] = []
    context.on('request', (request) => requests.push(request.url()))
    const page = await context.newPage()
    await page.goto(`${spa.origin}/`)
    await page.waitForFunction(() => window.spaResult === null)
    return { context, page, requests }
  }

  /** Every request of the run, the emulator's and the app's, stayed on the loopback address. */
  function expectLoopbackOnly(requests: string[]): void {
    expect(requests.some((url) => url.startsWith(`${emulator.url}/`))).toBe(true)
    expect(new Set(requests.map((url) => new URL(url).hostname))).toEqual(new Set(['127.0.0.1']))
  }

  /** Waits until the SPA has processed the authorize response it was redirected back with. */
  async function signedIn(page: Page): Promise<TokenSummary> {
    await page.waitForURL((url) => url.origin === spa.origin && url.hash.includes('code='), {
      waitUntil: 'commit',
    })
    await page.waitForFunction(() => !!window.spaResult)
    return page.evaluate(() => window.spaResult as TokenSummary)
  }

  it('signs Megan in with loginRedirect + login_hint, then gets a BFF token silently', async () => {
    const { context, page, requests } = await openSpa()
    await page.evaluate((hint) => {
      void window.spa.login(hint)
    }, seeded.inviter.upn)
    const login = await signedIn(page)

    expect(login.account).toMatchObject({
      homeAccountId: `${seeded.inviter.id}.${seeded.contosoTenantId}`,
      localAccountId: seeded.inviter.id,
      tenantId: seeded.contosoTenantId,
      username: seeded.inviter.upn,
      name: 'Megan Bowen',
    })
    expect(login.idTokenClaims).toMatchObject({
      aud: seeded.spaClientId,
      iss: emulator.settings.issuer,
      tid: seeded.contosoTenantId,
      oid: seeded.inviter.id,
    })
    expect(login.idTokenClaims.nonce).toEqual(expect.any(String))

    const api = await page.evaluate((scope) => window.spa.silent([scope]), seeded.bffScope)
    expect(api.fromCache).toBe(false)
    expect(api.scopes).toContain(seeded.bffScope)
    const { payload } = await jwtVerify(
      api.accessToken,
      createRemoteJWKSet(new URL(emulator.settings.jwksUri)),
      {
        issuer: emulator.settings.issuer,
        audience: seeded.bffClientId,
      },
    )
    expect(payload).toMatchObject({
      scp: 'Invitations.Send',
      azp: seeded.spaClientId,
      oid: seeded.inviter.id,
    })
    const cached = await page.evaluate((scope) => window.spa.silent([scope]), seeded.bffScope)
    expect(cached.fromCache).toBe(true)
    expect(cached.accessToken).toBe(api.accessToken)
    expectLoopbackOnly(requests)
    await context.close()
  })

  it('lets a person pick an account on the sign-in page when there is no login_hint', async () => {
    const { context, page, requests } = await openSpa()
    await page.evaluate(() => {
      void window.spa.login()
    })
    await page.getByRole('button', { name: /Adele Vance/ }).click()
    const login = await signedIn(page)
    expect(login.account.username).toBe(seeded.admin.upn)
    expectLoopbackOnly(requests)
    await context.close()
  })
})
