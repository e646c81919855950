import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '@entra-share/bff'
import { defaultSeedIds } from '@entra-share/emulator'
import { chromiumLaunchOptions } from '@entra-share/emulator/testing'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevStack, startDevStack } from './dev-stack.js'

/** Screenshots are kept as test artifacts in apps/demo/test-results/. */
const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url))
const ADA = { email: 'ada@fabrikam.example', name: 'Ada Lovelace' }

let stack: DevStack
let browser: Browser

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true })
  stack = await startDevStack()
  browser = await chromium.launch(chromiumLaunchOptions)
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true })
}

interface EmulatorState {
  tenants: {
    id: string
    users: { id: string; mail: string | null; userType: string; externalUserState: string | null }[]
    groups: { id: string; members: string[] }[]
  }[]
}

async function emulatorState(): Promise<EmulatorState> {
  return (await (await fetch(`${stack.emulatorUrl}/_emulator/state`)).json()) as EmulatorState
}

/** Opens the share dialog and waits for the BFF's configuration to offer the demo's group preset. */
async function openShareDialog(page: Page) {
  await page.getByRole('button', { name: 'Share…' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Email address').waitFor()
  await dialog.getByLabel('Access').waitFor()
  expect(await dialog.getByLabel('Access').inputValue()).toBe('apollo')
  return dialog
}

async function share(dialog: Locator, person: { email: string; name: string }) {
  await dialog.getByLabel('Email address').fill(person.email)
  await dialog.getByLabel('Name', { exact: true }).fill(person.name)
  await dialog.getByRole('button', { name: 'Share', exact: true }).click()
}

describe('the demo on `pnpm dev`', () => {
  let page: Page

  it('signs the inviter in on the emulator’s login page', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    page = await context.newPage()
    await page.goto(stack.demoUrl)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/login/)
    await shot(page, '01-emulator-sign-in')
    await page.getByRole('button', { name: /Megan Bowen/ }).click()
    await page.getByRole('heading', { name: 'Apollo' }).waitFor()
    await shot(page, '02-project-page')
  })

  it('invites Ada Lovelace from the share dialog and shows the redeem URL and object id', async () => {
    const dialog = await openShareDialog(page)
    await share(dialog, ADA)
    const redeemUrl = dialog.getByText(/\/redeem\?/)
    await redeemUrl.waitFor({ timeout: 30_000 })
    await shot(page, '03-invited')
    const state = await emulatorState()
    const contoso = state.tenants.find((tenant) => tenant.id === defaultSeedIds.contosoTenantId)
    const guest = contoso?.users.find((user) => user.mail === ADA.email)
    expect(guest).toMatchObject({ userType: 'Guest', externalUserState: 'PendingAcceptance' })
    const text = await dialog.textContent()
    expect(text).toContain(guest?.id)
    const apollo = contoso?.groups.find((group) => group.id === defaultSeedIds.apolloGroupId)
    expect(apollo?.members).toContain(guest?.id)
  })

  it('shows Accepted once the guest opens the redeem URL and accepts', async () => {
    const dialog = page.getByRole('dialog')
    const redeemUrl =
      (
        await dialog
          .getByText(/\/redeem\?/)
          .first()
          .textContent()
      )?.trim() ?? ''
    expect(redeemUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/redeem\?/)
    await page.keyboard.press('Escape')

    const guestContext = await browser.newContext({ ignoreHTTPSErrors: true })
    const guestPage = await guestContext.newPage()
    await guestPage.goto(redeemUrl)
    await shot(guestPage, '04-guest-consent')
    await guestPage.getByRole('button', { name: 'Accept' }).click()
    await guestPage.waitForURL(`${stack.demoUrl}**`)
    await guestContext.close()

    const row = page.getByRole('row', { name: new RegExp(ADA.email) })
    await row.getByText('Accepted').waitFor({ timeout: 20_000 })
    await shot(page, '05-accepted')
  })

  it('tells the inviter when the domain is blocked by the organization', async () => {
    const dialog = await openShareDialog(page)
    await share(dialog, { email: 'mallory@blocked.example', name: 'Mallory' })
    const alert = dialog.locator('[data-code]')
    await alert.waitFor({ timeout: 30_000 })
    await shot(page, '06-blocked-domain')
    expect(await alert.getAttribute('data-code')).toBe('blocked_by_tenant_policy')
    expect(await alert.textContent()).toContain(
      "Your organization's external collaboration settings block this address.",
    )
    // Screen readers hear it through the form's live region.
    await expect
      .poll(() => dialog.getByRole('status').textContent())
      .toContain("Your organization's external collaboration settings block this address.")
  })

  it('stops on Ctrl-C, leaving the guest recorded in the BFF’s database by object id', async () => {
    const state = await emulatorState()
    const guest = state.tenants[0]?.users.find((user) => user.mail === ADA.email)
    expect(await stack.stop()).toBe(0)
    const database = await openDatabase({ dataDir: stack.bffDataDir })
    try {
      const rows = await database.query<{ object_id: string; email: string }>(
        'SELECT object_id, email FROM app_users WHERE object_id = $1',
        [guest?.id],
      )
      expect(rows).toEqual([{ object_id: guest?.id, email: ADA.email }])
    } finally {
      await database.close()
    }
  })
})
