import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { graphClient, graphFailure, graphToken, invitationFor, inviterClient } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const METADATA = 'https://graph.microsoft.com/v1.0/$metadata'
const DENIED = 'Insufficient privileges to complete the operation.'
const WRITE = ['User.ReadWrite.All']

function reference(kind: 'users' | 'groups' | 'directoryObjects', id: string): { '@odata.id': string } {
  return { '@odata.id': `https://graph.microsoft.com/v1.0/${kind}/${id}` }
}

describe('Graph sponsors of guests (Graph JS SDK, https against the emulator)', () => {
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

  async function delegated(upn: string, scopes: string[] = WRITE): Promise<Client> {
    return graphClient(emulator, await graphToken(emulator, { user: upn, scopes }))
  }

  async function appOnly(roles: string[]): Promise<Client> {
    return graphClient(emulator, await graphToken(emulator, { roles }))
  }

  async function sponsorIds(client: Client, userId: string): Promise<string[]> {
    const page = await client.api(`/users/${userId}/sponsors`).select('id').get()
    return page.value.map((sponsor: { id: string }) => sponsor.id)
  }

  describe('POST /invitations stamps sponsors on the new guest', () => {
    it('makes the inviting user the sponsor when the invitation names none', async () => {
      const invitation = await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      const sponsors = await megan.api(`/users/${invitation.invitedUser.id}/sponsors`).get()

      expect(sponsors['@odata.context']).toBe(`${METADATA}#directoryObjects`)
      expect(sponsors.value).toEqual([
        expect.objectContaining({
          '@odata.type': '#microsoft.graph.user',
          id: seeded.inviter.id,
          displayName: 'Megan Bowen',
          userPrincipalName: seeded.inviter.upn,
        }),
      ])
    })

    it('keeps the users and groups invitedUserSponsors names instead', async () => {
      const invitation = await megan.api('/invitations').post(
        invitationFor('ada@fabrikam.example', {
          invitedUserSponsors: [{ id: seeded.admin.id }, { id: seeded.apolloGroupId }],
        }),
      )

      const sponsors = await megan
        .api(`/users/${invitation.invitedUser.id}/sponsors`)
        .select(['id', 'displayName'])
        .get()

      expect(sponsors).toEqual({
        '@odata.context': `${METADATA}#directoryObjects(id,displayName)`,
        value: [
          { '@odata.type': '#microsoft.graph.user', id: seeded.admin.id, displayName: 'Adele Vance' },
          {
            '@odata.type': '#microsoft.graph.group',
            id: seeded.apolloGroupId,
            displayName: 'Project Apollo partners',
          },
        ],
      })
    })

    it('stamps no sponsor for an app-only invitation', async () => {
      const app = await appOnly(['User.Invite.All', 'User.Read.All'])

      const invitation = await app.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      expect(await sponsorIds(app, invitation.invitedUser.id)).toEqual([])
    })

    it('leaves the sponsors of a guest invited again as they were', async () => {
      const first = await megan.api('/invitations').post(invitationFor('ada@fabrikam.example'))

      await megan
        .api('/invitations')
        .post(invitationFor('ada@fabrikam.example', { invitedUserSponsors: [{ id: seeded.admin.id }] }))

      expect(await sponsorIds(megan, first.invitedUser.id)).toEqual([seeded.inviter.id])
    })

    it('answers 404 for a sponsor that is no user or group, 400 for more than five or a malformed list', async () => {
      const missing = '00000000-0000-4000-8000-00000000dead'
      const six = Array.from({ length: 6 }, (_, index) => ({
        id: `00000000-0000-4000-8000-0000000a000${index}`,
      }))
      const invite = (sponsors: unknown) =>
        graphFailure(
          megan
            .api('/invitations')
            .post(invitationFor('ada@fabrikam.example', { invitedUserSponsors: sponsors })),
        )

      const unknown = await invite([{ id: seeded.admin.id }, { id: missing }])
      const tooMany = await invite(six)
      const malformed = await invite([seeded.admin.id])

      expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
      ])
      expect([tooMany.statusCode, tooMany.code, tooMany.message]).toEqual([
        400,
        'BadRequest',
        'A user can have at most 5 sponsors.',
      ])
      expect([malformed.statusCode, malformed.code, malformed.message]).toEqual([
        400,
        'BadRequest',
        "Invalid value specified for property 'invitedUserSponsors' of resource 'Invitation'.",
      ])
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      if (!tenant) throw new Error('no Contoso')
      expect(emulator.context.directory.userByEmail(tenant, 'ada@fabrikam.example')).toBeUndefined()
    })
  })

  describe('GET /users/{id}/sponsors', () => {
    it('shows group sponsors with limited information to an app that may not read groups', async () => {
      const invitation = await megan
        .api('/invitations')
        .post(invitationFor('ada@fabrikam.example', { invitedUserSponsors: [{ id: seeded.apolloGroupId }] }))

      const sponsors = await (await appOnly(['User.Read.All']))
        .api(`/users/${invitation.invitedUser.id}/sponsors`)
        .select(['id', 'displayName'])
        .get()

      expect(sponsors.value).toEqual([
        { '@odata.type': '#microsoft.graph.group', id: seeded.apolloGroupId, displayName: null },
      ])
    })

    it('needs a role reading sponsors for someone else, delegated; not for oneself', async () => {
      const lee = await delegated(seeded.nonInviter.upn, ['User.Read.All'])

      const other = await graphFailure(lee.api(`/users/${seeded.existingGuest.id}/sponsors`).get())
      const own = await lee.api(`/users/${seeded.nonInviter.id}/sponsors`).get()

      expect([other.statusCode, other.code, other.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect(own.value).toEqual([])
    })

    it('answers 403 to an app without a user-reading permission and 404 for an unknown user', async () => {
      const noPermission = await graphFailure(
        (await appOnly(['User.Invite.All'])).api(`/users/${seeded.existingGuest.id}/sponsors`).get(),
      )
      const unknown = await graphFailure(
        (await appOnly(['User.Read.All'])).api('/users/00000000-0000-4000-8000-00000000dead/sponsors').get(),
      )

      expect([noPermission.statusCode, noPermission.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([unknown.statusCode, unknown.code]).toEqual([404, 'Request_ResourceNotFound'])
    })
  })

  describe('POST /users/{id}/sponsors/$ref and DELETE /users/{id}/sponsors/{id}/$ref', () => {
    it('adds and removes sponsors (204) as a User Administrator', async () => {
      const adele = await delegated(seeded.admin.upn)
      const grace = seeded.existingGuest.id

      await adele.api(`/users/${grace}/sponsors/$ref`).post(reference('users', seeded.inviter.id))
      await adele.api(`/users/${grace}/sponsors/$ref`).post(reference('groups', seeded.portalGroupId))
      const added = await sponsorIds(adele, grace)
      await adele.api(`/users/${grace}/sponsors/${seeded.inviter.id}/$ref`).delete()

      expect(added).toEqual([seeded.inviter.id, seeded.portalGroupId])
      expect(await sponsorIds(adele, grace)).toEqual([seeded.portalGroupId])
    })

    it('refuses a sponsor twice, a sixth sponsor, an unknown object and a malformed reference', async () => {
      const adele = await delegated(seeded.admin.upn)
      const grace = seeded.existingGuest.id
      const add = (body: unknown) => adele.api(`/users/${grace}/sponsors/$ref`).post(body)
      for (const id of [
        seeded.inviter.id,
        seeded.admin.id,
        seeded.nonInviter.id,
        seeded.mfaUser.id,
        seeded.apolloGroupId,
      ]) {
        await add(reference('directoryObjects', id))
      }

      const twice = await graphFailure(add(reference('users', seeded.admin.id)))
      const sixth = await graphFailure(add(reference('groups', seeded.portalGroupId)))
      const unknown = await graphFailure(add(reference('users', '00000000-0000-4000-8000-00000000dead')))
      const malformed = await graphFailure(add({ '@odata.id': 'megan' }))

      expect([twice.statusCode, twice.code, twice.message]).toEqual([
        400,
        'Request_BadRequest',
        "One or more added object references already exist for the following modified properties: 'sponsors'.",
      ])
      expect([sixth.statusCode, sixth.code, sixth.message]).toEqual([
        400,
        'Request_BadRequest',
        'A user can have at most 5 sponsors.',
      ])
      expect([unknown.statusCode, unknown.code]).toEqual([404, 'Request_ResourceNotFound'])
      expect([malformed.statusCode, malformed.code, malformed.message]).toEqual([
        400,
        'Request_BadRequest',
        "Invalid object identifier 'megan'.",
      ])
    })

    it('refuses a Guest Inviter (no sponsors/update role) and answers 404 removing a non-sponsor', async () => {
      const adele = await delegated(seeded.admin.upn)

      const inviter = await graphFailure(
        megan
          .api(`/users/${seeded.existingGuest.id}/sponsors/$ref`)
          .post(reference('users', seeded.admin.id)),
      )
      const notSponsor = await graphFailure(
        adele.api(`/users/${seeded.existingGuest.id}/sponsors/${seeded.admin.id}/$ref`).delete(),
      )

      expect([inviter.statusCode, inviter.code, inviter.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect([notSponsor.statusCode, notSponsor.code]).toEqual([404, 'Request_ResourceNotFound'])
    })

    it('lets an app with User.ReadWrite.All change sponsors', async () => {
      const app = await appOnly(['User.ReadWrite.All'])

      await app
        .api(`/users/${seeded.existingGuest.id}/sponsors/$ref`)
        .post(reference('users', seeded.admin.id))

      expect(await sponsorIds(app, seeded.existingGuest.id)).toEqual([seeded.admin.id])
    })
  })
})
