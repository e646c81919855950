import { type Client, ResponseType } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import type { DirectoryUser } from '../src/state/directory.js'
import { servicePrincipalId } from '../src/state/service-principal-id.js'
import { appGraphToken, graphErrorOf, graphFetch } from './graph-calls.js'
import { graphClient, graphFailure, graphToken } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const DENIED = 'Insufficient privileges to complete the operation.'
const UNKNOWN = '00000000-0000-4000-8000-00000000dead'
const METADATA = 'https://graph.microsoft.com/v1.0/$metadata'
const projectsSp = servicePrincipalId(seeded.contosoTenantId, seeded.projects.clientId)

function notFound(id: string): string {
  return `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`
}

describe('DELETE /users/{id} and the deleted items container (Graph JS SDK and fetch)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  function tenant() {
    const found = emulator.context.directory.tenant(seeded.contosoTenantId)
    if (!found) throw new Error('no Contoso')
    return found
  }

  function user(id: string): DirectoryUser {
    const found = tenant().users.get(id)
    if (!found) throw new Error(`no user ${id}`)
    return found
  }

  const delegated = async (upn: string, scopes: string[]) =>
    graphClient(emulator, await graphToken(emulator, { user: upn, scopes }))
  const adele = () => delegated(seeded.admin.upn, ['User.ReadWrite.All'])
  /** An app-only reader: the BFF's own application permissions (`Directory.Read.All`). */
  const reader = async (): Promise<Client> => graphClient(emulator, await appGraphToken(emulator))

  describe('soft deletion, listing, restore and permanent deletion', () => {
    it('deletes with 204; the user is then 404 and gone from lists, and listed in deleted items', async () => {
      const admin = await adele()
      const before = Date.now()

      const response = (await admin
        .api(`/users/${seeded.existingGuest.id}`)
        .responseType(ResponseType.RAW)
        .delete()) as Response
      const read = await graphFailure(admin.api(`/users/${seeded.existingGuest.id}`).get())
      const users = await admin.api('/users').select('id').get()
      const deleted = await admin.api('/directory/deletedItems/microsoft.graph.user').get()
      const selected = await admin
        .api('/directory/deletedItems/microsoft.graph.user')
        .select(['id', 'displayName', 'deletedDateTime'])
        .get()

      expect(response.status).toBe(204)
      expect(await response.text()).toBe('')
      expect([read.statusCode, read.code, read.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(seeded.existingGuest.id),
      ])
      expect(users.value.map((entry: { id: string }) => entry.id)).not.toContain(seeded.existingGuest.id)
      expect(deleted).toEqual({
        '@odata.context': `${METADATA}#users`,
        value: [
          {
            businessPhones: [],
            displayName: 'Grace Hopper',
            givenName: null,
            jobTitle: null,
            mail: seeded.existingGuest.mail,
            mobilePhone: null,
            officeLocation: null,
            preferredLanguage: null,
            surname: null,
            userPrincipalName: 'grace_northwind.example#EXT#@contoso.onmicrosoft.com',
            id: seeded.existingGuest.id,
          },
        ],
      })
      expect(selected['@odata.context']).toBe(`${METADATA}#users(id,displayName,deletedDateTime)`)
      expect(selected.value).toEqual([
        {
          id: seeded.existingGuest.id,
          displayName: 'Grace Hopper',
          deletedDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        },
      ])
      const deletedAt = Date.parse(selected.value[0].deletedDateTime)
      expect(deletedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
      expect(deletedAt).toBeLessThanOrEqual(Date.now())
    })

    it('reads one deleted item as a directoryObject of type user; unknown ids answer 404', async () => {
      const admin = await adele()
      await admin.api(`/users/${seeded.existingGuest.id}`).delete()

      const item = await admin.api(`/directory/deletedItems/${seeded.existingGuest.id}`).select('id').get()
      const active = await graphFailure(admin.api(`/directory/deletedItems/${seeded.nonInviter.id}`).get())
      const groups = await (await reader()).api('/directory/deletedItems/microsoft.graph.group').get()

      expect(item).toEqual({
        '@odata.context': `${METADATA}#directoryObjects(id)/$entity`,
        '@odata.type': '#microsoft.graph.user',
        id: seeded.existingGuest.id,
      })
      expect([active.statusCode, active.code, active.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(seeded.nonInviter.id),
      ])
      expect(groups).toEqual({ '@odata.context': `${METADATA}#groups`, value: [] })
    })

    it('takes a deleted user out of its groups and app role assignments, and gives them back on restore (200 with the user)', async () => {
      const admin = await adele()
      tenant().groups.get(seeded.apolloGroupId)?.members.add(seeded.nonInviter.id)
      const assignedTo = async () =>
        (await (await reader()).api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo`).get()).value.map(
          (assignment: { principalId: string }) => assignment.principalId,
        )
      const members = async () =>
        (await (await reader()).api(`/groups/${seeded.apolloGroupId}/members`).select('id').get()).value.map(
          (member: { id: string }) => member.id,
        )
      expect(await assignedTo()).toContain(seeded.nonInviter.id)

      await admin.api(`/users/${seeded.nonInviter.id}`).delete()
      const membersWhileDeleted = await members()
      const assignedWhileDeleted = await assignedTo()
      // No longer a member: removing the reference finds nothing (the BFF's service principal owns the group).
      const removal = await graphFailure(
        (await reader()).api(`/groups/${seeded.apolloGroupId}/members/${seeded.nonInviter.id}/$ref`).delete(),
      )
      const restored = await admin.api(`/directory/deletedItems/${seeded.nonInviter.id}/restore`).post({})

      expect(membersWhileDeleted).toEqual([seeded.inviter.id])
      expect([removal.statusCode, removal.code]).toEqual([404, 'Request_ResourceNotFound'])
      expect(assignedWhileDeleted).not.toContain(seeded.nonInviter.id)
      expect(restored).toEqual({
        '@odata.context': `${METADATA}#directoryObjects/$entity`,
        '@odata.type': '#microsoft.graph.user',
        businessPhones: [],
        displayName: 'Lee Gu',
        givenName: 'Lee',
        jobTitle: null,
        mail: 'lee@contoso.example',
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: null,
        surname: 'Gu',
        userPrincipalName: 'lee@contoso.example',
        id: seeded.nonInviter.id,
      })
      expect(await members()).toEqual([seeded.inviter.id, seeded.nonInviter.id])
      expect(await assignedTo()).toContain(seeded.nonInviter.id)
      expect((await admin.api(`/users/${seeded.nonInviter.id}`).select('id').get()).id).toBe(
        seeded.nonInviter.id,
      )
      expect((await admin.api('/directory/deletedItems/microsoft.graph.user').get()).value).toEqual([])
    })

    it('frees the licences of a deleted user and restores them even when no unit is left', async () => {
      const { directory } = emulator.context
      const sku = seeded.teamMembersSku.skuId
      directory.setPrepaidUnits(seeded.contosoTenantId, sku, 1)
      directory.updateUser(user(seeded.nonInviter.id), {
        assignedLicenses: [{ skuId: sku, disabledPlans: [] }],
      })
      const consumed = async () =>
        (
          await graphClient(emulator, await appGraphToken(emulator, { roles: ['Organization.Read.All'] }))
            .api(`/subscribedSkus/${seeded.contosoTenantId}_${sku}`)
            .get()
        ).consumedUnits
      const admin = await adele()

      await admin.api(`/users/${seeded.nonInviter.id}`).delete()
      const whileDeleted = await consumed()
      directory.updateUser(user(seeded.existingGuest.id), {
        assignedLicenses: [{ skuId: sku, disabledPlans: [] }],
      })
      await admin.api(`/directory/deletedItems/${seeded.nonInviter.id}/restore`).post({})

      expect(whileDeleted).toBe(0)
      expect(await consumed()).toBe(2)
      expect(user(seeded.nonInviter.id).assignedLicenses).toEqual([{ skuId: sku, disabledPlans: [] }])
    })

    it('deletes for good from deleted items: 204, then restore and reads answer 404', async () => {
      const admin = await adele()
      await admin.api(`/users/${seeded.existingGuest.id}`).delete()

      const response = (await admin
        .api(`/directory/deletedItems/${seeded.existingGuest.id}`)
        .responseType(ResponseType.RAW)
        .delete()) as Response
      const restore = await graphFailure(
        admin.api(`/directory/deletedItems/${seeded.existingGuest.id}/restore`).post({}),
      )
      const again = await graphFailure(
        admin.api(`/directory/deletedItems/${seeded.existingGuest.id}`).delete(),
      )

      expect(response.status).toBe(204)
      expect((await admin.api('/directory/deletedItems/microsoft.graph.user').get()).value).toEqual([])
      expect([restore.statusCode, restore.code, restore.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(seeded.existingGuest.id),
      ])
      expect([again.statusCode, again.code]).toEqual([404, 'Request_ResourceNotFound'])
    })

    it('answers 404 Request_ResourceNotFound for an unknown user, and for one already deleted', async () => {
      const admin = await adele()
      await admin.api(`/users/${seeded.existingGuest.id}`).delete()

      const unknown = await graphFailure(admin.api(`/users/${UNKNOWN}`).delete())
      const twice = await graphFailure(admin.api(`/users/${seeded.existingGuest.id}`).delete())

      expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        notFound(UNKNOWN),
      ])
      expect([twice.statusCode, twice.code]).toEqual([404, 'Request_ResourceNotFound'])
    })
  })

  describe('who may delete, restore and purge', () => {
    it("refuses Megan (Guest Inviter) with Graph's exact 403 body, though her token has User.ReadWrite.All", async () => {
      const token = await graphToken(emulator, {
        user: seeded.inviter.upn,
        scopes: ['User.ReadWrite.All', 'User.DeleteRestore.All'],
      })

      const response = await graphFetch(emulator, token, 'DELETE', `/users/${seeded.existingGuest.id}`)

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
      expect(user(seeded.existingGuest.id).id).toBe(seeded.existingGuest.id)
    })

    it('refuses Megan restoring and purging a user Adele deleted', async () => {
      await (await adele()).api(`/users/${seeded.existingGuest.id}`).delete()
      const megan = await delegated(seeded.inviter.upn, ['User.ReadWrite.All', 'User.DeleteRestore.All'])

      const restore = await graphFailure(
        megan.api(`/directory/deletedItems/${seeded.existingGuest.id}/restore`).post({}),
      )
      const purge = await graphFailure(
        megan.api(`/directory/deletedItems/${seeded.existingGuest.id}`).delete(),
      )

      expect([restore.statusCode, restore.code, restore.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect([purge.statusCode, purge.code, purge.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect(
        (await (await adele()).api('/directory/deletedItems/microsoft.graph.user').get()).value,
      ).toHaveLength(1)
    })

    it('does not count Directory.ReadWrite.All ("does not allow user or group deletion"); User.DeleteRestore.All does', async () => {
      const directoryWriter = await delegated(seeded.admin.upn, ['Directory.ReadWrite.All'])
      const deleteRestore = await delegated(seeded.admin.upn, ['User.DeleteRestore.All'])

      const refused = await graphFailure(directoryWriter.api(`/users/${UNKNOWN}`).delete())
      await deleteRestore.api(`/users/${seeded.existingGuest.id}`).delete()
      await deleteRestore.api(`/directory/deletedItems/${seeded.existingGuest.id}/restore`).post({})

      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect(user(seeded.existingGuest.id).id).toBe(seeded.existingGuest.id)
    })

    it('follows "Who can perform sensitive actions": only a privileged caller deletes and restores a Global Administrator', async () => {
      user(seeded.nonInviter.id).directoryRoles.push('Global Administrator')
      user(seeded.mfaUser.id).directoryRoles.push('Privileged Authentication Administrator')
      const userAdmin = await delegated(seeded.admin.upn, [
        'User.ReadWrite.All',
        'Directory.AccessAsUser.All',
      ])
      const privileged = await delegated(seeded.mfaUser.upn, [
        'User.ReadWrite.All',
        'Directory.AccessAsUser.All',
      ])
      const privilegedWithoutAccessAsUser = await delegated(seeded.mfaUser.upn, ['User.ReadWrite.All'])

      const byUserAdmin = await graphFailure(userAdmin.api(`/users/${seeded.nonInviter.id}`).delete())
      const withoutAccessAsUser = await graphFailure(
        privilegedWithoutAccessAsUser.api(`/users/${seeded.nonInviter.id}`).delete(),
      )
      await privileged.api(`/users/${seeded.nonInviter.id}`).delete()
      const restoreByUserAdmin = await graphFailure(
        userAdmin.api(`/directory/deletedItems/${seeded.nonInviter.id}/restore`).post({}),
      )
      await privileged.api(`/directory/deletedItems/${seeded.nonInviter.id}/restore`).post({})

      expect([byUserAdmin.statusCode, byUserAdmin.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([withoutAccessAsUser.statusCode, withoutAccessAsUser.code]).toEqual([
        403,
        'Authorization_RequestDenied',
      ])
      expect([restoreByUserAdmin.statusCode, restoreByUserAdmin.code]).toEqual([
        403,
        'Authorization_RequestDenied',
      ])
      expect(user(seeded.nonInviter.id).directoryRoles).toEqual(['Global Administrator'])
    })

    it('lets Adele (User Administrator) delete Megan (Guest Inviter), a role its column lists', async () => {
      await (await adele()).api(`/users/${seeded.inviter.id}`).delete()

      expect(tenant().users.has(seeded.inviter.id)).toBe(false)
    })

    it('app-only: User.DeleteRestore.All deletes, restores and purges a guest, but not a User Administrator', async () => {
      const app = graphClient(emulator, await appGraphToken(emulator, { roles: ['User.DeleteRestore.All'] }))

      await app.api(`/users/${seeded.existingGuest.id}`).delete()
      await app.api(`/directory/deletedItems/${seeded.existingGuest.id}/restore`).post({})
      await app.api(`/users/${seeded.existingGuest.id}`).delete()
      await app.api(`/directory/deletedItems/${seeded.existingGuest.id}`).delete()
      const admin = await graphFailure(app.api(`/users/${seeded.admin.id}`).delete())

      expect(tenant().users.has(seeded.existingGuest.id)).toBe(false)
      expect([admin.statusCode, admin.code, admin.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        DENIED,
      ])
      expect(tenant().users.has(seeded.admin.id)).toBe(true)
    })

    it('app-only: the BFF (User.Invite.All, Directory.Read.All) may not delete; User.ReadWrite.All may not purge', async () => {
      const bff = graphClient(emulator, await appGraphToken(emulator))
      const writer = graphClient(emulator, await appGraphToken(emulator, { roles: ['User.ReadWrite.All'] }))
      const directoryWriter = graphClient(
        emulator,
        await appGraphToken(emulator, { roles: ['Directory.ReadWrite.All'] }),
      )

      const byBff = await graphFailure(bff.api(`/users/${seeded.existingGuest.id}`).delete())
      const byDirectoryWriter = await graphFailure(
        directoryWriter.api(`/users/${seeded.existingGuest.id}`).delete(),
      )
      await writer.api(`/users/${seeded.existingGuest.id}`).delete()
      const purge = await graphFailure(
        writer.api(`/directory/deletedItems/${seeded.existingGuest.id}`).delete(),
      )

      expect([byBff.statusCode, byBff.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([byDirectoryWriter.statusCode, byDirectoryWriter.code]).toEqual([
        403,
        'Authorization_RequestDenied',
      ])
      expect([purge.statusCode, purge.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect(
        (await (await reader()).api('/directory/deletedItems/microsoft.graph.user').select('id').get()).value,
      ).toEqual([{ id: seeded.existingGuest.id }])
    })

    it('lists deleted users with User.Read.All, and refuses a token without a user-reading permission', async () => {
      await (await adele()).api(`/users/${seeded.existingGuest.id}`).delete()
      const withRead = await delegated(seeded.inviter.upn, ['User.Read.All'])
      const without = await delegated(seeded.inviter.upn, ['User.Read'])

      const listed = await withRead.api('/directory/deletedItems/microsoft.graph.user').select('id').get()
      const refused = await graphFailure(without.api('/directory/deletedItems/microsoft.graph.user').get())

      expect(listed.value).toEqual([{ id: seeded.existingGuest.id }])
      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })
})
