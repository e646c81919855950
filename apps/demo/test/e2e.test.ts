import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
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
/** Shared in the project members tests: an address nobody else invites. */
const GRACE = { email: 'grace.hopper@fabrikam.example', name: 'Grace Hopper' }
/** Shared with the approval preset: invited only once an approver approves. */
const KATHERINE = { email: 'katherine.johnson@fabrikam.example', name: 'Katherine Johnson' }
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

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

/** The project's people list, read from the BFF (the project members table lists the same guests). */
function externalPeople(page: Page): Locator {
  return page.getByRole('region', { name: 'External people' })
}

/** The demo's own table, filled by its dev server from the BFF's signed webhook. */
function projectMembers(page: Page): Locator {
  return page.getByRole('region', { name: 'Project members' }).getByRole('table')
}

/** A value of the share dialog's success view, by its label (`Object id`, `Invitation link`). */
async function successDetail(dialog: Locator, label: string): Promise<string> {
  const value = dialog.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]/code')
  return ((await value.textContent()) ?? '').trim()
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

    const row = externalPeople(page).getByRole('row', { name: new RegExp(ADA.email) })
    await row.getByText('Accepted').waitFor({ timeout: 20_000 })
    await shot(page, '05-accepted')

    // The demo's own table heard it from the BFF's webhook: Ada's row, by her object id, says Accepted.
    const ada = (await emulatorState()).tenants[0]?.users.find((user) => user.mail === ADA.email)
    const member = projectMembers(page).getByRole('row', { name: new RegExp(ada?.id ?? 'no guest') })
    await member.getByText('Accepted', { exact: true }).waitFor({ timeout: 20_000 })
    expect(await member.getByRole('cell').allTextContents()).toEqual([ADA.email, ada?.id, 'Accepted'])
  })

  describe('the project members table, filled by the BFF’s webhook', () => {
    let megan: Page
    let objectId: string
    let redeemUrl: string

    afterAll(async () => {
      await megan?.context().close()
    })

    it('lists a newly shared guest by the object id the success view shows, as Invited', async () => {
      megan = await signIn(/Megan Bowen/)
      const dialog = await openShareDialog(megan)
      await share(dialog, GRACE)
      await dialog.getByText(/\/redeem\?/).waitFor({ timeout: 30_000 })
      objectId = await successDetail(dialog, 'Object id')
      redeemUrl = await successDetail(dialog, 'Invitation link')
      expect(objectId).toMatch(GUID)
      expect(redeemUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/redeem\?/)
      // The object id is the guest's in the directory.
      const contoso = (await emulatorState()).tenants.find(
        (tenant) => tenant.id === defaultSeedIds.contosoTenantId,
      )
      expect(contoso?.users.find((user) => user.mail === GRACE.email)?.id).toBe(objectId)
      await megan.keyboard.press('Escape')

      const row = projectMembers(megan).getByRole('row', { name: new RegExp(objectId) })
      await row.waitFor({ timeout: 20_000 })
      await shot(megan, '09-project-members-invited')
      expect(await row.getByRole('rowheader').textContent()).toBe(GRACE.name)
      expect(await row.getByRole('cell').allTextContents()).toEqual([GRACE.email, objectId, 'Invited'])
      // The polite live region says what arrived.
      await expect
        .poll(() => megan.getByRole('region', { name: 'Project members' }).getByRole('status').textContent())
        .toContain(`${GRACE.name} was added to the project members (Invited).`)
    })

    it('refuses a webhook the BFF did not sign, adding no member', async () => {
      const forgedId = '00000000-0000-4000-8000-00000000f0f0'
      const body = JSON.stringify({
        id: forgedId,
        type: 'guest.accepted',
        timestamp: new Date().toISOString(),
        data: { invitation: { invitedUserId: forgedId, invitedUserEmailAddress: 'mallory@evil.example' } },
      })
      const timestamp = String(Math.floor(Date.now() / 1000))
      const answer = await fetch(new URL('/api/entra-share-events', stack.demoUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': forgedId,
          'webhook-timestamp': timestamp,
          'webhook-signature': `v1,${Buffer.from('not the signature').toString('base64')}`,
        },
        body,
      })
      expect(answer.status).toBe(401)
      const members = (await (await fetch(new URL('/api/project-members', stack.demoUrl))).json()) as {
        receiving: boolean
        members: { objectId: string }[]
      }
      expect(members.receiving).toBe(true)
      expect(members.members.map((member) => member.objectId)).toContain(objectId)
      expect(members.members.map((member) => member.objectId)).not.toContain(forgedId)
    })

    it('says Accepted once the guest redeems', async () => {
      const guestContext = await browser.newContext({ ignoreHTTPSErrors: true })
      try {
        const guestPage = await guestContext.newPage()
        await guestPage.goto(redeemUrl)
        await guestPage.getByRole('button', { name: 'Accept' }).click()
        await guestPage.waitForURL(`${stack.demoUrl}**`)
      } finally {
        await guestContext.close()
      }
      // The page's read of the pending invitation refreshes it from Graph; the BFF saves it Accepted, which
      // writes guest.accepted; its webhook reaches the demo's server, and the table shows it.
      const row = projectMembers(megan).getByRole('row', { name: new RegExp(objectId) })
      await row.getByText('Accepted', { exact: true }).waitFor({ timeout: 30_000 })
      await shot(megan, '10-project-members-accepted')
      expect(await row.getByRole('cell').allTextContents()).toEqual([GRACE.email, objectId, 'Accepted'])
    })
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
      // the BFF's sentence says what is wrong and where: the column, the row and the value
      expect(await refused.getByRole('row', { name: new RegExp(BULK_INVALID) }).textContent()).toMatch(
        new RegExp(`is not a valid email address \\(row \\d+: '${BULK_INVALID}'\\)\\.$`),
      )
      await expect
        .poll(() => bulk.getByRole('status').textContent())
        .toBe('Invitations finished: 2 invited, 1 failed.')

      // onCompleted refreshes the people list, where bulk guests are listed like shared ones.
      for (const guest of BULK_GUESTS) {
        await externalPeople(admin)
          .getByRole('row', { name: new RegExp(guest.email) })
          .waitFor({ timeout: 15_000 })
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

  it('holds a share with the approval preset until an approver approves it on the approvals page (issue 13)', async () => {
    const megan = await signIn(/Megan Bowen/)
    const adele = await signIn(/Adele Vance/)
    try {
      const dialog = await openShareDialog(megan)
      await dialog.getByLabel('Access').selectOption('apollo-approved')
      await dialog
        .getByText('An approver decides before the invitation is sent. Access ends after 90 days.')
        .waitFor()
      await dialog.getByLabel('Reason for access').fill('Reviews the Apollo supplier contracts.')
      await share(dialog, KATHERINE)
      await dialog.getByRole('heading', { name: 'Waiting for approval' }).waitFor({ timeout: 30_000 })
      await shot(megan, '11-waiting-for-approval')
      expect(await dialog.textContent()).toContain('Invitation administrators')
      // Nothing reached Graph: no guest yet.
      const before = await emulatorState()
      expect(
        before.tenants.some((tenant) => tenant.users.some((user) => user.mail === KATHERINE.email)),
      ).toBe(false)
      await megan.keyboard.press('Escape')

      // Adele holds Invitations.Admin, the preset's approver role: the request waits in her queue.
      await adele.getByRole('link', { name: 'Guests and approvals' }).click()
      const queue = adele.getByRole('region', { name: 'Requests waiting for your approval' })
      const request = queue.getByRole('row', { name: new RegExp(KATHERINE.email) })
      await request.waitFor({ timeout: 20_000 })
      expect(await request.textContent()).toContain('Reason: Reviews the Apollo supplier contracts.')
      await request
        .getByRole('textbox', { name: `Comment on the request for ${KATHERINE.email}` })
        .fill('For the contract review.')
      await request.getByRole('button', { name: `Approve ${KATHERINE.email}` }).click()
      await request.getByText('Invited', { exact: true }).waitFor({ timeout: 30_000 })
      await expect
        .poll(() => queue.getByRole('status').textContent())
        .toBe(`Approved: ${KATHERINE.email} is invited.`)
      await shot(adele, '12-approved')
      const contoso = (await emulatorState()).tenants.find(
        (tenant) => tenant.id === defaultSeedIds.contosoTenantId,
      )
      expect(contoso?.users.find((user) => user.mail === KATHERINE.email)).toMatchObject({
        userType: 'Guest',
      })

      // Megan, the sponsor, sees her guest invited, with the preset's 90 days.
      await megan.getByRole('link', { name: 'Guests and approvals' }).click()
      const guest = megan
        .getByRole('region', { name: 'Your guests' })
        .getByRole('row', { name: new RegExp(KATHERINE.email) })
      await guest.getByText('Invited', { exact: true }).waitFor({ timeout: 20_000 })
      expect(await guest.textContent()).toMatch(/Access ends on /)
    } finally {
      await megan.context().close()
      await adele.context().close()
    }
  })

  it('stops on Ctrl-C, leaving the guest recorded in the BFF’s database and the project members file by object id', async () => {
    const state = await emulatorState()
    const guest = state.tenants[0]?.users.find((user) => user.mail === ADA.email)
    expect(await stack.stop()).toBe(0)
    const table = JSON.parse(await readFile(join(stack.demoDataDir, 'project-members.json'), 'utf8')) as {
      members: Record<string, { email: string; status: string }>
    }
    expect(table.members[guest?.id ?? '']).toMatchObject({ email: ADA.email, status: 'Accepted' })
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
