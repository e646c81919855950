import { ResponseType } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { servicePrincipalId } from '../src/graph/service-principal-view.js'
import type { RunningEmulator } from '../src/index.js'
import { appGraphToken, BFF_APP_ROLES } from './graph-calls.js'
import { graphClient, graphFailure, graphToken, inviterClient } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const METADATA = 'https://graph.microsoft.com/v1.0/$metadata'
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('Graph service principals and delegated permission grants (Graph JS SDK)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  /** An app-only client of the seeded BFF holding the given application permissions. */
  async function appWith(roles: string[], clientId: string = seeded.bffClientId) {
    return graphClient(emulator, await appGraphToken(emulator, { roles, clientId }))
  }

  describe('GET /servicePrincipals(appId={appId})', () => {
    it('finds the service principal by its alternate key, narrowed by $select', async () => {
      const graph = await appWith(['Application.Read.All'])

      const sp = await graph.api(`/servicePrincipals(appId='${seeded.bffClientId}')`).select('id,appId').get()

      expect(sp).toEqual({
        '@odata.context': `${METADATA}#servicePrincipals(id,appId)/$entity`,
        id: servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId),
        appId: seeded.bffClientId,
      })
      expect(sp.id).toMatch(GUID)
    })

    it('answers the default property set without $select, and the same id every time', async () => {
      const graph = await appWith(['Directory.Read.All'])

      const first = await graph.api(`/servicePrincipals(appId='${seeded.unconsentedBffClientId}')`).get()
      emulator.context.directory.reset()
      const again = await graph.api(`/servicePrincipals(appId='${seeded.unconsentedBffClientId}')`).get()

      expect(first).toEqual({
        '@odata.context': `${METADATA}#servicePrincipals/$entity`,
        id: again.id,
        accountEnabled: true,
        appDisplayName: 'entra-share BFF (awaiting admin consent)',
        appId: seeded.unconsentedBffClientId,
        appOwnerOrganizationId: seeded.contosoTenantId,
        appRoleAssignmentRequired: false,
        displayName: 'entra-share BFF (awaiting admin consent)',
        servicePrincipalNames: [seeded.unconsentedBffClientId, `api://${seeded.unconsentedBffClientId}`],
        servicePrincipalType: 'Application',
        tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
        appRoles: [],
      })
    })

    it('gives each tenant its own service principal id for the same app', () => {
      expect(servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId)).not.toBe(
        servicePrincipalId(seeded.tailspinTenantId, seeded.bffClientId),
      )
    })

    it('lets an app read its own service principal with no permission, as Entra does', async () => {
      const graph = await appWith([])

      const own = await graph.api(`/servicePrincipals(appId='${seeded.bffClientId}')`).select('id').get()
      const other = await graphFailure(
        graph.api(`/servicePrincipals(appId='${seeded.unconsentedBffClientId}')`).get(),
      )

      expect(own.id).toBe(servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId))
      expect([other.statusCode, other.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it('answers 404 Request_ResourceNotFound for an app without a service principal in the tenant', async () => {
      const graph = await appWith(['Application.Read.All'])
      const unknown = '00000000-0000-4000-8000-00000000dead'

      const error = await graphFailure(graph.api(`/servicePrincipals(appId='${unknown}')`).get())

      expect([error.statusCode, error.code, error.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        `Resource '${unknown}' does not exist or one of its queried reference-property objects are not present.`,
      ])
    })

    it('refuses a delegated token without an application-reading permission', async () => {
      const megan = await inviterClient(emulator)

      const error = await graphFailure(megan.api(`/servicePrincipals(appId='${seeded.bffClientId}')`).get())

      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it('answers 400 for an unknown property in $select', async () => {
      const graph = await appWith(['Application.Read.All'])

      const error = await graphFailure(
        graph.api(`/servicePrincipals(appId='${seeded.bffClientId}')`).select('secret').get(),
      )

      expect([error.statusCode, error.code, error.message]).toEqual([
        400,
        'BadRequest',
        "Could not find a property named 'secret' on type 'microsoft.graph.servicePrincipal'.",
      ])
    })
  })

  describe('GET /servicePrincipals and /servicePrincipals/{id}', () => {
    it("filters by appId and includes Microsoft Graph's own service principal", async () => {
      const graph = await appWith(['Application.Read.All'])

      const bff = await graph
        .api('/servicePrincipals')
        .filter(`appId eq '${seeded.bffClientId}'`)
        .select('id,displayName')
        .get()
      const microsoftGraph = await graph.api('/servicePrincipals').filter(`appId eq '${GRAPH_APP_ID}'`).get()

      expect(bff).toEqual({
        '@odata.context': `${METADATA}#servicePrincipals(id,displayName)`,
        value: [
          {
            id: servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId),
            displayName: 'entra-share BFF',
          },
        ],
      })
      expect(microsoftGraph.value).toMatchObject([{ appId: GRAPH_APP_ID, displayName: 'Microsoft Graph' }])
    })

    it('reads one by object id', async () => {
      const graph = await appWith(['Application.Read.All'])
      const id = servicePrincipalId(seeded.contosoTenantId, seeded.spaClientId)

      const sp = await graph.api(`/servicePrincipals/${id}`).select('appId').get()

      expect(sp).toEqual({
        '@odata.context': `${METADATA}#servicePrincipals(appId)/$entity`,
        appId: seeded.spaClientId,
      })
    })

    it('refuses to list without a permission, and refuses filters Graph does not support', async () => {
      const none = await graphFailure((await appWith([])).api('/servicePrincipals').get())
      const graph = await appWith(['Application.Read.All'])
      const unsupported = await graphFailure(graph.api('/servicePrincipals').filter("tags eq 'x'").get())
      const malformed = await graphFailure(graph.api('/servicePrincipals').filter('appId eq').get())

      expect([none.statusCode, none.code]).toEqual([403, 'Authorization_RequestDenied'])
      expect([unsupported.statusCode, unsupported.code]).toEqual([400, 'Request_UnsupportedQuery'])
      expect([malformed.statusCode, malformed.code]).toEqual([400, 'BadRequest'])
    })
  })

  describe('GET /oauth2PermissionGrants', () => {
    it('holds one AllPrincipals grant on Microsoft Graph with the admin-consented delegated scopes', async () => {
      const graph = await appWith(['Directory.Read.All'])
      const clientId = servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId)

      const grants = await graph.api('/oauth2PermissionGrants').filter(`clientId eq '${clientId}'`).get()

      expect(grants['@odata.context']).toBe(`${METADATA}#oauth2PermissionGrants`)
      expect(grants.value).toEqual([
        {
          clientId,
          consentType: 'AllPrincipals',
          id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          principalId: null,
          resourceId: servicePrincipalId(seeded.contosoTenantId, GRAPH_APP_ID),
          scope:
            'User.Read User.Invite.All User.ReadWrite.All GroupMember.ReadWrite.All AppRoleAssignment.ReadWrite.All',
        },
      ])
    })

    it('leaves out permissions still awaiting admin consent', async () => {
      const graph = await appWith(['Directory.Read.All'])
      const clientId = servicePrincipalId(seeded.contosoTenantId, seeded.unconsentedBffClientId)

      const grants = await graph
        .api('/oauth2PermissionGrants')
        .filter(`clientId eq '${clientId}' and consentType eq 'AllPrincipals'`)
        .select('consentType,scope')
        .get()

      expect(grants).toEqual({
        '@odata.context': `${METADATA}#oauth2PermissionGrants(consentType,scope)`,
        value: [{ consentType: 'AllPrincipals', scope: 'User.Read' }],
      })
    })

    it('finds no grant for an app with no admin-consented delegated permission', async () => {
      const graph = await appWith(['Directory.Read.All'])
      const spa = servicePrincipalId(seeded.contosoTenantId, seeded.spaClientId)

      const grants = await graph.api('/oauth2PermissionGrants').filter(`clientId eq '${spa}'`).get()

      expect(grants.value).toEqual([])
    })

    it('needs Directory.Read.All: Application.Read.All is not enough, as in Graph', async () => {
      const readApps = await graphFailure(
        (await appWith(['Application.Read.All'])).api('/oauth2PermissionGrants').get(),
      )
      const writer = await graphFailure(
        (await appWith(['User.Invite.All', 'User.ReadWrite.All', 'GroupMember.ReadWrite.All']))
          .api('/oauth2PermissionGrants')
          .get(),
      )

      expect([readApps.statusCode, readApps.code, readApps.message]).toEqual([
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      ])
      expect(writer.statusCode).toBe(403)
    })
  })

  describe('GET /groups/{id}', () => {
    it("reads a group with $select, with the BFF's Directory.Read.All", async () => {
      const graph = await appWith(BFF_APP_ROLES)

      const group = await graph.api(`/groups/${seeded.apolloGroupId}`).select('id,displayName').get()

      expect(group).toEqual({
        '@odata.context': `${METADATA}#groups(id,displayName)/$entity`,
        id: seeded.apolloGroupId,
        displayName: 'Project Apollo partners',
      })
    })

    it("answers Graph's default group properties and 404 for an unknown id", async () => {
      const megan = await inviterClient(emulator)
      const unknown = '00000000-0000-4000-8000-00000000dead'

      const group = await megan.api(`/groups/${seeded.portalGroupId}`).get()
      const error = await graphFailure(megan.api(`/groups/${unknown}`).get())

      expect(group).toEqual({
        '@odata.context': `${METADATA}#groups/$entity`,
        id: seeded.portalGroupId,
        description: null,
        displayName: 'Partner portal users',
        groupTypes: [],
        mail: null,
        mailEnabled: false,
        mailNickname: 'partner-portal',
        securityEnabled: true,
      })
      expect([error.statusCode, error.code]).toEqual([404, 'Request_ResourceNotFound'])
    })

    it('refuses a token without a group-reading permission', async () => {
      const token = await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Read'] })
      const response = (await graphClient(emulator, token)
        .api(`/groups/${seeded.apolloGroupId}`)
        .responseType(ResponseType.RAW)
        .get()) as Response

      expect(response.status).toBe(403)
      expect((await response.json()).error.code).toBe('Authorization_RequestDenied')
    })
  })
})
