import { decodeJwt } from 'jose'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { chromiumLaunchOptions } from '../src/testing/index.js'
import type { TokenSummary } from './browser/spa.js'
import { type SpaServer, startSpaServer } from './browser/spa-server.js'
import { multiTenantSeed, tailspinUser } from './multi-tenant-seed.js'
import { seeded, startTestEmulator } from './support.js'

/**
 * msal-browser configured as Microsoft's multi-tenant SPA samples are (the React On-Behalf-Of tutorial among them):
 * `authority: …/organizations`, no `authorityMetadata`, so the page discovers the authority itself, cross-origin.
 */
describe('msal-browser 5 at /organizations without authorityMetadata (a multi-tenant SPA)', () => {
  let emulator: RunningEmulator
  let spa: SpaServer
  let browser: Browser

  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: multiTenantSeed() })
    spa = await startSpaServer({
      clientId: seeded.spaClientId,
      authority: `${emulator.url}/organizations`,
      knownAuthorities: emulator.settings.knownAuthorities,
    })
    browser = await chromium.launch(chromiumLaunchOptions)
  })
  afterAll(async () => {
    await browser?.close()
    await spa?.close()
    await emulator?.close()
  })

  async function signedIn(page: Page): Promise<TokenSummary> {
    await page.waitForURL((url) => url.origin === spa.origin && url.hash.includes('code='), {
      waitUntil: 'commit',
    })
    await page.waitForFunction(() => !!window.spaResult)
    return page.evaluate(() => window.spaResult as TokenSummary)
  }

  it('discovers the authority from the page, signs a Tailspin user in to their home tenant and renews silently', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    const requests: string[] = []
    context.on('request', (request) => requests.push(request.url()))
    const page = await context.newPage()
    await page.goto(`${spa.origin}/`)
    await page.waitForFunction(() => window.spaResult === null)
    await page.evaluate((hint) => {
      void window.spa.login(hint)
    }, tailspinUser.upn)
    const login = await signedIn(page)

    expect(requests).toContain(`${emulator.url}/organizations/v2.0/.well-known/openid-configuration`)
    expect(login.account).toMatchObject({
      homeAccountId: `${tailspinUser.id}.${seeded.tailspinTenantId}`,
      tenantId: seeded.tailspinTenantId,
      username: tailspinUser.upn,
    })
    expect(login.idTokenClaims).toMatchObject({
      iss: `${emulator.url}/${seeded.tailspinTenantId}/v2.0`,
      tid: seeded.tailspinTenantId,
      aud: seeded.spaClientId,
    })

    // The refresh token is redeemed cross-origin at /organizations; the BFF token is issued in Tailspin.
    const api = await page.evaluate((scope) => window.spa.silent([scope]), seeded.bffScope)
    expect(api.fromCache).toBe(false)
    expect(decodeJwt(api.accessToken)).toMatchObject({
      aud: seeded.bffClientId,
      tid: seeded.tailspinTenantId,
      iss: `${emulator.url}/${seeded.tailspinTenantId}/v2.0`,
    })
    expect(new Set(requests.map((url) => new URL(url).hostname))).toEqual(new Set(['127.0.0.1']))
    await context.close()
  })
})
