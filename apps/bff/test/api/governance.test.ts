import { randomUUID } from 'node:crypto'
import type { CreatedInvitation, GuestEvent, Invitation } from '@entra-share/contracts'
import { type RunningEmulator, servicePrincipalId } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { GroupPreset } from '../../src/config.js'
import { seeded, startTestEmulator } from '../support.js'
import { type Harness, startHarness } from './harness.js'

const CLOUD_APPLICATION_ADMINISTRATOR = '158c047a-c907-4556-b7ef-446551a6b5f7'
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1'
const DAY_MS = 86_400_000

/** Access to Project Apollo and the Contoso Projects app, for 30 days, once an invitation administrator approves. */
const reviewed: GroupPreset = {
  id: 'reviewed',
  label: 'Reviewed partners',
  groupIds: [seeded.apolloGroupId],
  appRoles: [{ resourceAppId: seeded.projects.clientId, value: 'Project.Contributor' }],
  approval: {
    approvers: ['Invitations.Admin'],
    approversLabel: 'Invitation administrators',
    reasonRequired: true,
  },
  accessDays: 30,
  remindDaysBefore: 7,
}

/** The partner portal, approved by a member of the Apollo group (Megan). */
const groupApproved: GroupPreset = {
  id: 'group-approved',
  label: 'Portal, approved by Apollo',
  groupIds: [seeded.portalGroupId],
  approval: { approvers: [seeded.apolloGroupId] },
}

/** The partner portal for 30 days, no approval; a guest whose access ends is blocked from signing in. */
const revocable: GroupPreset = {
  id: 'revocable',
  label: 'Portal, 30 days',
  groupIds: [seeded.portalGroupId],
  accessDays: 30,
  onExpiry: 'block',
}

/** The Contoso Projects app role, no approval, no expiry. */
const projects: GroupPreset = {
  id: 'projects',
  label: 'Contoso Projects',
  groupIds: [],
  appRoles: [{ resourceAppId: seeded.projects.clientId, value: 'Project.Contributor' }],
}

/**
 * Issue 13 (BFF part), with the real msal-node and Graph SDK against the emulator's permission rules. As an
 * administrator would, the BFF's service principal is given Cloud Application Administrator (grant and take back app
 * roles with nobody signed in) and User Administrator over the guests' administrative unit (block guests); it owns
 * the preset groups. Time is the harness's clock, moved by days instead of waited for.
 */
describe('governance: approvals, expiry and removal (issue 13)', () => {
  let emulator: RunningEmulator
  let harness: Harness
  let shiftMs = 0
  const cloudApplicationAdministrator = {
    id: randomUUID(),
    principalId: servicePrincipalId(seeded.tenantId, seeded.bffClientId),
    roleDefinitionId: CLOUD_APPLICATION_ADMINISTRATOR,
    directoryScopeId: '/',
  }
  const clock = () => new Date(Date.now() + shiftMs)
  const tenant = () => {
    const found = emulator.context.directory.tenant(seeded.tenantId)
    if (!found) throw new Error('no Contoso tenant')
    return found
  }
  const address = () => `gov-${randomUUID().slice(0, 8)}@fabrikam.example`
  const call = async (upn: string, method: 'POST' | 'DELETE', url: string, payload?: object) =>
    harness.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await harness.tokenFor(upn)}` },
      ...(payload ? { payload } : {}),
    })
  const eventsOf = (id: string) =>
    harness.app.entraShare.database.query<Pick<GuestEvent, 'type' | 'data'> & { actor: { kind: string } }>(
      'SELECT type, actor, data FROM events WHERE invitation_id = $1 ORDER BY seq',
      [id],
    )
  const typesOf = async (id: string) => (await eventsOf(id)).map((event) => event.type)
  /** The guest's app role assignments, read as the BFF's app (it holds Directory.Read.All). */
  const appRolesOf = async (userId: string) => {
    const token = await harness.app.entraShare.tokens.appToken(seeded.tenantId, 'followUp')
    const response = await fetch(`${harness.config.graphBaseUrl}/users/${userId}/appRoleAssignments`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
    return ((await response.json()) as { value: Array<{ appRoleId: string }> }).value
  }
  const inGroup = (groupId: string, userId: string) =>
    tenant().groups.get(groupId)?.members.has(userId) === true
  const requestFor = async (upn: string, presetId: string, email = address()) => {
    const response = await harness.invite(upn, { email, presetId, reason: 'Reviews the Apollo designs.' })
    expect(response.statusCode).toBe(202)
    return response.json() as Invitation
  }

  beforeAll(async () => {
    emulator = await startTestEmulator()
    tenant().roleAssignments.push(cloudApplicationAdministrator, {
      id: randomUUID(),
      principalId: servicePrincipalId(seeded.tenantId, seeded.bffClientId),
      roleDefinitionId: USER_ADMINISTRATOR,
      directoryScopeId: `/administrativeUnits/${seeded.guestsUnitId}`,
    })
    harness = await startHarness({
      emulator,
      config: { presets: [reviewed, groupApproved, revocable, projects] },
      app: { clock },
    })
  })
  beforeEach(() => {
    shiftMs = 0
  })
  afterAll(async () => {
    await harness.close()
    await emulator.close()
  })

  it('approval → invite → expiry reminder → expiry removes the group membership and the app role', async () => {
    const email = address()
    const withoutReason = await harness.invite(seeded.inviter.upn, { email, presetId: 'reviewed' })
    expect(withoutReason.statusCode).toBe(400)
    expect(withoutReason.json()).toMatchObject({ code: 'reason_required' })

    const invitationsBefore = emulator.context.directory.invitations.size
    const asked = await harness.invite(seeded.inviter.upn, {
      email,
      presetId: 'reviewed',
      reason: 'Reviews the Apollo designs.',
    })
    expect(asked.statusCode).toBe(202)
    const request = asked.json() as Invitation
    expect(asked.headers.location).toBe(`/api/invitations/${request.id}`)
    expect(request).toMatchObject({
      status: 'pending_approval',
      invitedUserId: '',
      invitationId: null,
      approval: {
        approvers: ['Invitations.Admin'],
        approversLabel: 'Invitation administrators',
        reason: 'Reviews the Apollo designs.',
        decision: null,
      },
    })
    expect(emulator.context.directory.invitations.size).toBe(invitationsBefore)
    expect(await typesOf(request.id)).toEqual(['invitation.approval_requested'])

    const approved = await call(seeded.admin.upn, 'POST', `/api/invitations/${request.id}/approve`, {
      comment: 'Fine for the design review.',
    })
    expect(approved.statusCode).toBe(200)
    const invitation = approved.json() as CreatedInvitation
    expect(invitation).toMatchObject({
      id: request.id,
      status: 'completed',
      invitedBy: { objectId: seeded.inviter.id },
      approval: {
        decision: 'approved',
        decidedBy: { objectId: seeded.admin.id },
        comment: 'Fine for the design review.',
      },
    })
    expect(Date.parse(invitation.access?.expiresAt ?? '')).toBeGreaterThan(Date.now() + 29 * DAY_MS)
    expect(emulator.context.directory.invitations.size).toBe(invitationsBefore + 1)
    const guestId = invitation.invitedUserId
    expect(inGroup(seeded.apolloGroupId, guestId)).toBe(true)
    expect((await appRolesOf(guestId)).map((role) => role.appRoleId)).toEqual([
      seeded.projects.contributorRoleId,
    ])
    const decision = (await eventsOf(request.id))[1]
    expect(decision).toMatchObject({
      type: 'invitation.approved',
      actor: { kind: 'approver', objectId: seeded.admin.id },
    })

    // A week before the 30 days end, the sponsor is reminded, once.
    shiftMs = 24 * DAY_MS
    await harness.app.entraShare.governance.run()
    await harness.app.entraShare.governance.run()
    expect(await typesOf(request.id)).toEqual([
      'invitation.approval_requested',
      'invitation.approved',
      'invitation.created',
      'invitation.completed',
      'invitation.expiring',
    ])
    expect(inGroup(seeded.apolloGroupId, guestId)).toBe(true)

    shiftMs = 31 * DAY_MS
    await harness.app.entraShare.governance.run()
    expect(inGroup(seeded.apolloGroupId, guestId)).toBe(false)
    expect(await appRolesOf(guestId)).toEqual([])
    expect(tenant().users.get(guestId)?.accountEnabled).toBe(true)
    const removed = (await harness.get(seeded.inviter.upn, `/api/invitations/${request.id}`)).json()
    expect(removed).toMatchObject({
      status: 'removed',
      removal: {
        reason: 'expired',
        requestedBy: null,
        steps: [
          { name: 'removeFromGroup', target: seeded.apolloGroupId, status: 'succeeded' },
          { name: 'removeAppRole', target: seeded.projects.contributorRoleId, status: 'succeeded' },
        ],
      },
    })
    expect((await eventsOf(request.id)).at(-1)).toMatchObject({
      type: 'invitation.removed',
      actor: { kind: 'system' },
    })
  })

  it("offers each preset's policy to the component: approval, who approves, the reason, the days of access", async () => {
    const config = (await harness.get(seeded.inviter.upn, '/api/config')).json() as {
      presets: Record<string, unknown>[]
    }
    expect(config.presets.find((preset) => preset.id === 'reviewed')).toEqual({
      id: 'reviewed',
      label: 'Reviewed partners',
      groupCount: 1,
      approvalRequired: true,
      reasonRequired: true,
      approversLabel: 'Invitation administrators',
      accessDays: 30,
    })
    expect(config.presets.find((preset) => preset.id === 'group-approved')).toMatchObject({
      approvalRequired: true,
      reasonRequired: false,
    })
    expect(config.presets.find((preset) => preset.id === 'group-approved')).not.toHaveProperty(
      'approversLabel',
    )
    expect(config.presets.find((preset) => preset.id === 'projects')).not.toHaveProperty('approvalRequired')
  })

  it('a denied request never reaches Graph', async () => {
    const email = address()
    const invitationsBefore = emulator.context.directory.invitations.size
    const request = await requestFor(seeded.inviter.upn, 'reviewed', email)

    const denied = await call(seeded.admin.upn, 'POST', `/api/invitations/${request.id}/deny`, {
      comment: 'Not this quarter.',
    })

    expect(denied.statusCode).toBe(200)
    expect(denied.json()).toMatchObject({
      status: 'denied',
      invitedUserId: '',
      approval: {
        decision: 'denied',
        decidedBy: { objectId: seeded.admin.id },
        comment: 'Not this quarter.',
      },
    })
    expect(emulator.context.directory.invitations.size).toBe(invitationsBefore)
    expect([...tenant().users.values()].some((user) => user.mail === email)).toBe(false)
    expect(await eventsOf(request.id)).toMatchObject([
      { type: 'invitation.approval_requested', actor: { kind: 'inviter' } },
      { type: 'invitation.denied', actor: { kind: 'approver', objectId: seeded.admin.id } },
    ])
    const late = await call(seeded.admin.upn, 'POST', `/api/invitations/${request.id}/approve`)
    expect(late.statusCode).toBe(409)
    expect(late.json()).toMatchObject({ code: 'approval_already_decided' })
    expect(emulator.context.directory.invitations.size).toBe(invitationsBefore)
  })

  it('a request nobody decides within its 7 days is denied', async () => {
    const invitationsBefore = emulator.context.directory.invitations.size
    const request = await requestFor(seeded.inviter.upn, 'reviewed')

    shiftMs = 6 * DAY_MS
    await harness.app.entraShare.governance.run()
    expect(await typesOf(request.id)).toEqual(['invitation.approval_requested'])

    shiftMs = 7 * DAY_MS + 60_000
    await harness.app.entraShare.governance.run()
    const expired = (await harness.get(seeded.inviter.upn, `/api/invitations/${request.id}`)).json()
    expect(expired).toMatchObject({
      status: 'denied',
      approval: { decision: 'expired', decidedBy: null },
    })
    expect(await eventsOf(request.id)).toMatchObject([
      { type: 'invitation.approval_requested' },
      { type: 'invitation.denied', actor: { kind: 'system' } },
    ])
    expect(emulator.context.directory.invitations.size).toBe(invitationsBefore)
  })

  it('neither the requester nor a non-approver may decide; a member of an approver group may', async () => {
    const invitationsBefore = emulator.context.directory.invitations.size
    // Adele holds the approver role, but asked herself.
    const own = await requestFor(seeded.admin.upn, 'reviewed')
    const byRequester = await call(seeded.admin.upn, 'POST', `/api/invitations/${own.id}/approve`)
    expect(byRequester.statusCode).toBe(403)
    expect(byRequester.json()).toMatchObject({ code: 'approval_not_allowed' })
    expect(byRequester.json().detail).toMatch(/person who asked/)
    for (const action of ['approve', 'deny']) {
      const byOther = await call(seeded.nonInviter.upn, 'POST', `/api/invitations/${own.id}/${action}`)
      expect(byOther.statusCode).toBe(403)
      expect(byOther.json()).toMatchObject({ code: 'approval_not_allowed' })
    }
    expect((await harness.get(seeded.admin.upn, `/api/invitations/${own.id}`)).json()).toMatchObject({
      status: 'pending_approval',
    })
    expect(emulator.context.directory.invitations.size).toBe(invitationsBefore)

    // Approvers by group: Lee is not in Apollo, Megan is.
    const portal = await requestFor(seeded.admin.upn, 'group-approved')
    const byLee = await call(seeded.nonInviter.upn, 'POST', `/api/invitations/${portal.id}/approve`)
    expect(byLee.statusCode).toBe(403)
    const byMegan = await call(seeded.inviter.upn, 'POST', `/api/invitations/${portal.id}/approve`)
    expect(byMegan.statusCode).toBe(200)
    const invitation = byMegan.json() as CreatedInvitation
    expect(invitation).toMatchObject({ status: 'completed', invitedBy: { objectId: seeded.admin.id } })
    expect(inGroup(seeded.portalGroupId, invitation.invitedUserId)).toBe(true)
  })

  it('DELETE by the sponsor removes access as expiry does (here: blocked); others may not', async () => {
    const created = await harness.invite(seeded.inviter.upn, { email: address(), presetId: 'revocable' })
    expect(created.statusCode).toBe(201)
    const invitation = created.json() as CreatedInvitation
    const guestId = invitation.invitedUserId
    expect(inGroup(seeded.portalGroupId, guestId)).toBe(true)

    expect(
      (await call(seeded.nonInviter.upn, 'DELETE', `/api/invitations/${invitation.id}`)).statusCode,
    ).toBe(404)
    const revoked = await call(seeded.inviter.upn, 'DELETE', `/api/invitations/${invitation.id}`)

    expect(revoked.statusCode).toBe(200)
    expect(revoked.json()).toMatchObject({
      status: 'removed',
      removal: {
        reason: 'revoked',
        requestedBy: { objectId: seeded.inviter.id },
        steps: [
          { name: 'removeFromGroup', status: 'succeeded' },
          { name: 'blockSignIn', status: 'succeeded' },
        ],
      },
    })
    expect(inGroup(seeded.portalGroupId, guestId)).toBe(false)
    expect(tenant().users.get(guestId)?.accountEnabled).toBe(false)
    expect((await eventsOf(invitation.id)).at(-1)).toMatchObject({
      type: 'invitation.removed',
      actor: { kind: 'sponsor', objectId: seeded.inviter.id },
    })
    const again = await call(seeded.inviter.upn, 'DELETE', `/api/invitations/${invitation.id}`)
    expect(again.json()).toMatchObject({ status: 'removed' })
    const resent = await call(seeded.inviter.upn, 'POST', `/api/invitations/${invitation.id}/resend`)
    expect(resent.json()).toMatchObject({ code: 'invitation_not_active' })
  })

  it('a removal Graph refuses stays removing with removal_forbidden, is reported, and is retried until it succeeds', async () => {
    const invitation = (
      await harness.invite(seeded.inviter.upn, { email: address(), presetId: 'projects' })
    ).json() as CreatedInvitation
    expect(await appRolesOf(invitation.invitedUserId)).toHaveLength(1)
    const assignments = tenant().roleAssignments
    assignments.splice(assignments.indexOf(cloudApplicationAdministrator), 1)
    try {
      const revoked = await call(seeded.admin.upn, 'DELETE', `/api/invitations/${invitation.id}`)
      expect(revoked.json()).toMatchObject({
        status: 'removing',
        removal: {
          requestedBy: { objectId: seeded.admin.id },
          steps: [{ name: 'removeAppRole', status: 'pending', code: 'removal_forbidden' }],
        },
      })
      expect(revoked.json().removal.steps[0].detail).toMatch(/Cloud Application Administrator/)
      expect((await eventsOf(invitation.id)).at(-1)).toMatchObject({
        type: 'invitation.removing',
        actor: { kind: 'admin', objectId: seeded.admin.id },
        data: { pendingRemovalSteps: [{ name: 'removeAppRole', code: 'removal_forbidden' }] },
      })
    } finally {
      assignments.push(cloudApplicationAdministrator)
    }

    // Retried by the governance work after its backoff (a minute after the first failure), once the role is back.
    await harness.app.entraShare.governance.run()
    expect(await appRolesOf(invitation.invitedUserId)).toHaveLength(1)
    shiftMs = 61_000
    await harness.app.entraShare.governance.run()
    expect(await appRolesOf(invitation.invitedUserId)).toEqual([])
    expect(await typesOf(invitation.id)).toEqual([
      'invitation.created',
      'invitation.completed',
      'invitation.removing',
      'invitation.removed',
    ])
  })

  it('the sponsor extends the access once, within the preset’s days', async () => {
    const tooLong = await harness.invite(seeded.inviter.upn, {
      email: address(),
      presetId: 'revocable',
      accessDays: 31,
    })
    expect(tooLong.json()).toMatchObject({ code: 'access_days_not_allowed' })
    const invitation = (
      await harness.invite(seeded.inviter.upn, { email: address(), presetId: 'revocable', accessDays: 10 })
    ).json() as CreatedInvitation
    const expiresAt = Date.parse(invitation.access?.expiresAt ?? '')
    const url = `/api/invitations/${invitation.id}/extend`

    expect((await call(seeded.inviter.upn, 'POST', url, { days: 31 })).json()).toMatchObject({
      code: 'access_days_not_allowed',
    })
    const extended = await call(seeded.inviter.upn, 'POST', url, { days: 20 })
    expect(extended.statusCode).toBe(200)
    expect(Date.parse(extended.json().access.expiresAt)).toBe(expiresAt + 20 * DAY_MS)
    expect((await call(seeded.inviter.upn, 'POST', url)).json()).toMatchObject({
      code: 'extension_not_allowed',
    })
    expect((await eventsOf(invitation.id)).at(-1)).toMatchObject({
      type: 'invitation.extended',
      actor: { kind: 'sponsor', objectId: seeded.inviter.id },
    })
  })
})
