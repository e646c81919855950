import { ConfidentialClientApplication } from '@azure/msal-node'
import { ResponseType } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { roleAssignmentRecord } from '../src/rbac/tenant-rbac.js'
import { servicePrincipalId } from '../src/state/service-principal-id.js'
import { signInToSpa } from '../src/testing/sign-in.js'
import { type BatchItemAnswer, batchItemsOf, graphFetch, itemError } from './graph-calls.js'
import { graphClient, graphFailure, graphToken, invitationFor } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const GRAPH_DEFAULT = ['https://graph.microsoft.com/.default']
const DENIED = 'Insufficient privileges to complete the operation.'
const GUEST_INVITES_NOT_ALLOWED =
  'Guest invitations not allowed for your company. Contact your company administrator for more details.'

function reference(id: string): { '@odata.id': string } {
  return { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` }
}

describe('Graph decides permissions as Entra does: token permissions ∩ directory privileges', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  function bff(): ConfidentialClientApplication {
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    return new ConfidentialClientApplication({
      auth: {
        clientId: seeded.bffClientId,
        clientSecret: seeded.bffClientSecret,
        authority,
        knownAuthorities,
        authorityMetadata,
      },
    })
  }

  /** The BFF's own identity: a client-credentials token from the token endpoint, through msal-node. */
  async function bffAppToken(): Promise<string> {
    const result = await bff().acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT })
    if (!result) throw new Error('no app token')
    return result.accessToken
  }

  /** A user's delegated Graph token as the BFF gets it: SPA sign-in, then On-Behalf-Of through msal-node. */
  async function delegatedToken(upn: string): Promise<string> {
    const assertion = (await signInToSpa(emulator, upn)).access_token
    const result = await bff().acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: GRAPH_DEFAULT })
    if (!result) throw new Error('no OBO token')
    return result.accessToken
  }

  function members(groupId: string): string[] {
    return [
      ...(emulator.context.directory.tenant(seeded.contosoTenantId)?.groups.get(groupId)?.members ?? []),
    ]
  }

  async function inviteGuest(email: string): Promise<string> {
    const invitation = await graphClient(emulator, await bffAppToken())
      .api('/invitations')
      .post(invitationFor(email))
    return invitation.invitedUser.id
  }

  describe('delegated: the scope is not enough without a role', () => {
    it("refuses Megan (Guest Inviter, no group owned) adding a member, with Graph's exact 403 body", async () => {
      const token = await delegatedToken(seeded.inviter.upn)
      expect(
        String(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).scp),
      ).toContain('GroupMember.ReadWrite.All')

      const response = await graphFetch(
        emulator,
        token,
        'POST',
        `/groups/${seeded.portalGroupId}/members/$ref`,
        reference(seeded.existingGuest.id),
      )

      expect(response.status).toBe(403)
      expect(await response.json()).toEqual({
        error: {
          code: 'Authorization_RequestDenied',
          message: DENIED,
          innerError: {
            date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
            'request-id': response.headers.get('request-id'),
            'client-request-id': response.headers.get('client-request-id'),
          },
        },
      })
      expect(members(seeded.portalGroupId)).toEqual([])
    })

    it('refuses Megan updating a guest and assigning a licence', async () => {
      const megan = graphClient(emulator, await delegatedToken(seeded.inviter.upn))

      const patch = await graphFailure(
        megan.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'Grace', usageLocation: 'GB' }),
      )
      const license = await graphFailure(
        megan
          .api(`/users/${seeded.existingGuest.id}/assignLicense`)
          .post({ addLicenses: [{ skuId: seeded.teamMembersSku.skuId }], removeLicenses: [] }),
      )

      expect([patch.statusCode, patch.code, patch.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect([license.statusCode, license.code]).toEqual([403, 'Authorization_RequestDenied'])
      const grace = emulator.context.directory
        .tenant(seeded.contosoTenantId)
        ?.users.get(seeded.existingGuest.id)
      expect(grace?.givenName).toBeNull()
    })

    it('lets Adele (User Administrator) update a guest and add a member with the same scopes', async () => {
      const adele = graphClient(emulator, await delegatedToken(seeded.admin.upn))

      const patched = (await adele
        .api(`/users/${seeded.existingGuest.id}`)
        .responseType(ResponseType.RAW)
        .patch({ givenName: 'Grace', usageLocation: 'GB' })) as Response
      const added = (await adele
        .api(`/groups/${seeded.portalGroupId}/members/$ref`)
        .responseType(ResponseType.RAW)
        .post(reference(seeded.existingGuest.id))) as Response

      expect([patched.status, added.status]).toEqual([204, 204])
      expect(members(seeded.portalGroupId)).toEqual([seeded.existingGuest.id])
    })

    it('lets a group owner change its members, and only that group', async () => {
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      tenant?.groups.get(seeded.portalGroupId)?.owners.add(seeded.inviter.id)
      const megan = graphClient(emulator, await delegatedToken(seeded.inviter.upn))

      await megan.api(`/groups/${seeded.portalGroupId}/members/$ref`).post(reference(seeded.existingGuest.id))
      const other = await graphFailure(
        megan.api(`/groups/${seeded.apolloGroupId}/members/$ref`).post(reference(seeded.existingGuest.id)),
      )

      expect(members(seeded.portalGroupId)).toEqual([seeded.existingGuest.id])
      expect([other.statusCode, other.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it('refuses Megan inside $batch too, item by item', async () => {
      const token = await delegatedToken(seeded.inviter.upn)
      const response = await graphFetch(emulator, token, 'POST', '/$batch', {
        requests: [
          { id: 'read', method: 'GET', url: `/users/${seeded.existingGuest.id}?$select=id` },
          {
            id: 'patch',
            method: 'PATCH',
            url: `/users/${seeded.existingGuest.id}`,
            headers: { 'content-type': 'application/json' },
            body: { givenName: 'Grace' },
          },
        ],
      })
      const items = new Map((await batchItemsOf(response)).map((item: BatchItemAnswer) => [item.id, item]))

      expect(items.get('read')?.status).toBe(200)
      expect(items.get('patch')?.status).toBe(403)
      expect(itemError(items.get('patch'))).toMatchObject({
        code: 'Authorization_RequestDenied',
        message: DENIED,
      })
    })
  })

  describe("app-only: the BFF's least-privileged identity", () => {
    it('adds a guest to the groups its service principal owns, without GroupMember.ReadWrite.All', async () => {
      const token = await bffAppToken()
      const app = graphClient(emulator, token)

      await app.api(`/groups/${seeded.portalGroupId}/members/$ref`).post(reference(seeded.existingGuest.id))

      expect(members(seeded.portalGroupId)).toEqual([seeded.existingGuest.id])
      const roles = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).roles
      expect(roles).toEqual(['User.Invite.All', 'Directory.Read.All'])
    })

    it('is refused for a group it does not own', async () => {
      emulator.context.directory
        .tenant(seeded.contosoTenantId)
        ?.groups.get(seeded.apolloGroupId)
        ?.owners.clear()
      const app = graphClient(emulator, await bffAppToken())

      const error = await graphFailure(
        app.api(`/groups/${seeded.apolloGroupId}/members/$ref`).post(reference(seeded.existingGuest.id)),
      )

      expect([error.statusCode, error.code, error.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
    })

    it('updates and licenses a guest through its custom role on the Guests unit, but not a member', async () => {
      const app = graphClient(emulator, await bffAppToken())

      await app.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'Grace', usageLocation: 'US' })
      const licensed = await app
        .api(`/users/${seeded.existingGuest.id}/assignLicense`)
        .post({ addLicenses: [{ skuId: seeded.teamMembersSku.skuId }], removeLicenses: [] })
      const member = await graphFailure(app.api(`/users/${seeded.nonInviter.id}`).patch({ givenName: 'Lee' }))
      const upn = await graphFailure(
        app.api(`/users/${seeded.existingGuest.id}`).patch({ userPrincipalName: 'grace@contoso.example' }),
      )

      expect(licensed).toMatchObject({ id: seeded.existingGuest.id })
      expect([member.statusCode, member.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([upn.statusCode, upn.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it('cannot use its unit-scoped role without a directory read permission', async () => {
      const noRead = graphClient(emulator, await graphToken(emulator, { roles: ['User.Invite.All'] }))
      const withRead = graphClient(emulator, await graphToken(emulator, { roles: ['User.Read.All'] }))

      const error = await graphFailure(
        noRead.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'G' }),
      )
      await withRead.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'Grace' })

      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it('refuses a new guest until dynamic membership has put it in the Guests unit, then allows it', async () => {
      emulator.context.faults.set({ dynamicMembershipDelayMs: 800 })
      const guestId = await inviteGuest('ada@fabrikam.example')
      const app = graphClient(emulator, await bffAppToken())

      const early = await graphFailure(app.api(`/users/${guestId}`).patch({ usageLocation: 'GB' }))
      const unit = await app
        .api(`/directory/administrativeUnits/${seeded.guestsUnitId}/members`)
        .select('id')
        .get()
      expect([early.statusCode, early.code, early.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect(unit.value.map((member: { id: string }) => member.id)).toEqual([seeded.existingGuest.id])

      await new Promise((resolve) => setTimeout(resolve, 900))

      await app.api(`/users/${guestId}`).patch({ usageLocation: 'GB' })
      const later = await app
        .api(`/directory/administrativeUnits/${seeded.guestsUnitId}/members`)
        .select('id')
        .get()
      expect(later.value.map((member: { id: string }) => member.id)).toEqual([
        seeded.existingGuest.id,
        guestId,
      ])
    })

    it('keeps a guest turned member in the unit until dynamic membership processes the change', async () => {
      emulator.context.faults.set({ dynamicMembershipDelayMs: 800 })
      const adele = graphClient(
        emulator,
        await graphToken(emulator, { user: seeded.admin.upn, scopes: ['User.ReadWrite.All'] }),
      )
      const app = graphClient(emulator, await bffAppToken())

      await adele.api(`/users/${seeded.existingGuest.id}`).patch({ userType: 'Member' })
      await app.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'Grace' })
      await new Promise((resolve) => setTimeout(resolve, 900))
      const error = await graphFailure(app.api(`/users/${seeded.existingGuest.id}`).patch({ givenName: 'G' }))

      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })

  describe('invitations follow allowInvitesFrom for delegated and app-only callers', () => {
    function setAllowInvitesFrom(value: 'none' | 'adminsAndGuestInviters'): void {
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      if (tenant) tenant.settings.allowInvitesFrom = value
    }

    it('refuses Lee (no role) where only admins and Guest Inviters may invite, and lets Megan', async () => {
      setAllowInvitesFrom('adminsAndGuestInviters')
      const lee = graphClient(emulator, await delegatedToken(seeded.nonInviter.upn))
      const megan = graphClient(emulator, await delegatedToken(seeded.inviter.upn))

      const error = await graphFailure(lee.api('/invitations').post(invitationFor('ada@fabrikam.example')))
      const invitation = await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      expect([error.statusCode, error.code, error.message]).toEqual([
        403,
        'Forbidden',
        GUEST_INVITES_NOT_ALLOWED,
      ])
      expect(invitation.status).toBe('PendingAcceptance')
    })

    it('lets Lee invite once a custom role holding users/inviteGuest is assigned to him tenant-wide', async () => {
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      if (!tenant) throw new Error('no Contoso')
      const roleId = '00000000-0000-4000-8000-0000000e0099'
      tenant.roleDefinitions.set(roleId, {
        id: roleId,
        displayName: 'Partner inviter',
        description: null,
        rolePermissions: ['microsoft.directory/users/inviteGuest'],
      })
      const lee = tenant.users.get(seeded.nonInviter.id)
      lee?.directoryRoles.push('Partner inviter')

      const invitation = await graphClient(emulator, await delegatedToken(seeded.nonInviter.upn))
        .api('/invitations')
        .post(invitationFor('ada@fabrikam.example'))

      expect(invitation.status).toBe('PendingAcceptance')
    })

    it('refuses app-only invitations too where nobody may invite (none)', async () => {
      setAllowInvitesFrom('none')
      const app = graphClient(emulator, await bffAppToken())

      const error = await graphFailure(app.api('/invitations').post(invitationFor('ada@fabrikam.example')))

      expect([error.statusCode, error.code, error.message]).toEqual([
        403,
        'Forbidden',
        GUEST_INVITES_NOT_ALLOWED,
      ])
      expect(emulator.context.directory.invitations.size).toBe(0)
    })

    it('lets an app whose service principal is a Guest Inviter invite without User.Invite.All', async () => {
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      const noPermission = graphClient(emulator, await graphToken(emulator, { roles: [] }))
      const refused = await graphFailure(
        noPermission.api('/invitations').post(invitationFor('ada@fabrikam.example')),
      )
      tenant?.roleAssignments.push(
        roleAssignmentRecord(
          servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId),
          '95e79109-95c0-4d8e-aee3-d01accf2d47b',
          '/',
        ),
      )

      const invitation = await noPermission.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect(invitation.status).toBe('PendingAcceptance')
    })
  })
})
