import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import {
  adminClient,
  appClient,
  graphClient,
  graphFailure,
  graphToken,
  invitationFor,
  inviterClient,
} from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const GUEST_INVITES_NOT_ALLOWED =
  'Guest invitations not allowed for your company. Contact your company administrator for more details.'

interface Invitation {
  '@odata.context': string
  id: string
  inviteRedeemUrl: string
  invitedUserDisplayName: string | null
  invitedUserType: string
  invitedUserEmailAddress: string
  sendInvitationMessage: boolean
  resetRedemption: boolean
  inviteRedirectUrl: string
  status: string
  invitedUserMessageInfo: {
    messageLanguage: string | null
    customizedMessageBody: string | null
    ccRecipients: Array<{ emailAddress: { name: string | null; address: string | null } }>
  }
  invitedUser: { id: string }
}

describe('POST /v1.0/invitations (Graph JS SDK)', () => {
  let emulator: RunningEmulator
  let megan: Client

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
    megan = await inviterClient(emulator)
  })

  it('answers 201 with the invitation entity, shaped as Graph documents it', async () => {
    const invitation: Invitation = await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))

    expect(invitation).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#invitations/$entity',
      id: expect.stringMatching(GUID),
      inviteRedeemUrl: expect.any(String),
      invitedUserDisplayName: null,
      invitedUserType: 'Guest',
      invitedUserEmailAddress: 'ada@fabrikam.example',
      sendInvitationMessage: false,
      resetRedemption: false,
      inviteRedirectUrl: 'https://app.contoso.example/welcome',
      status: 'PendingAcceptance',
      invitedUserMessageInfo: {
        messageLanguage: null,
        customizedMessageBody: null,
        ccRecipients: [{ emailAddress: { name: null, address: null } }],
      },
      invitedUser: { id: expect.stringMatching(GUID) },
    })
    expect(Object.keys(invitation)).toEqual([
      '@odata.context',
      'id',
      'inviteRedeemUrl',
      'invitedUserDisplayName',
      'invitedUserType',
      'invitedUserEmailAddress',
      'sendInvitationMessage',
      'resetRedemption',
      'inviteRedirectUrl',
      'status',
      'invitedUserMessageInfo',
      'invitedUser',
    ])
  })

  it('mirrors the structure of Microsoft redeem links on the emulator host', async () => {
    const invitation: Invitation = await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))

    const redeem = new URL(invitation.inviteRedeemUrl)
    expect(`${redeem.origin}${redeem.pathname}`).toBe(`${emulator.url}/redeem`)
    expect(invitation.inviteRedeemUrl).toMatch(
      /^[^?]+\?rd=https%3a%2f%2f127\.0\.0\.1%3a\d+%2finvitations%2fredeem%2f%3ftenant%3d/,
    )
    const inner = new URL(redeem.searchParams.get('rd') as string)
    expect(`${inner.origin}${inner.pathname}`).toBe(`${emulator.url}/invitations/redeem/`)
    expect(inner.searchParams.get('tenant')).toBe(seeded.contosoTenantId)
    expect(inner.searchParams.get('user')).toBe(invitation.id)
    expect(inner.searchParams.get('ver')).toBe('2.0')
    expect(inner.searchParams.get('ticket')).toMatch(/^[A-Za-z0-9%]+$/)
  })

  it('creates the guest as an invitation does: Guest, Invitation, PendingAcceptance, #EXT# UPN', async () => {
    const invitation: Invitation = await megan
      .api('/invitations')
      .post(invitationFor('Ada.Lovelace@Fabrikam.example', { invitedUserDisplayName: 'Ada Lovelace' }))

    const guest = await megan
      .api(`/users/${invitation.invitedUser.id}`)
      .select([
        'displayName',
        'userPrincipalName',
        'mail',
        'otherMails',
        'userType',
        'creationType',
        'externalUserState',
      ])
      .get()
    expect(guest).toEqual({
      '@odata.context':
        'https://graph.microsoft.com/v1.0/$metadata#users(displayName,userPrincipalName,mail,otherMails,userType,creationType,externalUserState)/$entity',
      displayName: 'Ada Lovelace',
      userPrincipalName: 'Ada.Lovelace_Fabrikam.example#EXT#@contoso.onmicrosoft.com',
      mail: 'Ada.Lovelace@Fabrikam.example',
      otherMails: ['Ada.Lovelace@Fabrikam.example'],
      userType: 'Guest',
      creationType: 'Invitation',
      externalUserState: 'PendingAcceptance',
    })
  })

  it('invites as Member when invitedUserType says so', async () => {
    const invitation: Invitation = await megan
      .api('/invitations')
      .post(invitationFor('partner@fabrikam.example', { invitedUserType: 'Member' }))

    expect(invitation.invitedUserType).toBe('Member')
    const user = await megan.api(`/users/${invitation.invitedUser.id}`).select('userType').get()
    expect(user.userType).toBe('Member')
  })

  it('re-inviting a guest returns the same user and a new redeem URL', async () => {
    const first: Invitation = await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))
    const second: Invitation = await megan.api('/invitations').post(invitationFor('ADA@fabrikam.example'))

    expect(second.invitedUser.id).toBe(first.invitedUser.id)
    expect(second.id).not.toBe(first.id)
    expect(second.inviteRedeemUrl).not.toBe(first.inviteRedeemUrl)
    expect(emulator.context.directory.invitations.size).toBe(2)
  })

  it('re-inviting a guest who already accepted reports Completed', async () => {
    const invitation: Invitation = await megan
      .api('/invitations')
      .post(invitationFor(seeded.existingGuest.mail))

    expect(invitation.invitedUser.id).toBe(seeded.existingGuest.id)
    expect(invitation.status).toBe('Completed')
  })

  it('refuses the address of a member of the directory with 400 and the member object id', async () => {
    const error = await graphFailure(megan.api('/invitations').post(invitationFor('lee@contoso.example')))

    expect(error.statusCode).toBe(400)
    expect(error.code).toBe('BadRequest')
    expect(error.message).toBe(
      `The invited user already exists in the directory as object ID: ${seeded.nonInviter.id}`,
    )
  })

  it('resetRedemption keeps the user id and puts the guest back to PendingAcceptance', async () => {
    // The new address must be on the user first (otherMails), and resetting takes a User Administrator.
    const adele = await adminClient(emulator)
    await adele
      .api(`/users/${seeded.existingGuest.id}`)
      .patch({ otherMails: [seeded.existingGuest.mail, 'grace@northwind-new.example'] })

    const invitation: Invitation = await adele.api('/invitations').post(
      invitationFor('grace@northwind-new.example', {
        resetRedemption: true,
        invitedUser: { id: seeded.existingGuest.id },
      }),
    )

    expect(invitation.resetRedemption).toBe(true)
    expect(invitation.invitedUser.id).toBe(seeded.existingGuest.id)
    const guest = await adele
      .api(`/users/${seeded.existingGuest.id}`)
      .select(['mail', 'externalUserState'])
      .get()
    expect(guest).toMatchObject({
      mail: seeded.existingGuest.mail,
      externalUserState: 'PendingAcceptance',
    })
  })

  it.each([
    [{ inviteRedirectUrl: 'https://app.example' }, 'The invitedUserEmailAddress property is required.'],
    [{ invitedUserEmailAddress: 'ada@fabrikam.example' }, 'The inviteRedirectUrl property is required.'],
    [
      invitationFor('ada(at)fabrikam.example'),
      "The email address 'ada(at)fabrikam.example' is not valid for an invitation.",
    ],
    [
      invitationFor('ada@fabrikam.example', { inviteRedirectUrl: '/relative' }),
      "The inviteRedirectUrl '/relative' is not a valid URL.",
    ],
    [
      invitationFor('ada@fabrikam.example', {
        invitedUserMessageInfo: {
          ccRecipients: [
            { emailAddress: { address: 'a@contoso.example' } },
            { emailAddress: { address: 'b@contoso.example' } },
          ],
        },
      }),
      'Only one cc recipient is supported in invitedUserMessageInfo.ccRecipients.',
    ],
  ])('answers 400 BadRequest for an invalid body %#', async (body, message) => {
    const error = await graphFailure(megan.api('/invitations').post(body))

    expect(error.statusCode).toBe(400)
    expect(error.code).toBe('BadRequest')
    expect(error.message).toBe(message)
  })

  describe('who may invite', () => {
    it('refuses a user who is neither admin nor Guest Inviter when only they may invite (403)', async () => {
      const lee = graphClient(
        emulator,
        await graphToken(emulator, { user: seeded.nonInviter.upn, scopes: ['User.Invite.All'] }),
      )

      const error = await graphFailure(lee.api('/invitations').post(invitationFor('ada@fabrikam.example')))

      expect(error.statusCode).toBe(403)
      expect(error.code).toBe('Forbidden')
      expect(error.message).toBe(GUEST_INVITES_NOT_ALLOWED)
    })

    it('lets every member invite when the tenant allows adminsGuestInvitersAndAllMembers', async () => {
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      if (tenant) tenant.settings.allowInvitesFrom = 'adminsGuestInvitersAndAllMembers'
      const lee = graphClient(
        emulator,
        await graphToken(emulator, { user: seeded.nonInviter.upn, scopes: ['User.Invite.All'] }),
      )

      const invitation: Invitation = await lee.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      expect(invitation.status).toBe('PendingAcceptance')
    })

    it('lets an app with User.Invite.All invite where only admins and Guest Inviters may', async () => {
      const app = await appClient(emulator)

      const invitation: Invitation = await app.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      expect(invitation.status).toBe('PendingAcceptance')
    })

    it('refuses everyone, admins and apps included, where nobody may invite (Tailspin: allowInvitesFrom none)', async () => {
      const alex = graphClient(
        emulator,
        await graphToken(emulator, {
          tenantId: seeded.tailspinTenantId,
          user: 'alex@tailspin.example',
          scopes: ['User.Invite.All'],
        }),
      )

      const error = await graphFailure(alex.api('/invitations').post(invitationFor('ada@fabrikam.example')))

      expect([error.statusCode, error.code, error.message]).toEqual([
        403,
        'Forbidden',
        GUEST_INVITES_NOT_ALLOWED,
      ])
    })

    it('refuses with 403 while the guestInvitesDisabled fault is on', async () => {
      emulator.context.faults.set({ guestInvitesDisabled: [seeded.contosoTenantId] })
      const app = await appClient(emulator)

      const error = await graphFailure(app.api('/invitations').post(invitationFor('ada@fabrikam.example')))

      expect([error.statusCode, error.code, error.message]).toEqual([
        403,
        'Forbidden',
        GUEST_INVITES_NOT_ALLOWED,
      ])
    })
  })

  describe('where invitations may go', () => {
    it('refuses a domain on the deny list of the external collaboration settings', async () => {
      const error = await graphFailure(megan.api('/invitations').post(invitationFor('eve@blocked.example')))

      expect(error.statusCode).toBe(403)
      expect(error.code).toBe('Forbidden')
      expect(error.message).toBe(
        "The domain 'blocked.example' of the invited user is currently blocked by your invitation policy.",
      )
    })

    it('refuses domains missing from an allow list', async () => {
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      if (tenant) tenant.settings.allowedDomains = ['fabrikam.example']

      const allowed: Invitation = await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))
      const error = await graphFailure(megan.api('/invitations').post(invitationFor('bob@northwind.example')))

      expect(allowed.status).toBe('PendingAcceptance')
      expect(error.statusCode).toBe(403)
    })

    it('refuses a domain blocked by cross-tenant access settings', async () => {
      emulator.context.faults.set({ crossTenantBlockedDomains: ['woodgrove.example'] })

      const error = await graphFailure(megan.api('/invitations').post(invitationFor('kim@woodgrove.example')))

      expect(error.statusCode).toBe(403)
      expect(error.code).toBe('Forbidden')
      expect(error.message).toBe(
        "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation.",
      )
    })
  })

  describe('the invitation email', () => {
    const messageInfo = {
      messageLanguage: 'fr-FR',
      customizedMessageBody: 'Welcome to Project Apollo!',
      ccRecipients: [{ emailAddress: { name: 'Adele Vance', address: 'adele@contoso.example' } }],
    }

    it('lands in the outbox when sendInvitationMessage is true, from invites@microsoft.com', async () => {
      const invitation: Invitation = await megan.api('/invitations').post(
        invitationFor('ada@fabrikam.example', {
          sendInvitationMessage: true,
          invitedUserMessageInfo: messageInfo,
        }),
      )

      expect(invitation.invitedUserMessageInfo).toEqual(messageInfo)
      expect(emulator.context.directory.outbox).toEqual([
        {
          id: expect.stringMatching(GUID),
          tenantId: seeded.contosoTenantId,
          invitationId: invitation.id,
          from: 'Microsoft Invitations on behalf of Contoso <invites@microsoft.com>',
          to: 'ada@fabrikam.example',
          cc: ['adele@contoso.example'],
          subject: 'Megan Bowen invited you to access applications within their organization',
          customizedMessageBody: 'Welcome to Project Apollo!',
          messageLanguage: 'fr-FR',
          inviteRedeemUrl: invitation.inviteRedeemUrl,
          sentDateTime: expect.any(String),
        },
      ])
      expect(emulator.context.directory.invitations.get(invitation.id)).toMatchObject({
        invitedUserId: invitation.invitedUser.id,
        inviterId: seeded.inviter.id,
        appId: seeded.bffClientId,
        sendInvitationMessage: true,
        redeemedDateTime: null,
      })
    })

    it('sends nothing when sendInvitationMessage is left out (it defaults to false)', async () => {
      await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      expect(emulator.context.directory.outbox).toEqual([])
    })

    it('silently drops a custom message longer than 3000 characters from the email', async () => {
      const longMessage = 'x'.repeat(3001)

      const invitation: Invitation = await megan.api('/invitations').post(
        invitationFor('ada@fabrikam.example', {
          sendInvitationMessage: true,
          invitedUserMessageInfo: { customizedMessageBody: longMessage },
        }),
      )

      expect(invitation.invitedUserMessageInfo.customizedMessageBody).toBe(longMessage)
      expect(emulator.context.directory.outbox[0]?.customizedMessageBody).toBeNull()
    })

    it('keeps a custom message of exactly 3000 characters', async () => {
      const message = 'x'.repeat(3000)

      await megan.api('/invitations').post(
        invitationFor('ada@fabrikam.example', {
          sendInvitationMessage: true,
          invitedUserMessageInfo: { customizedMessageBody: message },
        }),
      )

      expect(emulator.context.directory.outbox[0]?.customizedMessageBody).toBe(message)
    })

    it('drops the custom message when an app sends the invitation', async () => {
      const app = await appClient(emulator)

      await app.api('/invitations').post(
        invitationFor('ada@fabrikam.example', {
          sendInvitationMessage: true,
          invitedUserMessageInfo: messageInfo,
        }),
      )

      expect(emulator.context.directory.outbox[0]).toMatchObject({
        customizedMessageBody: null,
        subject: 'Contoso invited you to access applications within their organization',
      })
    })

    it('drops the custom message when the inviter has no mailbox', async () => {
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      const inviter = tenant && emulator.context.directory.user(tenant, seeded.inviter.id)
      if (inviter) inviter.hasMailbox = false

      await megan.api('/invitations').post(
        invitationFor('ada@fabrikam.example', {
          sendInvitationMessage: true,
          invitedUserMessageInfo: messageInfo,
        }),
      )

      expect(emulator.context.directory.outbox[0]?.customizedMessageBody).toBeNull()
    })
  })

  describe('authentication and permissions (raw wire)', () => {
    it('answers 401 InvalidAuthenticationToken in Graph error shape with request ids when no token is sent', async () => {
      const response = await fetch(`${emulator.url}/v1.0/invitations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'client-request-id': 'test-client-request-id' },
        body: JSON.stringify(invitationFor('ada@fabrikam.example')),
      })

      expect(response.status).toBe(401)
      expect(response.headers.get('request-id')).toMatch(GUID)
      expect(response.headers.get('client-request-id')).toBe('test-client-request-id')
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await response.json()).toEqual({
        error: {
          code: 'InvalidAuthenticationToken',
          message: 'Access token is empty.',
          innerError: {
            date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
            'request-id': response.headers.get('request-id'),
            'client-request-id': 'test-client-request-id',
          },
        },
      })
    })

    it('answers 403 Authorization_RequestDenied to a token without an invite permission', async () => {
      const readOnly = graphClient(
        emulator,
        await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Read'] }),
      )

      const error = await graphFailure(
        readOnly.api('/invitations').post(invitationFor('ada@fabrikam.example')),
      )

      expect(error.statusCode).toBe(403)
      expect(error.code).toBe('Authorization_RequestDenied')
      expect(error.message).toBe('Insufficient privileges to complete the operation.')
      expect(emulator.context.directory.invitations.size).toBe(0)
    })

    it('answers 400 BadRequest in Graph error shape to a body that is not JSON', async () => {
      const token = await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Invite.All'] })

      const response = await fetch(`${emulator.url}/v1.0/invitations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"invitedUserEmailAddress":',
      })

      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'BadRequest',
        message:
          'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      })
    })
  })
})
