import { randomUUID } from 'node:crypto'
import type { CreatedInvitation, GuestEvent, Invitation, InvitationPage } from '@entra-share/contracts'
import { type RunningEmulator, servicePrincipalId } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { GroupPreset } from '../../src/config.js'
import { decodedHeader, mimeParts, type SmtpSink, startSmtpSink } from '../email/smtp-sink.js'
import { seeded, startTestEmulator } from '../support.js'
import { type Harness, startHarness } from './harness.js'

const LICENSE_ADMINISTRATOR = '4d6ac14f-3453-41d0-bef9-a3e0c569773a'
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1'
const DAY_MS = 86_400_000
const APP_URL = 'https://app.contoso.example/guests'

/** Apollo with a Dynamics 365 licence, reviewed every 30 days; nobody answering within 7 days removes the guest. */
const licensed: GroupPreset = {
  id: 'licensed',
  label: 'Apollo, licensed, reviewed',
  groupIds: [seeded.apolloGroupId],
  attributes: { usageLocation: 'GB' },
  licenses: [{ skuPartNumber: seeded.teamMembersSku.skuPartNumber }],
  review: { everyDays: 30, deadlineDays: 7, default: 'remove' },
}

/** The portal for 60 days, reviewed every 20 (5 days to answer, kept without an answer), reminded 7 days before. */
const portal: GroupPreset = {
  id: 'portal',
  label: 'Portal, reviewed',
  groupIds: [seeded.portalGroupId],
  accessDays: 60,
  remindDaysBefore: 7,
  review: { everyDays: 20, deadlineDays: 5, default: 'keep' },
}

/** "Apollo approvers" holds the Apollo group, of which Megan is a member: she approves through a nested group. */
const APPROVERS_GROUP_ID = randomUUID()
const nested: GroupPreset = {
  id: 'nested',
  label: 'Portal, approved by Apollo approvers',
  groupIds: [seeded.portalGroupId],
  approval: { approvers: [APPROVERS_GROUP_ID] },
}

/**
 * Issue 13, what was left: periodic reviews per preset (keep, remove, the deadline's default), the listings of
 * requests to approve and reviews to answer, approvers in nested groups, governance emails, licences removed with the
 * rest. The real msal-node and Graph SDK against the emulator; time is the harness's clock, moved by days.
 */
describe('governance: reviews, listings, nested approvers, emails, licence removal (issue 13)', () => {
  let emulator: RunningEmulator
  let harness: Harness
  let sink: SmtpSink
  let shiftMs = 0
  const clock = () => new Date(Date.now() + shiftMs)
  const tenant = () => {
    const found = emulator.context.directory.tenant(seeded.tenantId)
    if (!found) throw new Error('no Contoso tenant')
    return found
  }
  const address = () => `rev-${randomUUID().slice(0, 8)}@fabrikam.example`
  const call = async (upn: string, method: 'POST' | 'GET', url: string, payload?: object) =>
    harness.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await harness.tokenFor(upn)}` },
      ...(payload ? { payload } : {}),
    })
  const read = async (id: string) =>
    (await harness.get(seeded.inviter.upn, `/api/invitations/${id}`)).json() as Invitation
  const eventsOf = (id: string) =>
    harness.app.entraShare.database.query<Pick<GuestEvent, 'type' | 'data'> & { actor: { kind: string } }>(
      'SELECT type, actor, data FROM events WHERE invitation_id = $1 ORDER BY seq',
      [id],
    )
  const typesOf = async (id: string) => (await eventsOf(id)).map((event) => event.type)
  /** The emails the sink got for `to` whose subject names `guest`. */
  const mailsTo = (to: string, guest: string) =>
    sink.messages
      .filter((message) => message.to.includes(to))
      .map((message) => ({
        subject: decodedHeader(message.raw, 'subject') ?? '',
        text: mimeParts(message.raw).find((part) => part.contentType === 'text/plain')?.body ?? '',
      }))
      .filter((mail) => mail.subject.includes(guest))
  const run = (days: number, minutes = 1) => {
    shiftMs = days * DAY_MS + minutes * 60_000
    return harness.app.entraShare.governance.run()
  }
  const invite = async (presetId: string, email = address()) => {
    const created = await harness.invite(seeded.inviter.upn, { email, presetId })
    expect(created.statusCode, created.body).toBe(201)
    return created.json() as CreatedInvitation
  }
  const list = async (upn: string, query: string) => {
    const response = await harness.get(upn, `/api/invitations?${query}`)
    expect(response.statusCode, response.body).toBe(200)
    return response.json() as InvitationPage
  }

  beforeAll(async () => {
    emulator = await startTestEmulator()
    sink = await startSmtpSink()
    const bff = servicePrincipalId(seeded.tenantId, seeded.bffClientId)
    // As an administrator would: licences tenant-wide, attributes over the guests' administrative unit.
    tenant().roleAssignments.push(
      { id: randomUUID(), principalId: bff, roleDefinitionId: LICENSE_ADMINISTRATOR, directoryScopeId: '/' },
      {
        id: randomUUID(),
        principalId: bff,
        roleDefinitionId: USER_ADMINISTRATOR,
        directoryScopeId: `/administrativeUnits/${seeded.guestsUnitId}`,
      },
    )
    tenant().groups.set(APPROVERS_GROUP_ID, {
      id: APPROVERS_GROUP_ID,
      tenantId: seeded.tenantId,
      displayName: 'Apollo approvers',
      description: null,
      mailNickname: 'apollo-approvers',
      securityEnabled: true,
      members: new Set([seeded.apolloGroupId]),
      owners: new Set(),
    })
    harness = await startHarness({
      emulator,
      config: {
        presets: [licensed, portal, nested],
        emailMode: 'smtp',
        smtp: {
          url: sink.url,
          from: 'Contoso <guests@contoso.example>',
          branding: { appName: 'Contoso Projects', appUrl: APP_URL },
        },
      },
      app: { clock },
    })
  })
  beforeEach(() => {
    shiftMs = 0
  })
  afterAll(async () => {
    await harness.close()
    await sink.close()
    await emulator.close()
  })

  it('a review is requested and emailed; keep schedules the next; unanswered, the default removes the guest and the licence', async () => {
    const config = (await harness.get(seeded.inviter.upn, '/api/config')).json()
    expect(config.presets.find((preset: { id: string }) => preset.id === 'licensed')).toMatchObject({
      reviewEveryDays: 30,
    })
    const email = address()
    const invitation = await invite('licensed', email)
    const guestId = invitation.invitedUserId
    const guest = () => tenant().users.get(guestId)
    expect(guest()?.assignedLicenses.map((license) => license.skuId)).toEqual([seeded.teamMembersSku.skuId])

    // 30 days on, the review starts: the sponsor is asked, by the event and by an email.
    expect((await run(29)).reviewsStarted).toBe(0)
    await run(30)
    const asked = await read(invitation.id)
    expect(asked.review).toMatchObject({ decision: null, defaulted: false, decidedBy: null })
    expect(Date.parse(asked.review?.deadlineAt ?? '')).toBe(
      Date.parse(asked.review?.startedAt ?? '') + 7 * DAY_MS,
    )
    expect((await typesOf(invitation.id)).at(-1)).toBe('invitation.review_requested')
    const [mail, ...more] = mailsTo(seeded.inviter.upn, email)
    expect(more).toEqual([])
    expect(mail?.subject).toBe(`Review the guest access of ${email}`)
    expect(mail?.text).toContain('Without an answer, the access is removed.')
    expect(mail?.text).toContain(APP_URL)

    // Listed for its sponsor and for administrators; another user neither sees nor answers it.
    expect((await list(seeded.inviter.upn, 'scope=reviews')).items.map((item) => item.id)).toContain(
      invitation.id,
    )
    expect((await list(seeded.admin.upn, 'scope=reviews')).items.map((item) => item.id)).toContain(
      invitation.id,
    )
    expect((await list(seeded.nonInviter.upn, 'scope=reviews')).items).toEqual([])
    const url = `/api/invitations/${invitation.id}/review`
    expect((await call(seeded.nonInviter.upn, 'POST', url, { decision: 'remove' })).statusCode).toBe(404)

    const kept = await call(seeded.inviter.upn, 'POST', url, {
      decision: 'keep',
      comment: 'Still on Apollo.',
    })
    expect(kept.statusCode, kept.body).toBe(200)
    expect(kept.json().review).toMatchObject({
      decision: 'keep',
      defaulted: false,
      decidedBy: { objectId: seeded.inviter.id },
      comment: 'Still on Apollo.',
    })
    const { decidedAt, nextReviewAt } = kept.json().review
    expect(Date.parse(nextReviewAt)).toBe(Date.parse(decidedAt) + 30 * DAY_MS)
    const again = await call(seeded.inviter.upn, 'POST', url, { decision: 'remove' })
    expect([again.statusCode, again.json().code]).toEqual([409, 'approval_already_decided'])
    expect((await list(seeded.inviter.upn, 'scope=reviews')).items.map((item) => item.id)).not.toContain(
      invitation.id,
    )

    // The next review, 30 days after the keep; nobody answers within 7 days: the preset's default removes.
    await run(60, 2)
    await run(67, 3)
    const removed = await read(invitation.id)
    expect(removed).toMatchObject({
      status: 'removed',
      review: { decision: 'remove', defaulted: true, decidedBy: null, nextReviewAt: null },
      removal: {
        reason: 'reviewed',
        requestedBy: null,
        steps: [
          { name: 'removeFromGroup', status: 'succeeded' },
          { name: 'removeLicense', target: seeded.teamMembersSku.skuId, status: 'succeeded' },
        ],
      },
    })
    expect(tenant().groups.get(seeded.apolloGroupId)?.members.has(guestId)).toBe(false)
    expect(guest()?.assignedLicenses).toEqual([])
    expect(await eventsOf(invitation.id)).toMatchObject([
      { type: 'invitation.created' },
      { type: 'invitation.completed' },
      { type: 'invitation.review_requested', actor: { kind: 'system' } },
      { type: 'invitation.reviewed', actor: { kind: 'sponsor', objectId: seeded.inviter.id } },
      { type: 'invitation.review_requested' },
      { type: 'invitation.reviewed', actor: { kind: 'system' } },
      { type: 'invitation.removed', actor: { kind: 'system' } },
    ])
  })

  it('the sponsor removes in a review at once; a default keep schedules the next; the sponsor is emailed before an expiry', async () => {
    const removedEmail = address()
    const keptEmail = address()
    const toRemove = await invite('portal', removedEmail)
    const toKeep = await invite('portal', keptEmail)

    await run(20)
    await run(25, 2)
    const defaulted = await read(toKeep.id)
    expect(defaulted.review).toMatchObject({ decision: 'keep', defaulted: true, decidedBy: null })
    expect(Date.parse(defaulted.review?.nextReviewAt ?? '')).toBe(
      Date.parse(defaulted.review?.decidedAt ?? '') + 20 * DAY_MS,
    )

    await run(45, 3)
    const removal = await call(seeded.inviter.upn, 'POST', `/api/invitations/${toRemove.id}/review`, {
      decision: 'remove',
      comment: 'The project ended.',
    })
    expect(removal.statusCode, removal.body).toBe(200)
    expect(removal.json()).toMatchObject({
      status: 'removed',
      review: { decision: 'remove', decidedBy: { objectId: seeded.inviter.id }, nextReviewAt: null },
      removal: { reason: 'reviewed', requestedBy: { objectId: seeded.inviter.id } },
    })
    expect(tenant().groups.get(seeded.portalGroupId)?.members.has(toRemove.invitedUserId)).toBe(false)
    expect((await typesOf(toRemove.id)).slice(-2)).toEqual(['invitation.reviewed', 'invitation.removed'])
    const late = await call(seeded.inviter.upn, 'POST', `/api/invitations/${toRemove.id}/review`, {
      decision: 'keep',
    })
    expect([late.statusCode, late.json().code]).toEqual([409, 'invitation_not_active'])

    // A week before its 60 days end, the kept guest's sponsor is reminded by email too.
    await run(53, 4)
    expect(mailsTo(seeded.inviter.upn, keptEmail).map((mail) => mail.subject)).toEqual([
      `Review the guest access of ${keptEmail}`,
      `Review the guest access of ${keptEmail}`,
      expect.stringMatching(new RegExp(`^The guest access of ${keptEmail} ends on `)),
    ])
    expect(mailsTo(seeded.inviter.upn, removedEmail)).toHaveLength(2)
  })

  it('approvers in a nested group are emailed, list the requests they may decide (paged) and decide them', async () => {
    const firstEmail = address()
    const requests: Invitation[] = []
    for (const email of [firstEmail, address()]) {
      const asked = await harness.invite(seeded.admin.upn, { email, presetId: 'nested' })
      expect(asked.statusCode, asked.body).toBe(202)
      requests.push(asked.json() as Invitation)
    }
    // Megan is in Apollo, which is in "Apollo approvers": she is emailed, Adele (the requester) is not.
    const [mail] = mailsTo(seeded.inviter.upn, firstEmail)
    expect(mail?.subject).toBe(`Adele Vance asks to invite ${firstEmail}`)
    expect(mailsTo(seeded.admin.upn, firstEmail)).toEqual([])

    const first = await list(seeded.inviter.upn, 'scope=approvals&limit=1')
    const second = await list(
      seeded.inviter.upn,
      `scope=approvals&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    )
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual(
      [...requests].reverse().map((request) => request.id),
    )
    expect(second.nextCursor).toBeUndefined()
    // Lee is in no approver group; Adele asked herself.
    expect((await list(seeded.nonInviter.upn, 'scope=approvals')).items).toEqual([])
    expect((await list(seeded.admin.upn, 'scope=approvals')).items).toEqual([])
    const foreign = await harness.get(
      seeded.nonInviter.upn,
      `/api/invitations?scope=mine&cursor=${first.nextCursor}`,
    )
    expect(foreign.json()).toMatchObject({ code: 'invalid_request' })

    const byLee = await call(seeded.nonInviter.upn, 'POST', `/api/invitations/${requests[0]?.id}/approve`)
    expect(byLee.statusCode).toBe(403)
    const byMegan = await call(seeded.inviter.upn, 'POST', `/api/invitations/${requests[0]?.id}/approve`)
    expect(byMegan.statusCode, byMegan.body).toBe(200)
    expect(byMegan.json()).toMatchObject({ status: 'completed', invitedBy: { objectId: seeded.admin.id } })
    expect((await list(seeded.inviter.upn, 'scope=approvals')).items.map((item) => item.id)).toEqual([
      requests[1]?.id,
    ])
  })
})
