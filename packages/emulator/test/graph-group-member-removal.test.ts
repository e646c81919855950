import { ResponseType } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { appGraphToken, graphErrorOf, graphFetch } from './graph-calls.js'
import { graphClient, graphFailure, graphToken } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const DENIED = 'Insufficient privileges to complete the operation.'
const UNKNOWN = '00000000-0000-4000-8000-00000000dead'
/** The BFF's delegated Graph permissions (the seed's admin-consented ones). */
const BFF_SCOPES = ['User.Read', 'User.Invite.All', 'User.ReadWrite.All', 'GroupMember.ReadWrite.All']

function notFound(id: string): string {
  return `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`
}

describe('DELETE /groups/{id}/members/{id}/$ref: who may remove a member (Graph JS SDK and fetch)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  function group(id: string) {
    const found = emulator.context.directory.tenant(seeded.contosoTenantId)?.groups.get(id)
    if (!found) throw new Error(`no group ${id}`)
    return found
  }

  function removal(groupId: string, memberId: string): string {
    return `/groups/${groupId}/members/${memberId}/$ref`
  }

  const delegated = async (upn: string, scopes = BFF_SCOPES) =>
    graphClient(emulator, await graphToken(emulator, { user: upn, scopes }))

  describe('delegated', () => {
    it('lets Adele (User Administrator) remove a member: 204, no body, and the member list no longer shows it', async () => {
      const adele = await delegated(seeded.admin.upn)

      const response = (await adele
        .api(removal(seeded.apolloGroupId, seeded.inviter.id))
        .responseType(ResponseType.RAW)
        .delete()) as Response
      const members = await adele.api(`/groups/${seeded.apolloGroupId}/members`).select('id').get()

      expect(response.status).toBe(204)
      expect(await response.text()).toBe('')
      expect(members.value).toEqual([])
      expect([...group(seeded.apolloGroupId).members]).toEqual([])
    })

    it('answers 404 Request_ResourceNotFound naming the user who is not a member, and the group that does not exist', async () => {
      const adele = await delegated(seeded.admin.upn)

      const notMember = await graphFailure(
        adele.api(removal(seeded.apolloGroupId, seeded.nonInviter.id)).delete(),
      )
      const noGroup = await graphFailure(adele.api(removal(UNKNOWN, seeded.inviter.id)).delete())

      expect([notMember.statusCode, notMember.code, notMember.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(seeded.nonInviter.id),
      ])
      expect([noGroup.statusCode, noGroup.code, noGroup.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(UNKNOWN),
      ])
      expect([...group(seeded.apolloGroupId).members]).toEqual([seeded.inviter.id])
    })

    it("refuses Megan (Guest Inviter, owns no group) with Graph's exact 403 body, though her token has GroupMember.ReadWrite.All", async () => {
      group(seeded.portalGroupId).members.add(seeded.existingGuest.id)
      const token = await graphToken(emulator, { user: seeded.inviter.upn, scopes: BFF_SCOPES })

      const response = await graphFetch(
        emulator,
        token,
        'DELETE',
        removal(seeded.portalGroupId, seeded.existingGuest.id),
      )

      expect(response.status).toBe(403)
      expect(await graphErrorOf(response)).toEqual({
        code: 'Authorization_RequestDenied',
        message: DENIED,
        innerError: {
          date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
          'request-id': response.headers.get('request-id'),
          'client-request-id': response.headers.get('client-request-id'),
        },
      })
      expect([...group(seeded.portalGroupId).members]).toEqual([seeded.existingGuest.id])
    })

    it('lets Megan remove members of a group she owns, and only of that group', async () => {
      group(seeded.portalGroupId).members.add(seeded.existingGuest.id)
      group(seeded.portalGroupId).owners.add(seeded.inviter.id)
      const megan = await delegated(seeded.inviter.upn)

      await megan.api(removal(seeded.portalGroupId, seeded.existingGuest.id)).delete()
      const other = await graphFailure(megan.api(removal(seeded.apolloGroupId, seeded.inviter.id)).delete())

      expect([...group(seeded.portalGroupId).members]).toEqual([])
      expect([other.statusCode, other.code, other.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
    })

    it('refuses a token without GroupMember.ReadWrite.All (or broader) before looking the group up', async () => {
      const adele = await delegated(seeded.admin.upn, ['User.Read', 'User.ReadWrite.All'])

      const known = await graphFailure(adele.api(removal(seeded.apolloGroupId, seeded.inviter.id)).delete())
      const unknown = await graphFailure(adele.api(removal(UNKNOWN, seeded.inviter.id)).delete())

      expect([known.statusCode, known.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([unknown.statusCode, unknown.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([...group(seeded.apolloGroupId).members]).toEqual([seeded.inviter.id])
    })

    it('accepts Group.ReadWrite.All and Directory.ReadWrite.All as broader permissions', async () => {
      const groupWriter = await delegated(seeded.admin.upn, ['Group.ReadWrite.All'])
      const directoryWriter = await delegated(seeded.admin.upn, ['Directory.ReadWrite.All'])
      group(seeded.apolloGroupId).members.add(seeded.nonInviter.id)

      await groupWriter.api(removal(seeded.apolloGroupId, seeded.inviter.id)).delete()
      await directoryWriter.api(removal(seeded.apolloGroupId, seeded.nonInviter.id)).delete()

      expect([...group(seeded.apolloGroupId).members]).toEqual([])
    })
  })

  describe('app-only', () => {
    it("removes a member of a group the BFF's service principal owns, without GroupMember.ReadWrite.All", async () => {
      group(seeded.portalGroupId).members.add(seeded.existingGuest.id)
      const app = graphClient(emulator, await appGraphToken(emulator))

      await app.api(removal(seeded.portalGroupId, seeded.existingGuest.id)).delete()

      expect([...group(seeded.portalGroupId).members]).toEqual([])
    })

    it('is refused for a group it does not own, unless it holds GroupMember.ReadWrite.All', async () => {
      group(seeded.apolloGroupId).owners.clear()
      const owner = graphClient(emulator, await appGraphToken(emulator))
      const permitted = graphClient(
        emulator,
        await appGraphToken(emulator, { roles: ['GroupMember.ReadWrite.All'] }),
      )

      const refused = await graphFailure(owner.api(removal(seeded.apolloGroupId, seeded.inviter.id)).delete())
      expect([...group(seeded.apolloGroupId).members]).toEqual([seeded.inviter.id])
      await permitted.api(removal(seeded.apolloGroupId, seeded.inviter.id)).delete()

      expect([refused.statusCode, refused.code, refused.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect([...group(seeded.apolloGroupId).members]).toEqual([])
    })
  })
})
