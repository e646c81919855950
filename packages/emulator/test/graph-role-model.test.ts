import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { servicePrincipalId } from '../src/state/service-principal-id.js'
import { appGraphToken } from './graph-calls.js'
import { graphClient, graphFailure, graphToken } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const METADATA = 'https://graph.microsoft.com/v1.0/$metadata'
const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b'
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1'

describe('reading the role model: owners, role assignments and definitions, administrative units', () => {
  let emulator: RunningEmulator
  const bffServicePrincipal = servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId)

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  /** The seeded BFF's app identity: `User.Invite.All` and `Directory.Read.All`. */
  async function bffApp() {
    return graphClient(emulator, await appGraphToken(emulator))
  }

  describe('GET /groups/{id}/owners', () => {
    it("lists the BFF's service principal as a directoryObject, with $select", async () => {
      const owners = await (await bffApp())
        .api(`/groups/${seeded.apolloGroupId}/owners`)
        .select('id,appId,displayName')
        .get()

      expect(owners).toEqual({
        '@odata.context': `${METADATA}#directoryObjects(id,appId,displayName)`,
        value: [
          {
            '@odata.type': '#microsoft.graph.servicePrincipal',
            id: bffServicePrincipal,
            appId: seeded.bffClientId,
            displayName: 'entra-share BFF',
          },
        ],
      })
    })

    it('lists user owners as users, and service principals with limited information to a caller who may not read them', async () => {
      emulator.context.directory
        .tenant(seeded.contosoTenantId)
        ?.groups.get(seeded.apolloGroupId)
        ?.owners.add(seeded.admin.id)
      const membersReader = graphClient(
        emulator,
        await appGraphToken(emulator, { roles: ['GroupMember.Read.All'] }),
      )

      const owners = await membersReader
        .api(`/groups/${seeded.apolloGroupId}/owners`)
        .select('id,displayName')
        .get()

      expect(owners.value).toEqual([
        { '@odata.type': '#microsoft.graph.user', id: seeded.admin.id, displayName: 'Adele Vance' },
        { '@odata.type': '#microsoft.graph.servicePrincipal', id: bffServicePrincipal, displayName: null },
      ])
    })

    it('needs a group-reading permission and answers 404 for an unknown group', async () => {
      const inviteOnly = graphClient(emulator, await appGraphToken(emulator, { roles: ['User.Invite.All'] }))
      const refused = await graphFailure(inviteOnly.api(`/groups/${seeded.apolloGroupId}/owners`).get())
      const missing = await graphFailure(
        (await bffApp()).api('/groups/00000000-0000-4000-8000-00000000dead/owners').get(),
      )

      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound'])
    })
  })

  describe('GET /roleManagement/directory/roleAssignments', () => {
    it("finds the BFF's service principal's unit-scoped assignment with $filter, expanding its definition", async () => {
      const result = await (await bffApp())
        .api('/roleManagement/directory/roleAssignments')
        .filter(`principalId eq '${bffServicePrincipal}'`)
        .expand('roleDefinition')
        .get()

      expect(result).toEqual({
        '@odata.context': `${METADATA}#roleManagement/directory/roleAssignments(roleDefinition())`,
        value: [
          {
            id: expect.stringMatching(/^[A-Za-z0-9_-]+-1$/),
            principalId: bffServicePrincipal,
            resourceScope: `/administrativeUnits/${seeded.guestsUnitId}`,
            directoryScopeId: `/administrativeUnits/${seeded.guestsUnitId}`,
            roleDefinitionId: seeded.guestProfileWriterRoleId,
            roleDefinition: {
              id: seeded.guestProfileWriterRoleId,
              description: "Completes invited guests' profiles and licenses",
              displayName: 'Guest profile writer',
              isBuiltIn: false,
              isEnabled: true,
              resourceScopes: ['/'],
              templateId: seeded.guestProfileWriterRoleId,
              version: null,
              rolePermissions: [
                {
                  allowedResourceActions: [
                    'microsoft.directory/users/basic/update',
                    'microsoft.directory/users/usageLocation/update',
                    'microsoft.directory/users/assignLicense',
                  ],
                  condition: null,
                },
              ],
            },
          },
        ],
      })
    })

    it("shows users' tenant-wide roles with Entra's assignment ids", async () => {
      const result = await (await bffApp())
        .api('/roleManagement/directory/roleAssignments')
        .filter(`principalId eq '${seeded.inviter.id}'`)
        .get()

      expect(result.value).toEqual([
        {
          // The role's and the principal's GUID bytes, base64url, then -1 — as Entra writes tenant-wide assignments.
          id: `${Buffer.concat([guidBytes(GUEST_INVITER), guidBytes(seeded.inviter.id)]).toString('base64url')}-1`,
          principalId: seeded.inviter.id,
          resourceScope: '/',
          directoryScopeId: '/',
          roleDefinitionId: GUEST_INVITER,
        },
      ])
    })

    it('needs a role-reading role for delegated callers, whatever the scope says', async () => {
      const scopes = ['RoleManagement.Read.Directory']
      const megan = graphClient(emulator, await graphToken(emulator, { user: seeded.inviter.upn, scopes }))
      const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
      tenant?.users.get(seeded.admin.id)?.directoryRoles.push('Directory Readers')
      const adele = graphClient(emulator, await graphToken(emulator, { user: seeded.admin.upn, scopes }))

      const refused = await graphFailure(megan.api('/roleManagement/directory/roleAssignments').get())
      const listed = await adele
        .api('/roleManagement/directory/roleAssignments')
        .filter(`roleDefinitionId eq '${USER_ADMINISTRATOR}'`)
        .get()

      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect(listed.value.map((assignment: { principalId: string }) => assignment.principalId)).toEqual([
        seeded.admin.id,
      ])
    })
  })

  describe('GET /roleManagement/directory/roleDefinitions/{id}', () => {
    it('returns a built-in role by template id, with the permissions the emulator models', async () => {
      const role = await (await bffApp())
        .api(`/roleManagement/directory/roleDefinitions/${GUEST_INVITER}`)
        .get()

      expect(role).toEqual({
        '@odata.context': `${METADATA}#roleManagement/directory/roleDefinitions/$entity`,
        id: GUEST_INVITER,
        description: "Can invite guest users independent of the 'members can invite guests' setting.",
        displayName: 'Guest Inviter',
        isBuiltIn: true,
        isEnabled: true,
        resourceScopes: ['/'],
        templateId: GUEST_INVITER,
        version: '1',
        rolePermissions: [
          {
            allowedResourceActions: [
              'microsoft.directory/users/appRoleAssignments/read',
              'microsoft.directory/users/inviteGuest',
              'microsoft.directory/users/sponsors/read',
              'microsoft.directory/users/standard/read',
            ],
            condition: null,
          },
        ],
      })
    })

    it('answers 404 for an unknown id and 403 without a role-management read permission', async () => {
      const missing = await graphFailure(
        (await bffApp())
          .api('/roleManagement/directory/roleDefinitions/00000000-0000-4000-8000-00000000dead')
          .get(),
      )
      const inviteOnly = graphClient(emulator, await appGraphToken(emulator, { roles: ['User.Invite.All'] }))
      const refused = await graphFailure(
        inviteOnly.api(`/roleManagement/directory/roleDefinitions/${GUEST_INVITER}`).get(),
      )

      expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound'])
      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })

  describe('GET /directory/administrativeUnits/{id}', () => {
    it('returns the dynamic Guests unit with its rule and processing state', async () => {
      const unit = await (await bffApp()).api(`/directory/administrativeUnits/${seeded.guestsUnitId}`).get()

      expect(unit).toEqual({
        '@odata.context': `${METADATA}#directory/administrativeUnits/$entity`,
        id: seeded.guestsUnitId,
        deletedDateTime: null,
        displayName: 'Guests',
        description: 'Every guest of the directory',
        isMemberManagementRestricted: null,
        visibility: null,
        membershipRule: '(user.userType -eq "Guest")',
        membershipType: 'Dynamic',
        membershipRuleProcessingState: 'On',
      })
    })

    it('supports $select and needs AdministrativeUnit.Read.All or Directory.Read.All', async () => {
      const unitReader = graphClient(
        emulator,
        await appGraphToken(emulator, { roles: ['AdministrativeUnit.Read.All'] }),
      )
      const inviteOnly = graphClient(emulator, await appGraphToken(emulator, { roles: ['User.Invite.All'] }))

      const unit = await unitReader
        .api(`/directory/administrativeUnits/${seeded.guestsUnitId}`)
        .select('displayName,membershipType')
        .get()
      const refused = await graphFailure(
        inviteOnly.api(`/directory/administrativeUnits/${seeded.guestsUnitId}`).get(),
      )

      expect(unit).toEqual({
        '@odata.context': `${METADATA}#directory/administrativeUnits(displayName,membershipType)/$entity`,
        displayName: 'Guests',
        membershipType: 'Dynamic',
      })
      expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })
})

/** A GUID's bytes in .NET order (the first three fields little-endian). */
function guidBytes(guid: string): Buffer {
  const bytes = Buffer.from(guid.replaceAll('-', ''), 'hex')
  bytes.subarray(0, 4).reverse()
  bytes.subarray(4, 6).reverse()
  bytes.subarray(6, 8).reverse()
  return bytes
}
