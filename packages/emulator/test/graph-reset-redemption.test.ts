import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { servicePrincipalId } from '../src/state/service-principal-id.js'
import { graphClient, graphFailure, graphToken, invitationFor } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const NOT_ALLOWED = 'Generic authorization exception.'
const EMAIL_NOT_ON_USER =
  'The email you’re using to invite this user doesn’t match any emails on the user object. Please add this email to the user object and try again.'
/** The BFF's delegated Graph permissions: User.ReadWrite.All is what a reset needs. */
const BFF_SCOPES = ['User.Read', 'User.Invite.All', 'User.ReadWrite.All', 'GroupMember.ReadWrite.All']
const grace = seeded.existingGuest

/** The value of the hidden `rd` field of the Accept form (HTML-escaped in the page). */
function acceptFormTarget(html: string): string {
  const value = /<input type="hidden" name="rd" value="([^"]*)">/.exec(html)?.[1]
  if (value === undefined) throw new Error('The page has no Accept form')
  return value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
}

function resetOf(userId: string, email: string, extra: Record<string, unknown> = {}) {
  return invitationFor(email, { resetRedemption: true, invitedUser: { id: userId }, ...extra })
}

describe('POST /v1.0/invitations with resetRedemption (Graph JS SDK, https against the emulator)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  async function delegated(upn: string, scopes: string[] = BFF_SCOPES): Promise<Client> {
    return graphClient(emulator, await graphToken(emulator, { user: upn, scopes }))
  }

  async function appOnly(roles: string[]): Promise<Client> {
    return graphClient(emulator, await graphToken(emulator, { roles }))
  }

  function giveRole(userId: string, role: string): void {
    emulator.context.directory.tenant(seeded.contosoTenantId)?.users.get(userId)?.directoryRoles.push(role)
  }

  async function externalUserState(userId: string): Promise<string> {
    const user = await (await appOnly(['User.Read.All']))
      .api(`/users/${userId}`)
      .select('externalUserState')
      .get()
    return user.externalUserState
  }

  it('puts a redeemed guest back to PendingAcceptance, keeping the user, its groups and app roles', async () => {
    const adele = await delegated(seeded.admin.upn, [...BFF_SCOPES, 'AppRoleAssignment.ReadWrite.All'])
    await adele.api(`/groups/${seeded.portalGroupId}/members/$ref`).post({
      '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${grace.id}`,
    })
    const projectsSp = servicePrincipalId(seeded.contosoTenantId, seeded.projects.clientId)
    await adele
      .api(`/users/${grace.id}/appRoleAssignments`)
      .post({ principalId: grace.id, resourceId: projectsSp, appRoleId: seeded.projects.readerRoleId })
    expect(await externalUserState(grace.id)).toBe('Accepted')

    const invitation = await adele
      .api('/invitations')
      .post(resetOf(grace.id, grace.mail, { sendInvitationMessage: true }))

    expect(invitation).toMatchObject({
      invitedUserEmailAddress: grace.mail,
      resetRedemption: true,
      sendInvitationMessage: true,
      status: 'PendingAcceptance',
      invitedUser: { id: grace.id },
    })
    const user = await adele
      .api(`/users/${grace.id}`)
      .select(['userPrincipalName', 'mail', 'creationType', 'externalUserState'])
      .get()
    expect(user).toMatchObject({
      userPrincipalName: 'grace_northwind.example#EXT#@contoso.onmicrosoft.com',
      mail: grace.mail,
      creationType: 'Invitation',
      externalUserState: 'PendingAcceptance',
    })
    const members = await adele.api(`/groups/${seeded.portalGroupId}/members`).select('id').get()
    expect(members.value.map((member: { id: string }) => member.id)).toContain(grace.id)
    const assignments = await adele.api(`/users/${grace.id}/appRoleAssignments`).get()
    expect(assignments.value).toHaveLength(1)
    expect(emulator.context.directory.outbox.map((message) => message.to)).toEqual([grace.mail])
  })

  it('makes the new redeem URL usable again: accepting it marks the guest Accepted', async () => {
    const adele = await delegated(seeded.admin.upn)
    const invitation = await adele.api('/invitations').post(resetOf(grace.id, grace.mail))
    expect(await externalUserState(grace.id)).toBe('PendingAcceptance')

    const page = await fetch(invitation.inviteRedeemUrl)
    const accepted = await fetch(`${emulator.url}/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ rd: acceptFormTarget(await page.text()) }),
      redirect: 'manual',
    })

    expect(page.status).toBe(200)
    expect(accepted.status).toBe(302)
    expect(await externalUserState(grace.id)).toBe('Accepted')
  })

  it('resets to a new address only once it is on the user object (otherMails), without changing mail', async () => {
    const adele = await delegated(seeded.admin.upn)
    const newAddress = 'grace.hopper@northwind-new.example'

    const refused = await graphFailure(adele.api('/invitations').post(resetOf(grace.id, newAddress)))
    await adele.api(`/users/${grace.id}`).patch({ otherMails: [grace.mail, newAddress] })
    const invitation = await adele.api('/invitations').post(resetOf(grace.id, newAddress))

    expect([refused.statusCode, refused.code, refused.message]).toEqual([
      400,
      'BadRequest',
      EMAIL_NOT_ON_USER,
    ])
    expect(invitation.invitedUserEmailAddress).toBe(newAddress)
    const user = await adele.api(`/users/${grace.id}`).select(['mail', 'otherMails']).get()
    expect(user).toMatchObject({ mail: grace.mail, otherMails: [grace.mail, newAddress] })
  })

  describe('who may reset', () => {
    it('refuses a Guest Inviter (resetting needs Helpdesk or User Administrator) with 403 Forbidden', async () => {
      const megan = await delegated(seeded.inviter.upn)

      const error = await graphFailure(megan.api('/invitations').post(resetOf(grace.id, grace.mail)))

      expect([error.statusCode, error.code, error.message]).toEqual([403, 'Forbidden', NOT_ALLOWED])
      expect(await externalUserState(grace.id)).toBe('Accepted')
    })

    it('refuses a token without User.ReadWrite.All before looking the user up', async () => {
      const adele = await delegated(seeded.admin.upn, ['User.Invite.All'])
      const app = await appOnly(['User.Invite.All', 'Directory.Read.All'])

      const delegatedError = await graphFailure(
        adele.api('/invitations').post(resetOf('00000000-0000-4000-8000-00000000dead', grace.mail)),
      )
      const appError = await graphFailure(app.api('/invitations').post(resetOf(grace.id, grace.mail)))

      for (const error of [delegatedError, appError]) {
        expect([error.statusCode, error.code, error.message]).toEqual([403, 'Forbidden', NOT_ALLOWED])
      }
    })

    it('lets a Helpdesk Administrator reset a guest without roles or with Guest Inviter, not one with User Administrator', async () => {
      giveRole(seeded.nonInviter.id, 'Helpdesk Administrator')
      const lee = await delegated(seeded.nonInviter.upn)

      const plain = await lee.api('/invitations').post(resetOf(grace.id, grace.mail))
      giveRole(grace.id, 'Guest Inviter')
      const guestInviter = await lee.api('/invitations').post(resetOf(grace.id, grace.mail))
      giveRole(grace.id, 'User Administrator')
      const admin = await graphFailure(lee.api('/invitations').post(resetOf(grace.id, grace.mail)))

      expect(plain.status).toBe('PendingAcceptance')
      expect(guestInviter.status).toBe('PendingAcceptance')
      expect([admin.statusCode, admin.code, admin.message]).toEqual([403, 'Forbidden', NOT_ALLOWED])
    })

    it('needs a Global Administrator for a guest holding a role User Administrators may not reset', async () => {
      giveRole(grace.id, 'License Administrator')
      const adele = await delegated(seeded.admin.upn)

      const userAdmin = await graphFailure(adele.api('/invitations').post(resetOf(grace.id, grace.mail)))
      giveRole(seeded.nonInviter.id, 'Global Administrator')
      const globalAdmin = await (await delegated(seeded.nonInviter.upn))
        .api('/invitations')
        .post(resetOf(grace.id, grace.mail))

      expect([userAdmin.statusCode, userAdmin.code]).toEqual([403, 'Forbidden'])
      expect(globalAdmin.invitedUser.id).toBe(grace.id)
    })

    it('lets an app with User.ReadWrite.All reset a guest, but not one who holds a directory role', async () => {
      const app = await appOnly(['User.Invite.All', 'User.ReadWrite.All'])

      const reset = await app.api('/invitations').post(resetOf(grace.id, grace.mail))
      giveRole(grace.id, 'Directory Readers')
      const refused = await graphFailure(app.api('/invitations').post(resetOf(grace.id, grace.mail)))

      expect(reset.resetRedemption).toBe(true)
      expect([refused.statusCode, refused.code, refused.message]).toEqual([403, 'Forbidden', NOT_ALLOWED])
    })
  })

  describe('which users can be reset', () => {
    it('answers 404 for a user that does not exist, 400 for a member the directory did not invite', async () => {
      const adele = await delegated(seeded.admin.upn)
      const missing = '00000000-0000-4000-8000-00000000dead'

      const unknown = await graphFailure(adele.api('/invitations').post(resetOf(missing, grace.mail)))
      const member = await graphFailure(
        adele.api('/invitations').post(resetOf(seeded.nonInviter.id, 'lee@contoso.example')),
      )

      expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
      ])
      expect([member.statusCode, member.code, member.message]).toEqual([
        400,
        'BadRequest',
        `The user '${seeded.nonInviter.id}' is not an external user: only the redemption status of an invited user can be reset.`,
      ])
    })

    it('refuses an address that belongs to another user of the directory', async () => {
      const adele = await delegated(seeded.admin.upn)

      const error = await graphFailure(
        adele.api('/invitations').post(resetOf(grace.id, 'megan@contoso.example')),
      )

      expect([error.statusCode, error.code, error.message]).toEqual([
        400,
        'BadRequest',
        `The invited user already exists in the directory as object ID: ${seeded.inviter.id}`,
      ])
    })
  })
})
