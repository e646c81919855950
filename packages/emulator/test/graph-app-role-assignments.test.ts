import { ConfidentialClientApplication } from '@azure/msal-node'
import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defaultSeed, parseSeed, type RunningEmulator, type Seed } from '../src/index.js'
import { servicePrincipalId } from '../src/state/service-principal-id.js'
import { signInToSpa } from '../src/testing/sign-in.js'
import { batchItemsOf, graphFetch, itemError } from './graph-calls.js'
import { graphClient, graphFailure, graphToken } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const METADATA = 'https://graph.microsoft.com/v1.0/$metadata'
const ASSIGN = ['AppRoleAssignment.ReadWrite.All']
const DENIED = 'Insufficient privileges to complete the operation.'
const ALREADY_ASSIGNED = 'Permission being assigned already exists on the object.'
const ROLE_NOT_FOUND = 'Permission being assigned was not found on application.'
const DEFAULT_ACCESS = '00000000-0000-0000-0000-000000000000'
/** 32 bytes, base64url: the principal's object id bytes, then 16 more (Entra's assignment id shape). */
const ASSIGNMENT_ID = /^[A-Za-z0-9_-]{43}$/
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

const { projects } = seeded
const projectsSp = servicePrincipalId(seeded.contosoTenantId, projects.clientId)
const bffSp = servicePrincipalId(seeded.contosoTenantId, seeded.bffClientId)
const spaSp = servicePrincipalId(seeded.contosoTenantId, seeded.spaClientId)
const apolloGroupId = seeded.apolloGroupId

/** The first 16 bytes of an assignment id, as a GUID in .NET byte order: the assigned principal's object id. */
function principalOfAssignmentId(id: string): string {
  const bytes = Buffer.from(id, 'base64url').subarray(0, 16)
  const hex = Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8),
  ]).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

describe('Graph app role assignments (Graph JS SDK, https against the emulator)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })

  async function delegated(upn: string, scopes: string[] = ASSIGN): Promise<Client> {
    return graphClient(emulator, await graphToken(emulator, { user: upn, scopes }))
  }

  async function appOnly(roles: string[]): Promise<Client> {
    return graphClient(emulator, await graphToken(emulator, { roles }))
  }

  function contributorFor(userId: string, appRoleId: string = projects.contributorRoleId) {
    return { principalId: userId, resourceId: projectsSp, appRoleId }
  }

  describe("the LOB app's enterprise application", () => {
    it('shows its app roles and that assignment is required', async () => {
      const sp = await (await appOnly(['Application.Read.All']))
        .api(`/servicePrincipals(appId='${projects.clientId}')`)
        .select(['id', 'appRoleAssignmentRequired', 'appRoles'])
        .get()

      expect(sp).toEqual({
        '@odata.context': `${METADATA}#servicePrincipals(id,appRoleAssignmentRequired,appRoles)/$entity`,
        id: projectsSp,
        appRoleAssignmentRequired: true,
        appRoles: [
          {
            allowedMemberTypes: ['User'],
            description: 'Edits the projects shared with them',
            displayName: 'Project contributor',
            id: projects.contributorRoleId,
            isEnabled: true,
            origin: 'Application',
            value: 'Project.Contributor',
          },
          {
            allowedMemberTypes: ['User'],
            description: 'Reads the projects shared with them',
            displayName: 'Project reader',
            id: projects.readerRoleId,
            isEnabled: true,
            origin: 'Application',
            value: 'Project.Reader',
          },
        ],
      })
    })
  })

  describe('POST /users/{id}/appRoleAssignments', () => {
    it('answers 201 with the appRoleAssignment as Graph v1.0 documents it', async () => {
      const adele = await delegated(seeded.admin.upn)

      const assignment = await adele
        .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
        .post(contributorFor(seeded.inviter.id))

      expect(assignment).toEqual({
        '@odata.context': `${METADATA}#users('${seeded.inviter.id}')/appRoleAssignments/$entity`,
        id: expect.stringMatching(ASSIGNMENT_ID),
        deletedDateTime: null,
        appRoleId: projects.contributorRoleId,
        createdDateTime: expect.stringMatching(ISO_TIME),
        principalDisplayName: 'Megan Bowen',
        principalId: seeded.inviter.id,
        principalType: 'User',
        resourceDisplayName: 'Contoso Projects',
        resourceId: projectsSp,
      })
      expect(principalOfAssignmentId(assignment.id)).toBe(seeded.inviter.id)
    })

    it('refuses the same assignment twice with 400 Request_BadRequest', async () => {
      const adele = await delegated(seeded.admin.upn)
      await adele
        .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
        .post(contributorFor(seeded.inviter.id))

      const again = await graphFailure(
        adele.api(`/users/${seeded.inviter.id}/appRoleAssignments`).post(contributorFor(seeded.inviter.id)),
      )
      const seededAlready = await graphFailure(
        adele
          .api(`/users/${seeded.nonInviter.id}/appRoleAssignments`)
          .post(contributorFor(seeded.nonInviter.id, projects.readerRoleId)),
      )

      expect([again.statusCode, again.code, again.message]).toEqual([
        400,
        'Request_BadRequest',
        ALREADY_ASSIGNED,
      ])
      expect([seededAlready.statusCode, seededAlready.message]).toEqual([400, ALREADY_ASSIGNED])
    })

    it('refuses an app role the resource does not declare for users with 400 Request_BadRequest', async () => {
      const adele = await delegated(seeded.admin.upn)
      const post = (body: Record<string, string>) =>
        graphFailure(adele.api(`/users/${seeded.inviter.id}/appRoleAssignments`).post(body))
      const sendAllRole = (
        await (
          await appOnly(['Application.Read.All'])
        )
          .api(`/servicePrincipals/${bffSp}`)
          .select('appRoles')
          .get()
      ).appRoles.find((role: { value: string }) => role.value === 'Invitations.Send.All').id

      const unknown = await post(contributorFor(seeded.inviter.id, '00000000-0000-4000-8000-00000000dead'))
      const applicationOnly = await post({
        principalId: seeded.inviter.id,
        resourceId: bffSp,
        appRoleId: sendAllRole,
      })
      const defaultAccessWhereRolesExist = await post(contributorFor(seeded.inviter.id, DEFAULT_ACCESS))

      for (const error of [unknown, applicationOnly, defaultAccessWhereRolesExist]) {
        expect([error.statusCode, error.code, error.message]).toEqual([
          400,
          'Request_BadRequest',
          ROLE_NOT_FOUND,
        ])
      }
    })

    it('assigns default access (the all-zero app role id) on an app without app roles', async () => {
      const adele = await delegated(seeded.admin.upn)

      const assignment = await adele
        .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
        .post({ principalId: seeded.inviter.id, resourceId: spaSp })

      expect(assignment).toMatchObject({
        appRoleId: DEFAULT_ACCESS,
        resourceDisplayName: 'entra-share demo (SPA)',
      })
    })

    it('answers 404 Request_ResourceNotFound for an unknown resource or user, 400 for a malformed body', async () => {
      const adele = await delegated(seeded.admin.upn)
      const missing = '00000000-0000-4000-8000-00000000dead'

      const noResource = await graphFailure(
        adele.api(`/users/${seeded.inviter.id}/appRoleAssignments`).post({
          principalId: seeded.inviter.id,
          resourceId: missing,
          appRoleId: projects.contributorRoleId,
        }),
      )
      const noUser = await graphFailure(
        adele.api(`/users/${missing}/appRoleAssignments`).post(contributorFor(missing)),
      )
      const malformed = await graphFailure(
        adele
          .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
          .post({ principalId: seeded.inviter.id, resourceId: 'projects' }),
      )

      expect([noResource.statusCode, noResource.code, noResource.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
      ])
      expect([noUser.statusCode, noUser.code]).toEqual([404, 'Request_ResourceNotFound'])
      expect([malformed.statusCode, malformed.code, malformed.message]).toEqual([
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'resourceId' of resource 'AppRoleAssignment'.",
      ])
    })
  })

  it('answers inside $batch as the BFF sends it: 201, then 400 for the same assignment', async () => {
    const token = await graphToken(emulator, { roles: ['AppRoleAssignment.ReadWrite.All'] })
    const item = (id: string) => ({
      id,
      method: 'POST',
      url: `/users/${seeded.inviter.id}/appRoleAssignments`,
      headers: { 'content-type': 'application/json' },
      body: contributorFor(seeded.inviter.id),
    })

    const response = await graphFetch(emulator, token, 'POST', '/$batch', {
      requests: [item('1'), { ...item('2'), dependsOn: ['1'] }],
    })
    const [first, second] = await batchItemsOf(response)

    expect(response.status).toBe(200)
    expect([first?.id, first?.status]).toEqual(['1', 201])
    expect(first?.body).toMatchObject({
      principalId: seeded.inviter.id,
      appRoleId: projects.contributorRoleId,
    })
    expect([second?.id, second?.status, itemError(second)?.code, itemError(second)?.message]).toEqual([
      '2',
      400,
      'Request_BadRequest',
      ALREADY_ASSIGNED,
    ])
  })

  describe('who may assign', () => {
    it('refuses a member without a role or ownership, and a delegated token without AppRoleAssignment.ReadWrite.All', async () => {
      const lee = await delegated(seeded.nonInviter.upn)
      const adeleWithoutScope = await delegated(seeded.admin.upn, ['Directory.ReadWrite.All'])

      const noRole = await graphFailure(
        lee.api(`/users/${seeded.inviter.id}/appRoleAssignments`).post(contributorFor(seeded.inviter.id)),
      )
      const noScope = await graphFailure(
        adeleWithoutScope
          .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
          .post(contributorFor(seeded.inviter.id)),
      )

      for (const error of [noRole, noScope]) {
        expect([error.statusCode, error.code, error.message]).toEqual([
          403,
          'Authorization_RequestDenied',
          DENIED,
        ])
      }
    })

    it("lets Megan assign the roles of the enterprise application she owns, not another app's", async () => {
      const megan = await delegated(seeded.inviter.upn)
      const adminRole = (
        await (
          await appOnly(['Application.Read.All'])
        )
          .api(`/servicePrincipals/${bffSp}`)
          .select('appRoles')
          .get()
      ).appRoles.find((role: { value: string }) => role.value === 'Invitations.Admin').id

      const owned = await megan
        .api(`/users/${seeded.mfaUser.id}/appRoleAssignments`)
        .post(contributorFor(seeded.mfaUser.id))
      const notOwned = await graphFailure(
        megan
          .api(`/users/${seeded.mfaUser.id}/appRoleAssignments`)
          .post({ principalId: seeded.mfaUser.id, resourceId: bffSp, appRoleId: adminRole }),
      )

      expect(owned.principalDisplayName).toBe('Nestor Wilke')
      expect([notOwned.statusCode, notOwned.code]).toEqual([403, 'Authorization_RequestDenied'])
    })

    it('lets Lee assign once he holds Cloud Application Administrator', async () => {
      emulator.context.directory
        .tenant(seeded.contosoTenantId)
        ?.users.get(seeded.nonInviter.id)
        ?.directoryRoles.push('Cloud Application Administrator')
      const lee = await delegated(seeded.nonInviter.upn)

      const assignment = await lee
        .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
        .post(contributorFor(seeded.inviter.id))

      expect(assignment.principalId).toBe(seeded.inviter.id)
    })

    it('lets an app with AppRoleAssignment.ReadWrite.All assign; appRoleAssignedTo also needs Application.Read.All', async () => {
      const assignOnly = await appOnly(['AppRoleAssignment.ReadWrite.All'])
      const assignAndRead = await appOnly(['AppRoleAssignment.ReadWrite.All', 'Application.Read.All'])
      const inviteOnly = await appOnly(['User.Invite.All', 'Directory.Read.All'])

      const viaUser = await assignOnly
        .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
        .post(contributorFor(seeded.inviter.id))
      const viaResourceWithoutRead = await graphFailure(
        assignOnly
          .api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo`)
          .post(contributorFor(seeded.admin.id)),
      )
      const viaResource = await assignAndRead
        .api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo`)
        .post(contributorFor(seeded.admin.id))
      const withoutPermission = await graphFailure(
        inviteOnly
          .api(`/users/${seeded.mfaUser.id}/appRoleAssignments`)
          .post(contributorFor(seeded.mfaUser.id)),
      )

      expect(viaUser.principalId).toBe(seeded.inviter.id)
      expect(viaResource.principalId).toBe(seeded.admin.id)
      for (const error of [viaResourceWithoutRead, withoutPermission]) {
        expect([error.statusCode, error.code, error.message]).toEqual([
          403,
          'Authorization_RequestDenied',
          DENIED,
        ])
      }
    })
  })

  describe('POST /servicePrincipals/{id}/appRoleAssignedTo', () => {
    it('assigns a role to a group, also addressed by appId', async () => {
      const adele = await delegated(seeded.admin.upn, [...ASSIGN, 'Application.Read.All'])

      const assignment = await adele
        .api(`/servicePrincipals(appId='${projects.clientId}')/appRoleAssignedTo`)
        .post({ principalId: apolloGroupId, resourceId: projectsSp, appRoleId: projects.readerRoleId })

      expect(assignment).toEqual({
        '@odata.context': `${METADATA}#servicePrincipals(appId='${projects.clientId}')/appRoleAssignedTo/$entity`,
        id: expect.stringMatching(ASSIGNMENT_ID),
        deletedDateTime: null,
        appRoleId: projects.readerRoleId,
        createdDateTime: expect.stringMatching(ISO_TIME),
        principalDisplayName: 'Project Apollo partners',
        principalId: apolloGroupId,
        principalType: 'Group',
        resourceDisplayName: 'Contoso Projects',
        resourceId: projectsSp,
      })
    })

    it('lists the assignments of the resource and of a user (with their groups), with $filter and $select', async () => {
      const adele = await delegated(seeded.admin.upn, [
        ...ASSIGN,
        'Application.Read.All',
        'Directory.Read.All',
      ])
      await adele
        .api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo`)
        .post({ principalId: apolloGroupId, resourceId: projectsSp, appRoleId: projects.contributorRoleId })

      const assignedTo = await adele.api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo`).get()
      const megans = await adele
        .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
        .filter(`resourceId eq ${projectsSp}`)
        .select(['principalType', 'principalDisplayName', 'appRoleId'])
        .get()

      expect(assignedTo['@odata.context']).toBe(
        `${METADATA}#servicePrincipals('${projectsSp}')/appRoleAssignedTo`,
      )
      expect(
        assignedTo.value.map((assignment: { principalDisplayName: string; appRoleId: string }) => [
          assignment.principalDisplayName,
          assignment.appRoleId,
        ]),
      ).toEqual([
        ['Lee Gu', projects.readerRoleId],
        ['Project Apollo partners', projects.contributorRoleId],
      ])
      // Megan is a member of Project Apollo partners: the group's assignment is listed for her.
      expect(megans).toEqual({
        '@odata.context': `${METADATA}#users('${seeded.inviter.id}')/appRoleAssignments(principalType,principalDisplayName,appRoleId)`,
        value: [
          {
            principalType: 'Group',
            principalDisplayName: 'Project Apollo partners',
            appRoleId: projects.contributorRoleId,
          },
        ],
      })
    })

    it('refuses a resourceId other than the service principal addressed', async () => {
      const adele = await delegated(seeded.admin.upn, [...ASSIGN, 'Application.Read.All'])

      const error = await graphFailure(
        adele.api(`/servicePrincipals/${bffSp}/appRoleAssignedTo`).post(contributorFor(seeded.inviter.id)),
      )

      expect([error.statusCode, error.code]).toEqual([400, 'Request_BadRequest'])
    })

    it('needs a role that reads app role assignments to list them, delegated', async () => {
      const megan = await delegated(seeded.inviter.upn, [...ASSIGN, 'Application.Read.All'])

      // Guest Inviter reads users' app role assignments, not a resource's.
      const users = await megan.api(`/users/${seeded.nonInviter.id}/appRoleAssignments`).get()
      const resource = await graphFailure(
        megan.api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo`).get(),
      )

      expect(users.value).toHaveLength(1)
      expect([resource.statusCode, resource.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })

  describe('DELETE', () => {
    it('removes an assignment through the resource or through the user (204), then answers 404', async () => {
      const adele = await delegated(seeded.admin.upn, [
        ...ASSIGN,
        'Application.Read.All',
        'Directory.Read.All',
      ])
      const first = await adele
        .api(`/users/${seeded.inviter.id}/appRoleAssignments`)
        .post(contributorFor(seeded.inviter.id))
      const [lees] = (await adele.api(`/users/${seeded.nonInviter.id}/appRoleAssignments`).get()).value

      await adele.api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo/${first.id}`).delete()
      await adele.api(`/users/${seeded.nonInviter.id}/appRoleAssignments/${lees.id}`).delete()
      const gone = await graphFailure(
        adele.api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo/${first.id}`).delete(),
      )

      expect((await adele.api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo`).get()).value).toEqual([])
      expect([gone.statusCode, gone.code, gone.message]).toEqual([
        404,
        'Request_ResourceNotFound',
        `Resource '${first.id}' does not exist or one of its queried reference-property objects are not present.`,
      ])
    })

    it('refuses a caller who may not assign', async () => {
      const [lees] = (
        await (
          await delegated(seeded.admin.upn, ['Directory.Read.All'])
        )
          .api(`/users/${seeded.nonInviter.id}/appRoleAssignments`)
          .get()
      ).value
      const nestor = await delegated(seeded.mfaUser.upn)

      const error = await graphFailure(
        nestor.api(`/servicePrincipals/${projectsSp}/appRoleAssignedTo/${lees.id}`).delete(),
      )

      expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
    })
  })

  describe('the roles claim of the tokens Entra issues afterwards', () => {
    it("follows a user's assignments in the roles of the access tokens for the app", async () => {
      // Lee holds Project.Reader from the seed (the app requires assignment: only assigned users are asked about).
      const scope = `api://${projects.clientId}/Projects.Access`
      const adele = await delegated(seeded.admin.upn, [...ASSIGN, 'Directory.Read.All'])
      const rolesOfLee = async () =>
        claimsOf((await signInToSpa(emulator, seeded.nonInviter.upn, scope)).access_token).roles

      const seededRoles = await rolesOfLee()
      const contributor = await adele
        .api(`/users/${seeded.nonInviter.id}/appRoleAssignments`)
        .post(contributorFor(seeded.nonInviter.id))
      const both = await rolesOfLee()
      const reader = (await adele.api(`/users/${seeded.nonInviter.id}/appRoleAssignments`).get()).value.find(
        (assignment: { appRoleId: string }) => assignment.appRoleId === projects.readerRoleId,
      )
      await adele.api(`/users/${seeded.nonInviter.id}/appRoleAssignments/${reader.id}`).delete()
      const contributorOnly = await rolesOfLee()

      expect(seededRoles).toEqual(['Project.Reader'])
      expect(contributor.principalDisplayName).toBe('Lee Gu')
      expect(both).toEqual(['Project.Reader', 'Project.Contributor'])
      expect(contributorOnly).toEqual(['Project.Contributor'])
    })

    it("puts an application permission granted through appRoleAssignedTo in the client's app-only token", async () => {
      const { authority, knownAuthorities, authorityMetadata } = emulator.settings
      const client = new ConfidentialClientApplication({
        auth: {
          clientId: seeded.unconsentedBffClientId,
          clientSecret: seeded.unconsentedBffClientSecret,
          authority,
          knownAuthorities,
          authorityMetadata,
        },
      })
      const scopes = [`api://${seeded.bffClientId}/.default`]
      const adele = await delegated(seeded.admin.upn, [...ASSIGN, 'Application.Read.All'])
      const sendAll = (await adele.api(`/servicePrincipals/${bffSp}`).select('appRoles').get()).appRoles.find(
        (role: { value: string }) => role.value === 'Invitations.Send.All',
      )
      const clientSp = servicePrincipalId(seeded.contosoTenantId, seeded.unconsentedBffClientId)

      const before = await client.acquireTokenByClientCredential({ scopes, skipCache: true })
      await adele
        .api(`/servicePrincipals/${bffSp}/appRoleAssignedTo`)
        .post({ principalId: clientSp, resourceId: bffSp, appRoleId: sendAll.id })
      const after = await client.acquireTokenByClientCredential({ scopes, skipCache: true })

      expect(claimsOf(before?.accessToken ?? '').roles).toBeUndefined()
      expect(claimsOf(after?.accessToken ?? '').roles).toEqual(['Invitations.Send.All'])
    })
  })

  describe('seed', () => {
    function contosoProjects(seed: Seed) {
      const app = seed.tenants[0]?.applications.find((candidate) => candidate.clientId === projects.clientId)
      if (!app) throw new Error('no Contoso Projects in the default seed')
      return app
    }

    it('refuses an app role value declared twice and an owner who is not a user of the tenant', () => {
      const twice = structuredClone(defaultSeed)
      contosoProjects(twice).appRoles?.push({ value: 'Project.Reader', allowedMemberTypes: ['User'] })
      const stranger = structuredClone(defaultSeed)
      contosoProjects(stranger).owners = ['00000000-0000-4000-8000-00000000dead']

      expect(() => parseSeed(twice, 'seed.json')).toThrow(
        "seed.json: tenant Contoso: application Contoso Projects declares the app role value 'Project.Reader' twice",
      )
      expect(() => parseSeed(stranger, 'seed.json')).toThrow(
        'seed.json: tenant Contoso: application Contoso Projects lists owner 00000000-0000-4000-8000-00000000dead, which is not a user of the tenant',
      )
    })
  })
})
