import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '@entra-share/bff'
import { configForEmulator } from '@entra-share/bff/testing'
import { defaultSeedIds, type RunningEmulator, startEmulator } from '@entra-share/emulator'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumLaunchOptions } from './chromium.js'
import { listenPageServer, type PageServer } from './page-server.js'
import { createSessionBackend } from './session-backend.js'

/**
 * Issue 4's acceptance, end to end with nothing mocked: msal-browser signs Megan in against the emulator in real
 * Chromium, `<ShareWithExternalUser>` invites through the real BFF (On-Behalf-Of, Graph on the emulator), and the
 * page shows the redeem URL and the guest's object id that the emulator's directory holds. Issue 17's acceptance in
 * the same set-up: a host page with no MSAL at all gives the component its tokens through `getAccessToken`.
 */

interface EmulatorState {
  tenants: { id: string; users: { id: string; mail: string | null; userType: string }[] }[]
  invitations: { invitedUserId: string; invitedUserEmailAddress: string; inviteRedeemUrl: string }[]
}

let emulator: RunningEmulator
let bff: Awaited<ReturnType<typeof buildApp>>
let page: PageServer
let sessionPage: PageServer
let bffUrl: string
let browser: Browser
const session = createSessionBackend(() => emulator, defaultSeedIds.inviter.upn)

beforeAll(async () => {
  let pageServer: Awaited<ReturnType<typeof listenPageServer>>
  let sessionPageServer: Awaited<ReturnType<typeof listenPageServer>>
  ;[emulator, pageServer, sessionPageServer, browser] = await Promise.all([
    startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA }),
    listenPageServer(),
    // A host without MSAL installed: its page's build fails on any @azure/msal-* import.
    listenPageServer({
      entry: 'page-without-msal.tsx',
      refusePackages: /^@azure\/msal-/,
      routes: session.routes,
    }),
    chromium.launch(chromiumLaunchOptions),
  ])
  bff = await buildApp(
    configForEmulator(emulator, {
      corsOrigins: [pageServer.origin, sessionPageServer.origin],
      redirectOrigins: [pageServer.origin, sessionPageServer.origin],
      defaultRedirectUrl: `${pageServer.origin}/`,
      dataDir: mkdtempSync(join(tmpdir(), 'entra-share-react-bff-')),
    }),
  )
  bffUrl = await bff.listen({ host: '127.0.0.1', port: 0 })
  const { authority, knownAuthorities, authorityMetadata, spaClientId, bffScope } = emulator.settings
  const scope = bffScope ?? defaultSeedIds.bffScope
  ;[page, sessionPage] = await Promise.all([
    pageServer.serve({
      clientId: spaClientId ?? defaultSeedIds.spaClientId,
      authority,
      knownAuthorities,
      authorityMetadata,
      bffUrl,
      scope,
      loginHint: defaultSeedIds.inviter.upn,
    }),
    sessionPageServer.serve({ bffUrl, scope }),
  ])
})

afterAll(async () => {
  await browser?.close()
  await page?.close()
  await sessionPage?.close()
  await bff?.close()
  await emulator?.close()
})

async function emulatorState(): Promise<EmulatorState> {
  const response = await fetch(`${emulator.url}/_emulator/state`)
  return (await response.json()) as EmulatorState
}

/** A fresh profile on the test page, signed in as Megan through the emulator (login_hint: no click needed). */
async function signedInPage(): Promise<{ tab: Page; requests: string[] }> {
  // Chromium does not read NODE_EXTRA_CA_CERTS; the emulator's certificate comes from the test's own CA.
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  const requests: string[] = []
  context.on('request', (request) => requests.push(request.url()))
  const tab = await context.newPage()
  await tab.goto(page.origin)
  await tab.getByRole('button', { name: 'Sign in' }).click()
  await tab.getByText(`Signed in as ${defaultSeedIds.inviter.upn}`).waitFor({ timeout: 20_000 })
  return { tab, requests }
}

async function share(tab: Page, email: string, name: string): Promise<void> {
  await tab.getByLabel('Email address').fill(email)
  await tab.getByLabel('Name', { exact: true }).fill(name)
  await tab.getByRole('button', { name: 'Share', exact: true }).click()
}

/** The shown object id, and the id of the guest with this email in the emulator's directory. */
async function shownAndDirectoryGuestId(
  tab: Page,
  email: string,
): Promise<[string | undefined, string | undefined]> {
  const shown = (await tab.locator('.es-Share__details dd code').nth(1).textContent())?.trim()
  const guest = (await emulatorState()).tenants
    .find((tenant) => tenant.id === defaultSeedIds.contosoTenantId)
    ?.users.find((user) => user.mail === email)
  return [shown, guest?.id]
}

describe('<ShareWithExternalUser> in Chromium with msal-browser, the emulator and the real BFF', () => {
  it('signs in, invites Ada and shows the redeem URL and object id the directory holds', async () => {
    const { tab, requests } = await signedInPage()
    await share(tab, 'ada@fabrikam.example', 'Ada Lovelace')
    await tab.getByRole('heading', { name: 'Invitation sent' }).waitFor({ timeout: 20_000 })

    const shownRedeemUrl = (await tab.locator('.es-Share__url').textContent())?.trim()
    const shownObjectId = (await tab.locator('.es-Share__details dd code').nth(1).textContent())?.trim()
    const state = await emulatorState()
    const invitation = state.invitations.find(
      (entry) => entry.invitedUserEmailAddress === 'ada@fabrikam.example',
    )
    const guest = state.tenants
      .find((tenant) => tenant.id === defaultSeedIds.contosoTenantId)
      ?.users.find((user) => user.mail === 'ada@fabrikam.example')
    expect(guest).toMatchObject({ userType: 'Guest' })
    expect(shownObjectId).toBe(guest?.id)
    expect(shownRedeemUrl).toBe(invitation?.inviteRedeemUrl)
    expect(shownRedeemUrl).toMatch(new RegExp(`^${emulator.url}/redeem\\?`))
    expect(await tab.locator('.es-Share__success').textContent()).toContain(
      'Microsoft emailed an invitation to ada@fabrikam.example.',
    )
    // Nothing left the machine: the page, the emulator and the BFF are all on 127.0.0.1.
    expect(new Set(requests.map((url) => new URL(url).hostname))).toEqual(new Set(['127.0.0.1']))
    await tab.context().close()
  })

  it('shows the BFF’s refusal of a blocked domain in the error summary', async () => {
    emulator.context.faults.set({ crossTenantBlockedDomains: ['blocked.example'] })
    try {
      const { tab } = await signedInPage()
      await share(tab, 'mallory@blocked.example', 'Mallory')
      const alert = tab.locator('.es-Share__alert')
      await alert.waitFor({ timeout: 20_000 })
      expect(await alert.getAttribute('data-code')).toBe('blocked_by_tenant_policy')
      await tab.context().close()
    } finally {
      emulator.context.faults.set({})
    }
  })

  it('passes a Conditional Access claims challenge: MFA in a popup, then the invitation goes through', async () => {
    const { tab } = await signedInPage()
    // set after sign-in: Conditional Access speaks when the BFF asks for its On-Behalf-Of token
    emulator.context.faults.set({ claimsChallengeUsers: [defaultSeedIds.inviter.upn] })
    try {
      const popup = tab.context().waitForEvent('page')
      await share(tab, 'grace.hopper@fabrikam.example', 'Grace Hopper')
      // the challenge's claims demand MFA: the silent refresh is refused, so the hook opens a popup
      const mfa = await popup
      await mfa.getByRole('button', { name: 'Approve sign-in (MFA)' }).click()
      await tab.getByRole('heading', { name: 'Invitation sent' }).waitFor({ timeout: 20_000 })
      const shownObjectId = (await tab.locator('.es-Share__details dd code').nth(1).textContent())?.trim()
      const guest = (await emulatorState()).tenants
        .find((tenant) => tenant.id === defaultSeedIds.contosoTenantId)
        ?.users.find((user) => user.mail === 'grace.hopper@fabrikam.example')
      expect(shownObjectId).toBe(guest?.id)
      const faults = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as {
        injected: { claimsChallenge: number }
      }
      expect(faults.injected.claimsChallenge).toBeGreaterThanOrEqual(1)
      await tab.context().close()
    } finally {
      emulator.context.faults.set({})
    }
  })
})

describe('<ShareWithExternalUser> in a host without MSAL: tokens from a cookie session through getAccessToken', () => {
  /** A fresh profile signed in to the host's cookie session (the session page redirects to the app). */
  async function sessionTab(): Promise<{ tab: Page; requests: string[] }> {
    const context = await browser.newContext()
    const requests: string[] = []
    context.on('request', (request) => requests.push(request.url()))
    const tab = await context.newPage()
    await tab.goto(`${sessionPage.origin}/session/sign-in`)
    await tab.getByLabel('Email address').waitFor()
    return { tab, requests }
  }

  it('shares through the real BFF, and the browser talks only to its host and the BFF', async () => {
    const firstRequest = session.tokenRequests.length
    const { tab, requests } = await sessionTab()
    await share(tab, 'katherine.johnson@fabrikam.example', 'Katherine Johnson')
    await tab.getByRole('heading', { name: 'Invitation sent' }).waitFor({ timeout: 20_000 })
    const [shownId, guestId] = await shownAndDirectoryGuestId(tab, 'katherine.johnson@fabrikam.example')
    expect(shownId).toBe(guestId)
    expect(guestId).toBeTruthy()
    const scope = emulator.settings.bffScope ?? defaultSeedIds.bffScope
    // the configuration's token, then the invitation's
    expect(session.tokenRequests.slice(firstRequest)).toEqual([
      { scope, claims: null },
      { scope, claims: null },
    ])
    expect(new Set(requests.map((url) => new URL(url).origin))).toEqual(
      new Set([sessionPage.origin, new URL(bffUrl).origin]),
    )
    await tab.context().close()
  })

  it('passes a Conditional Access claims challenge to getAccessToken, then the invitation goes through', async () => {
    const { tab } = await sessionTab()
    emulator.context.faults.set({ claimsChallengeUsers: [defaultSeedIds.inviter.upn] })
    try {
      await share(tab, 'dorothy.vaughan@fabrikam.example', 'Dorothy Vaughan')
      await tab.getByRole('heading', { name: 'Invitation sent' }).waitFor({ timeout: 20_000 })
      const [shownId, guestId] = await shownAndDirectoryGuestId(tab, 'dorothy.vaughan@fabrikam.example')
      expect(shownId).toBe(guestId)
      const challenged = session.tokenRequests.filter((request) => request.claims !== null)
      expect(challenged).toHaveLength(1)
      expect(JSON.parse(challenged[0]?.claims ?? '{}')).toMatchObject({
        access_token: { capolids: { essential: true } },
      })
      await tab.context().close()
    } finally {
      emulator.context.faults.set({})
    }
  })
})
