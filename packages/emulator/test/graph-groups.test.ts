import { type Client, ResponseType } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { adminClient, graphClient, graphFailure, graphToken, invitationFor } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const ALREADY_MEMBER =
  "One or more added object references already exist for the following modified properties: 'members'."

function notFound(id: string): string {
  return `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`
}

function reference(id: string, host = 'https://graph.microsoft.com'): { '@odata.id': string } {
  return { '@odata.id': `${host}/v1.0/directoryObjects/${id}` }
}

describe('Graph group membership (Graph JS SDK)', () => {
  let emulator: RunningEmulator
  let adele: Client

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
    adele = await adminClient(emulator)
  })

  function members(groupId: string): string[] {
    const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
    return [...(tenant?.groups.get(groupId)?.members ?? [])]
  }

  describe('POST /groups/{id}/members/$ref', () => {
    it('adds the member and answers 204 No Content', async () => {
      const response = (await adele
        .api(`/groups/${seeded.portalGroupId}/members/$ref`)
        .responseType(ResponseType.RAW)
        .post(reference(seeded.existingGuest.id))) as Response

      expect(response.status).toBe(204)
      expect(await response.text()).toBe('')
      expect(members(seeded.portalGroupId)).toEqual([seeded.existingGuest.id])
    })

    it("accepts an @odata.id on the emulator's own host", async () => {
      await adele
        .api(`/groups/${seeded.portalGroupId}/members/$ref`)
        .post(reference(seeded.existingGuest.id, emulator.url))

      expect(members(seeded.portalGroupId)).toEqual([seeded.existingGuest.id])
    })

    it('answers 400 Request_BadRequest when the user is already a member', async () => {
      const error = await graphFailure(
        adele.api(`/groups/${seeded.apolloGroupId}/members/$ref`).post(reference(seeded.inviter.id)),
      )

      expect([error.statusCode, error.code, error.message]).toEqual([
        400,
        'Request_BadRequest',
        ALREADY_MEMBER,
      ])
    })

    it('answers 404 Request_ResourceNotFound for an unknown group or member', async () => {
      const unknown = '00000000-0000-4000-8000-00000000dead'

      const noGroup = await graphFailure(
        adele.api(`/groups/${unknown}/members/$ref`).post(reference(seeded.inviter.id)),
      )
      const noMember = await graphFailure(
        adele.api(`/groups/${seeded.portalGroupId}/members/$ref`).post(reference(unknown)),
      )

      expect([noGroup.statusCode, noGroup.code, noGroup.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(unknown),
      ])
      expect([noMember.statusCode, noMember.code, noMember.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(unknown),
      ])
    })

    it('answers 400 to an @odata.id that is not a directory object URL', async () => {
      const error = await graphFailure(
        adele
          .api(`/groups/${seeded.portalGroupId}/members/$ref`)
          .post({ '@odata.id': seeded.existingGuest.id }),
      )

      expect([error.statusCode, error.code]).toEqual([400, 'Request_BadRequest'])
      expect(error.message).toBe(`Invalid object identifier '${seeded.existingGuest.id}'.`)
    })

    it('answers 404 for a guest still replicating, then 204 once the delay has passed', async () => {
      emulator.context.faults.set({ replicationDelayMs: 1000 })
      const invitation = await adele.api('/invitations').post(invitationFor('ada@fabrikam.example'))
      const guestId: string = invitation.invitedUser.id

      const early = await graphFailure(
        adele.api(`/groups/${seeded.portalGroupId}/members/$ref`).post(reference(guestId)),
      )
      expect([early.statusCode, early.code, early.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(guestId),
      ])

      await new Promise((resolve) => setTimeout(resolve, 1100))
      await adele.api(`/groups/${seeded.portalGroupId}/members/$ref`).post(reference(guestId))
      expect(members(seeded.portalGroupId)).toEqual([guestId])
    })

    it('needs GroupMember.ReadWrite.All (or broader)', async () => {
      const inviteOnly = graphClient(
        emulator,
        await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Invite.All'] }),
      )

      const error = await graphFailure(
        inviteOnly
          .api(`/groups/${seeded.portalGroupId}/members/$ref`)
          .post(reference(seeded.existingGuest.id)),
      )

      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect(members(seeded.portalGroupId)).toEqual([])
    })
  })

  describe('GET /groups/{id}/members', () => {
    it('lists members as directory objects', async () => {
      const result = await adele
        .api(`/groups/${seeded.apolloGroupId}/members`)
        .select(['id', 'displayName'])
        .get()

      expect(result).toEqual({
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id,displayName)',
        value: [
          { '@odata.type': '#microsoft.graph.user', id: seeded.inviter.id, displayName: 'Megan Bowen' },
        ],
      })
    })
  })

  describe('DELETE /groups/{id}/members/{id}/$ref', () => {
    it('removes a member with 204, then answers 404 for a user who is not a member', async () => {
      await adele.api(`/groups/${seeded.apolloGroupId}/members/${seeded.inviter.id}/$ref`).delete()
      const again = await graphFailure(
        adele.api(`/groups/${seeded.apolloGroupId}/members/${seeded.inviter.id}/$ref`).delete(),
      )

      expect(members(seeded.apolloGroupId)).toEqual([])
      expect([again.statusCode, again.code]).toEqual([404, 'Request_ResourceNotFound'])
    })
  })
})
