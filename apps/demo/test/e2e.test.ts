import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
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
/** The bulk file's rows after the template's: two partners and an address the BFF refuses. */
const BULK_GUESTS = [
  { email: 'charles.babbage@fabrikam.example', name: 'Charles Babbage' },
  { email: 'mary.somerville@fabrikam.example', name: 'Mary Somerville' },
]
const BULK_INVALID = 'not-an-address'

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

/** Opens the demo in a fresh browser context and signs in as the seeded user whose button matches. */
async function signIn(user: RegExp): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  const page = await context.newPage()
  await page.goto(stack.demoUrl)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize|\/login/)
  await page.getByRole('button', { name: user }).click()
  await page.getByRole('heading', { name: 'Apollo' }).waitFor()
  return page
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

  it('does not offer bulk invitations to an inviter without the admin role', async () => {
    // The note replaces the section once the page has read the roles in Megan's BFF token.
    await page
      .getByText(/Administrators \(the Invitations\.Admin role\) can also invite guests in bulk/)
      .waitFor()
    expect(await page.getByRole('region', { name: 'Invite guests in bulk' }).count()).toBe(0)
    expect(await page.getByLabel('CSV file').count()).toBe(0)
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

  it('lets an administrator invite guests from the CSV template, with progress, counts and refused rows', async () => {
    const admin = await signIn(/Adele Vance/)
    try {
      const section = admin.getByRole('region', { name: 'Invite guests in bulk' })
      await section.waitFor()
      const [download] = await Promise.all([
        admin.waitForEvent('download'),
        section.getByRole('link', { name: 'Download the CSV template' }).click(),
      ])
      const template = await readFile(await download.path(), 'utf8')
      expect(template).toMatch(/^version:v1\.0\r?\n.*\[inviteeEmail\]/)
      const rows = [
        ...BULK_GUESTS.map((guest) => `${guest.email},,false,,${guest.name}`),
        `${BULK_INVALID},,false,,`,
      ]
      await section.getByLabel('CSV file').setInputFiles({
        name: 'partners.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${template}${rows.join('\r\n')}\r\n`),
      })
      await section.getByText('3 rows to invite · 1 with problems').waitFor()
      await section.getByText('The template’s example row will be skipped.').waitFor()
      await section.getByRole('button', { name: 'Start inviting' }).click()

      // The upload's answer shows the running job until the first poll, two seconds later.
      const bulk = section.getByRole('region', { name: 'Invite guests from a file' })
      await section.locator('[data-status="running"]').waitFor()
      const progress = bulk.getByRole('progressbar', { name: 'Invitations' })
      expect(await progress.getAttribute('max')).toBe('3')
      await expect.poll(() => bulk.textContent()).toMatch(/of 3 invited · 1 failed/)
      await shot(admin, '07-bulk-running')

      await bulk.getByRole('heading', { name: 'Invitations finished' }).waitFor({ timeout: 30_000 })
      await shot(admin, '08-bulk-finished')
      expect(await bulk.textContent()).toContain('2 invited · 1 failed.')
      expect(await progress.getAttribute('value')).toBe('3')
      const refused = bulk.getByRole('table', { name: 'Rows refused at upload' })
      expect(await refused.getByRole('row', { name: new RegExp(BULK_INVALID) }).textContent()).toContain(
        'The email address is missing or not valid.',
      )
      await expect
        .poll(() => bulk.getByRole('status').textContent())
        .toBe('Invitations finished: 2 invited, 1 failed.')

      // onCompleted refreshes the people list, where bulk guests are listed like shared ones.
      for (const guest of BULK_GUESTS) {
        await admin.getByRole('row', { name: new RegExp(guest.email) }).waitFor({ timeout: 15_000 })
      }

      const contoso = (await emulatorState()).tenants.find(
        (tenant) => tenant.id === defaultSeedIds.contosoTenantId,
      )
      for (const guest of BULK_GUESTS) {
        expect(contoso?.users.find((user) => user.mail === guest.email)).toMatchObject({ userType: 'Guest' })
      }
      expect(contoso?.users.some((user) => user.mail === BULK_INVALID)).toBe(false)
    } finally {
      await admin.context().close()
    }
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
