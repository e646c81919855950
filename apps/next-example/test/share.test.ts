import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '@entra-share/bff'
import { configForEmulator } from '@entra-share/bff/testing'
import { defaultSeedIds, type RunningEmulator, startEmulator } from '@entra-share/emulator'
import { chromiumLaunchOptions } from '@entra-share/emulator/testing'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, nextBuild, nextStart, stopNext } from './next-app.js'

/**
 * Issue 17's acceptance: the example built with `next build` and served by `next start` renders `<ShareButton>` from
 * its server component page, hydrates in Chromium without a warning, signs in through the emulator with msal-react
 * and shares through the real BFF.
 */

const GUEST = { email: 'ada.next@fabrikam.example', name: 'Ada Lovelace' }
const MFA_GUEST = { email: 'grace.next@fabrikam.example', name: 'Grace Hopper' }
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface ConsoleEntry {
  type: string
  text: string
  url: string
}

let emulator: RunningEmulator
let bff: Awaited<ReturnType<typeof buildApp>>
let browser: Browser
let origin: string
let bffDataDir: string
/** Every console message and uncaught error of the tabs, wherever they were. */
const consoleEntries: ConsoleEntry[] = []
const requests: string[] = []

beforeAll(async () => {
  const port = await freePort()
  origin = `http://127.0.0.1:${port}`
  emulator = await startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA })
  bffDataDir = mkdtempSync(join(tmpdir(), 'entra-share-next-example-bff-'))
  bff = await buildApp(
    configForEmulator(emulator, {
      corsOrigins: [origin],
      redirectOrigins: [origin],
      defaultRedirectUrl: `${origin}/`,
      dataDir: bffDataDir,
    }),
  )
  const bffUrl = await bff.listen({ host: '127.0.0.1', port: 0 })
  const { spaClientId, authority, knownAuthorities, authorityMetadata, bffScope } = emulator.settings
  // What a developer puts in .env.local, for this emulator: `next build` inlines them in the page.
  const settings = {
    NEXT_PUBLIC_ENTRA_SHARE_SPA_CLIENT_ID: spaClientId ?? defaultSeedIds.spaClientId,
    NEXT_PUBLIC_ENTRA_SHARE_AUTHORITY: authority,
    NEXT_PUBLIC_ENTRA_SHARE_KNOWN_AUTHORITIES: knownAuthorities.join(','),
    NEXT_PUBLIC_ENTRA_SHARE_AUTHORITY_METADATA: authorityMetadata,
    NEXT_PUBLIC_ENTRA_SHARE_BFF_URL: bffUrl,
    NEXT_PUBLIC_ENTRA_SHARE_BFF_SCOPE: bffScope ?? defaultSeedIds.bffScope,
  }
  // Chromium starts while Next.js builds.
  ;[browser] = await Promise.all([chromium.launch(chromiumLaunchOptions), nextBuild(settings)])
  await nextStart(port, settings)
})

afterAll(async () => {
  await browser?.close()
  await stopNext()
  await bff?.close()
  await emulator?.close()
  if (bffDataDir) rmSync(bffDataDir, { recursive: true, force: true })
})

/** A tab in a fresh browser profile whose console, uncaught errors and requests are recorded. */
async function newTab(): Promise<Page> {
  // Chromium does not read NODE_EXTRA_CA_CERTS: the emulator's certificate comes from the test's own CA.
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  context.on('request', (request) => requests.push(request.url()))
  const tab = await context.newPage()
  tab.on('console', (message) =>
    consoleEntries.push({ type: message.type(), text: message.text(), url: message.location().url }),
  )
  tab.on('pageerror', (error) =>
    consoleEntries.push({ type: 'pageerror', text: String(error), url: tab.url() }),
  )
  return tab
}

/**
 * Errors, and warnings about hydration, that the app's pages logged (the emulator's sign-in page is not ours).
 * React's production build reports a hydration mismatch as an uncaught error (#418, #423, #425): a `pageerror`.
 */
function problems(): ConsoleEntry[] {
  return consoleEntries.filter(
    (entry) =>
      !entry.url.startsWith(emulator.url) &&
      (entry.type === 'error' || entry.type === 'pageerror' || /hydrat/i.test(entry.text)),
  )
}

/** Signs Megan in from the app's Sign in button, on the emulator's login page. */
async function signIn(tab: Page): Promise<void> {
  await tab.getByRole('button', { name: 'Sign in' }).click()
  await tab.waitForURL(/\/oauth2\/v2\.0\/authorize|\/login/)
  await tab.getByRole('button', { name: /Megan Bowen/ }).click()
  await tab.getByText(/Signed in as Megan Bowen/).waitFor({ timeout: 30_000 })
}

/** Opens the share dialog in `tab` and sends the form for `guest`. */
async function share(tab: Page, guest: { email: string; name: string }): Promise<Locator> {
  await tab.getByRole('button', { name: 'Share Apollo…' }).click()
  const dialog = tab.getByRole('dialog')
  await dialog.getByLabel('Email address').fill(guest.email)
  await dialog.getByLabel('Name', { exact: true }).fill(guest.name)
  await dialog.getByRole('button', { name: 'Share', exact: true }).click()
  return dialog
}

/** The success view's object id. */
async function objectIdShown(dialog: Locator): Promise<string | undefined> {
  const value = dialog.locator('dt', { hasText: 'Object id' }).locator('xpath=following-sibling::dd[1]/code')
  return (await value.textContent())?.trim()
}

/** The guest the emulator's directory holds for `email`, in the inviter's tenant. */
async function guestOf(email: string) {
  const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as {
    tenants: { id: string; users: { id: string; mail: string | null; userType: string }[] }[]
  }
  return state.tenants
    .find((tenant) => tenant.id === defaultSeedIds.contosoTenantId)
    ?.users.find((user) => user.mail === email)
}

describe('the Next.js example on `next build` + `next start`', () => {
  let page: Page

  it('serves the server component page, which hydrates without a warning', async () => {
    const html = await (await fetch(origin)).text()
    expect(html).toContain('<h1>Project Apollo</h1>')
    page = await newTab()
    await page.goto(origin)
    // Sign in appears once React has hydrated the page and MSAL has started.
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 30_000 })
    expect(problems()).toEqual([])
  })

  it('signs the inviter in on the emulator’s login page', async () => {
    await signIn(page)
    expect(problems()).toEqual([])
  })

  it('shares with a new address from <ShareButton> and shows the guest’s object id', async () => {
    const dialog = await share(page, GUEST)
    await dialog.getByRole('heading', { name: 'Invitation sent' }).waitFor({ timeout: 30_000 })
    const objectId = await objectIdShown(dialog)
    expect(objectId).toMatch(GUID)
    expect(await guestOf(GUEST.email)).toMatchObject({ id: objectId, userType: 'Guest' })
    expect(problems()).toEqual([])
  })

  it('passes a claims challenge: MFA in a popup, relayed by the page’s redirect bridge', async () => {
    // A new sign-in: the BFF keeps the On-Behalf-Of token it got for the first one's access token.
    const tab = await newTab()
    await tab.goto(origin)
    await signIn(tab)
    // Conditional Access speaks when the BFF asks for its On-Behalf-Of token: the silent refresh cannot satisfy the
    // claims, so the seam opens a popup on the emulator, which comes back to this app's root page.
    emulator.context.faults.set({ claimsChallengeUsers: [defaultSeedIds.inviter.upn] })
    try {
      const popup = tab.context().waitForEvent('page')
      const dialog = await share(tab, MFA_GUEST)
      const mfa = await popup
      await mfa.getByRole('button', { name: 'Approve sign-in (MFA)' }).click()
      await dialog.getByRole('heading', { name: 'Invitation sent' }).waitFor({ timeout: 30_000 })
      expect(mfa.isClosed()).toBe(true)
      expect((await guestOf(MFA_GUEST.email))?.id).toBe(await objectIdShown(dialog))
    } finally {
      emulator.context.faults.set({})
    }
    // The challenge itself is the BFF's 401 (WWW-Authenticate with the claims), which Chromium logs as it logs any.
    const challenge = (entry: ConsoleEntry) =>
      entry.url.endsWith('/api/invitations') && / 401 /.test(entry.text)
    expect(problems().filter(challenge)).toHaveLength(1)
    expect(problems().filter((entry) => !challenge(entry))).toEqual([])
    // Nothing left the machine: the pages, their scripts, the emulator and the BFF are all on 127.0.0.1.
    expect(new Set(requests.map((url) => new URL(url).hostname))).toEqual(new Set(['127.0.0.1']))
  })
})
