import type { RunningEmulator } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { problemOf } from '../graph/graph-test-support.js'
import { seeded, startTestEmulator } from '../support.js'
import { APP_ORIGIN, RecordingInvitationMailer, type SagaHarness, startSagaHarness } from './saga-harness.js'

const GROUP_REF_ROUTE = 'POST /v1.0/groups/*/members/$ref'

describe('the invite saga against the emulator (real msal-node, Graph SDK, PGlite)', () => {
  let emulator: RunningEmulator
  let harness: SagaHarness

  beforeAll(async () => {
    emulator = await startTestEmulator()
    harness = await startSagaHarness(emulator)
  })
  beforeEach(async () => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
    harness.clockOffsetMs = 0
    harness.sleeps.length = 0
    await harness.database.query('DELETE FROM invitations')
    await harness.database.query('DELETE FROM app_users')
  })
  afterAll(async () => {
    await harness.close()
    await emulator.close()
  })

  const contoso = () => {
    const tenant = emulator.context.directory.tenant(seeded.tenantId)
    if (!tenant) throw new Error('no Contoso tenant')
    return tenant
  }
  const membersOf = (groupId: string) => contoso().groups.get(groupId)?.members ?? new Set<string>()

  it('invites, sets attributes, adds to the preset groups and records the guest by object id', async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const record = await harness.service().invite(megan, {
      email: 'ada@fabrikam.example',
      displayName: 'Ada Lovelace',
      presetId: 'apollo',
      message: 'Welcome to Apollo.\u0007',
      redirectUrl: `${APP_ORIGIN}/projects/apollo`,
      attributes: { givenName: 'Ada', surname: 'Lovelace' },
    })

    expect(record).toMatchObject({
      status: 'completed',
      invitedUserEmailAddress: 'ada@fabrikam.example',
      invitedUserDisplayName: 'Ada Lovelace',
      inviteRedirectUrl: `${APP_ORIGIN}/projects/apollo`,
      externalUserState: 'PendingAcceptance',
      emailSentByMicrosoft: true,
      emailSentByBff: false,
      reinvited: false,
      presetId: 'apollo',
      invitedBy: { tenantId: seeded.tenantId, objectId: seeded.inviter.id, name: 'Megan Bowen' },
      message: 'Welcome to Apollo.',
      attributes: { givenName: 'Ada', surname: 'Lovelace', usageLocation: 'GB' },
      nextRetryAt: null,
    })
    expect(record.steps).toEqual([
      { name: 'invite', status: 'succeeded', attempts: 1 },
      { name: 'updateAttributes', status: 'succeeded', attempts: 1 },
      { name: 'addToGroup', target: seeded.apolloGroupId, status: 'succeeded', attempts: 1 },
      { name: 'addToGroup', target: seeded.portalGroupId, status: 'succeeded', attempts: 1 },
    ])

    // The directory: a guest with the attributes, in both groups, emailed by Microsoft with the clean message.
    const guest = contoso().users.get(record.invitedUserId)
    expect(guest).toMatchObject({
      userType: 'Guest',
      givenName: 'Ada',
      surname: 'Lovelace',
      usageLocation: 'GB',
    })
    expect(membersOf(seeded.apolloGroupId).has(record.invitedUserId)).toBe(true)
    expect(membersOf(seeded.portalGroupId).has(record.invitedUserId)).toBe(true)
    const invitation = emulator.context.directory.invitations.get(record.invitationId ?? '')
    expect(invitation?.inviteRedeemUrl).toBe(record.inviteRedeemUrl)
    expect(invitation?.inviteRedirectUrl).toBe(`${APP_ORIGIN}/projects/apollo`)
    const mail = emulator.context.directory.outbox.find((message) => message.to === 'ada@fabrikam.example')
    expect(JSON.stringify(mail)).toContain('Welcome to Apollo.')

    // The BFF's own tables: the record as returned, the guest keyed by object id.
    expect(await harness.invitations.get(record.id)).toEqual(record)
    expect(await harness.appUsers.get(record.invitedUserId)).toMatchObject({
      objectId: record.invitedUserId,
      email: 'ada@fabrikam.example',
      displayName: 'Ada Lovelace',
      userType: 'Guest',
      externalUserState: 'PendingAcceptance',
      invitedByTenantId: seeded.tenantId,
      invitedByObjectId: seeded.inviter.id,
    })
  })

  it("a member's address → already_member, and nothing is invited or recorded", async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const problem = await problemOf(harness.service().invite(megan, { email: 'ADELE@contoso.example' }))
    expect(problem.code).toBe('already_member')
    expect(problem.extras.existingUserId).toBe(seeded.admin.id)
    expect(emulator.context.directory.invitations.size).toBe(0)
    expect((await harness.invitations.list({ limit: 10 })).items).toEqual([])
  })

  it('an existing guest is invited again: same object id, a new redeem URL, reinvited', async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const service = harness.service()
    const first = await service.invite(megan, { email: seeded.existingGuest.mail })
    const second = await service.invite(megan, { email: seeded.existingGuest.mail })
    for (const record of [first, second]) {
      expect(record).toMatchObject({
        invitedUserId: seeded.existingGuest.id,
        reinvited: true,
        status: 'completed',
      })
    }
    expect(second.inviteRedeemUrl).not.toBe(first.inviteRedeemUrl)
    expect(second.id).not.toBe(first.id)
    // Still one Grace in the directory and in the app's table.
    expect(
      [...contoso().users.values()].filter((user) => user.mail === seeded.existingGuest.mail),
    ).toHaveLength(1)
    expect(await harness.appUsers.get(seeded.existingGuest.id)).toMatchObject({ displayName: 'Grace Hopper' })
  })

  it('absorbs replication delay: the 404s right after creation are retried inside the request', async () => {
    emulator.context.faults.set({ replicationDelayMs: 500 })
    const megan = await harness.caller(seeded.inviter.upn)
    const record = await harness
      .service()
      .invite(megan, { email: 'ada@fabrikam.example', presetId: 'apollo' })

    expect(record.status).toBe('completed')
    expect(emulator.context.faults.injected.replicationDelay).toBeGreaterThan(0)
    expect(harness.sleeps.length).toBeGreaterThan(0)
    const patch = record.steps.find((step) => step.name === 'updateAttributes')
    expect(patch?.attempts).toBeGreaterThan(1)
    expect(membersOf(seeded.apolloGroupId).has(record.invitedUserId)).toBe(true)
    expect(contoso().users.get(record.invitedUserId)?.usageLocation).toBe('GB')
  })

  it('a group add that keeps failing leaves a partial invitation; the retrier completes it later', async () => {
    // Every try of the first group add, the SDK's retries included, answers 503.
    emulator.context.faults.set({ unavailable: [{ route: GROUP_REF_ROUTE, next: 3, retryAfterSeconds: 0 }] })
    const megan = await harness.caller(seeded.inviter.upn)
    const service = harness.service()
    const record = await service.invite(megan, { email: 'ada@fabrikam.example', presetId: 'apollo' })

    expect(record.status).toBe('partial')
    expect(record.inviteRedeemUrl).toMatch(/redeem/)
    expect(record.steps).toEqual([
      { name: 'invite', status: 'succeeded', attempts: 1 },
      { name: 'updateAttributes', status: 'succeeded', attempts: 1 },
      {
        name: 'addToGroup',
        target: seeded.apolloGroupId,
        status: 'pending',
        attempts: 1,
        code: 'upstream_unavailable',
        detail: 'Microsoft Graph is unavailable; try again later.',
      },
      { name: 'addToGroup', target: seeded.portalGroupId, status: 'succeeded', attempts: 1 },
    ])
    expect(membersOf(seeded.apolloGroupId).has(record.invitedUserId)).toBe(false)
    const stored = await harness.invitations.get(record.id)
    expect(stored).toMatchObject({ status: 'partial', retryAttempts: 0 })
    const dueAt = Date.parse(stored?.nextRetryAt ?? '')
    expect(dueAt).toBeGreaterThan(Date.now())

    // Not due yet: nothing is claimed.
    expect(await service.retryDueFollowUps()).toEqual({ claimed: 0, completed: 0, stillPending: 0 })

    harness.clockOffsetMs = dueAt - Date.now() + 1000
    const appTokens = vi.spyOn(harness.tokens, 'appToken')
    const delegatedTokens = vi.spyOn(harness.tokens, 'graphToken')
    expect(await service.retryDueFollowUps()).toEqual({ claimed: 1, completed: 1, stillPending: 0 })
    // Follow-ups run under the app's own identity, in the retrier as in the request (no caller present).
    expect(appTokens).toHaveBeenCalledWith(seeded.tenantId, 'followUp')
    expect(delegatedTokens).not.toHaveBeenCalled()
    appTokens.mockRestore()
    delegatedTokens.mockRestore()
    expect(membersOf(seeded.apolloGroupId).has(record.invitedUserId)).toBe(true)
    expect(await harness.invitations.get(record.id)).toMatchObject({
      status: 'completed',
      nextRetryAt: null,
      retryAttempts: 1,
      steps: expect.arrayContaining([
        { name: 'addToGroup', target: seeded.apolloGroupId, status: 'succeeded', attempts: 2 },
      ]),
    })
  })

  it('never drops a pending step: a retry that fails again backs off and keeps it', async () => {
    emulator.context.faults.set({
      unavailable: [{ route: GROUP_REF_ROUTE, percent: 100, retryAfterSeconds: 0 }],
    })
    const megan = await harness.caller(seeded.inviter.upn)
    const service = harness.service({ timing: { retryBaseSeconds: 30 } })
    const record = await service.invite(megan, { email: 'ada@fabrikam.example', presetId: 'apollo' })
    expect(record.steps.filter((step) => step.status === 'pending')).toHaveLength(2)

    harness.clockOffsetMs = 60_000
    expect(await service.retryDueFollowUps()).toEqual({ claimed: 1, completed: 0, stillPending: 1 })
    const once = await harness.invitations.get(record.id)
    expect(once).toMatchObject({ status: 'partial', retryAttempts: 1 })
    expect(once?.steps.filter((step) => step.status === 'pending').map((step) => step.attempts)).toEqual([
      2, 2,
    ])
    // Backoff doubles: 30 s after the first failure, 60 s after the first retry.
    const wait = Date.parse(once?.nextRetryAt ?? '') - (Date.now() + harness.clockOffsetMs)
    expect(wait).toBeGreaterThan(55_000)
    expect(wait).toBeLessThanOrEqual(60_000)

    emulator.context.faults.reset()
    harness.clockOffsetMs += 61_000
    expect(await service.retryDueFollowUps()).toEqual({ claimed: 1, completed: 1, stillPending: 0 })
  })

  it('email mode smtp: Microsoft stays silent and the BFF mails the redeem URL itself', async () => {
    const mailer = new RecordingInvitationMailer()
    const service = harness.service({ config: { emailMode: 'smtp' }, mailer })
    const megan = await harness.caller(seeded.inviter.upn)
    const record = await service.invite(
      megan,
      { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace', message: 'See you at the kick-off.' },
      { locale: ['fr-CA', 'en'] },
    )
    expect(record).toMatchObject({ emailSentByMicrosoft: false, emailSentByBff: true, status: 'completed' })
    expect(emulator.context.directory.outbox).toEqual([])
    expect(mailer.sent).toEqual([
      {
        to: 'ada@fabrikam.example',
        guestDisplayName: 'Ada Lovelace',
        inviterName: 'Megan Bowen',
        inviterEmail: seeded.inviter.upn,
        inviteRedeemUrl: record.inviteRedeemUrl,
        message: 'See you at the kick-off.',
        // The request's Accept-Language tags, and the app's URL (the invitation's redirect URL).
        locale: ['fr-CA', 'en'],
        appUrl: record.inviteRedirectUrl,
      },
    ])

    // sendEmail: false → no mail at all; a failing mailer is recorded, not thrown.
    const quiet = await service.invite(megan, { email: 'bob@fabrikam.example', sendEmail: false })
    expect(quiet.emailSentByBff).toBe(false)
    mailer.failWith = new Error('SMTP 451 try again later')
    const unsent = await service.invite(megan, { email: 'cy@fabrikam.example' })
    expect(unsent).toMatchObject({ emailSentByBff: false, status: 'completed' })
    expect(mailer.sent).toHaveLength(1)
    expect((await harness.invitations.get(unsent.id))?.emailSentByBff).toBe(false)
  })

  it('email mode microsoft with sendEmail: false asks Microsoft not to send', async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const record = await harness.service().invite(megan, { email: 'ada@fabrikam.example', sendEmail: false })
    expect(record.emailSentByMicrosoft).toBe(false)
    expect(emulator.context.directory.outbox).toEqual([])
  })

  it('refuses before calling Graph when local policy says no', async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const service = harness.service()
    expect((await problemOf(service.invite(megan, { email: 'x@competitor.example' }))).code).toBe(
      'domain_not_allowed',
    )
    expect(
      (
        await problemOf(
          service.invite(megan, { email: 'x@fabrikam.example', redirectUrl: 'https://evil.example/' }),
        )
      ).code,
    ).toBe('redirect_url_not_allowed')
    expect(
      (await problemOf(service.invite(megan, { email: 'x@fabrikam.example', presetId: 'nope' }))).code,
    ).toBe('preset_not_allowed')
    expect(emulator.context.directory.invitations.size).toBe(0)
  })

  it('get: own or admin only; refresh reads externalUserState from Graph into the invitation and the app user', async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const nestor = await harness.caller('nestor@contoso.example')
    const adele = await harness.caller(seeded.admin.upn)
    const service = harness.service()
    const record = await service.invite(megan, { email: 'ada@fabrikam.example' })

    expect((await problemOf(service.get(nestor, record.id))).code).toBe('not_found')
    expect((await problemOf(service.get(megan, 'no-such-id'))).code).toBe('not_found')
    expect((await service.get(adele, record.id)).id).toBe(record.id)

    const guest = contoso().users.get(record.invitedUserId)
    if (!guest) throw new Error('no guest')
    guest.externalUserState = 'Accepted'
    expect((await service.get(megan, record.id)).externalUserState).toBe('PendingAcceptance')
    const refreshed = await service.get(megan, record.id, { refresh: true })
    expect(refreshed.externalUserState).toBe('Accepted')
    expect((await harness.invitations.get(record.id))?.externalUserState).toBe('Accepted')
    expect((await harness.appUsers.get(record.invitedUserId))?.externalUserState).toBe('Accepted')
  })

  it("get with refresh also finishes a partial invitation's pending steps with the caller's token", async () => {
    emulator.context.faults.set({ unavailable: [{ route: GROUP_REF_ROUTE, next: 3, retryAfterSeconds: 0 }] })
    const megan = await harness.caller(seeded.inviter.upn)
    const service = harness.service()
    const record = await service.invite(megan, { email: 'ada@fabrikam.example', presetId: 'apollo' })
    expect(record.status).toBe('partial')
    const refreshed = await service.get(megan, record.id, { refresh: true })
    expect(refreshed).toMatchObject({ status: 'completed', nextRetryAt: null })
    expect(membersOf(seeded.apolloGroupId).has(record.invitedUserId)).toBe(true)
  })

  it('resend: same guest, a new redeem URL, saved', async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const service = harness.service()
    const record = await service.invite(megan, { email: 'ada@fabrikam.example' })
    const resent = await service.resend(megan, record.id)
    expect(resent).toMatchObject({ id: record.id, invitedUserId: record.invitedUserId, reinvited: true })
    expect(resent.inviteRedeemUrl).not.toBe(record.inviteRedeemUrl)
    expect(resent.invitationId).not.toBe(record.invitationId)
    expect(resent.steps[0]).toEqual({ name: 'invite', status: 'succeeded', attempts: 2 })
    expect(await harness.invitations.get(record.id)).toMatchObject({
      inviteRedeemUrl: resent.inviteRedeemUrl,
    })
    expect(
      emulator.context.directory.outbox.filter((mail) => mail.to === 'ada@fabrikam.example'),
    ).toHaveLength(2)
  })

  it("list: the caller's own; all only for admins", async () => {
    const megan = await harness.caller(seeded.inviter.upn)
    const adele = await harness.caller(seeded.admin.upn)
    const service = harness.service()
    const mine = await service.invite(megan, { email: 'ada@fabrikam.example' })
    const hers = await service.invite(adele, { email: 'bob@fabrikam.example' })

    expect((await service.list(megan)).items.map((item) => item.id)).toEqual([mine.id])
    expect((await problemOf(service.list(megan, { scope: 'all' }))).code).toBe('forbidden')
    expect((await service.list(adele, { scope: 'all' })).items.map((item) => item.id)).toEqual([
      hers.id,
      mine.id,
    ])

    const firstPage = await service.list(adele, { scope: 'all', limit: 1 })
    expect(firstPage.items.map((item) => item.id)).toEqual([hers.id])
    const secondPage = await service.list(adele, {
      scope: 'all',
      limit: 1,
      cursor: firstPage.nextCursor as string,
    })
    expect(secondPage.items.map((item) => item.id)).toEqual([mine.id])
    expect(secondPage.nextCursor).toBeUndefined()
  })
})
