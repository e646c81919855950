import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { appClient, graphClient, graphFailure, graphToken } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

describe('transitive membership: checkMemberGroups and transitiveMembers through nested groups (Graph JS SDK)', () => {
  let emulator: RunningEmulator
  const approversId = randomUUID()

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.context.directory.reset()
    // "Apollo approvers" holds the Apollo group (Megan is a member of Apollo): Megan is an approver through nesting.
    const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
    tenant?.groups.set(approversId, {
      id: approversId,
      tenantId: seeded.contosoTenantId,
      displayName: 'Apollo approvers',
      description: null,
      mailNickname: 'apollo-approvers',
      securityEnabled: true,
      members: new Set([seeded.apolloGroupId]),
      owners: new Set(),
    })
  })

  it('checkMemberGroups answers the groups of the list the user is in, directly or through a nested group', async () => {
    const app = await appClient(emulator)
    const groupIds = [approversId, seeded.portalGroupId, seeded.apolloGroupId, randomUUID()]

    const megan = await app.api(`/users/${seeded.inviter.id}/checkMemberGroups`).post({ groupIds })
    const lee = await app.api(`/users/${seeded.nonInviter.id}/checkMemberGroups`).post({ groupIds })

    expect(megan).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)',
      value: [approversId, seeded.apolloGroupId],
    })
    expect(lee.value).toEqual([])
  })

  it('refuses more than 20 group ids, a token without a user and a group read permission, and an unknown user', async () => {
    const app = await appClient(emulator)
    const tooMany = await graphFailure(
      app
        .api(`/users/${seeded.inviter.id}/checkMemberGroups`)
        .post({ groupIds: Array.from({ length: 21 }, () => randomUUID()) }),
    )
    const usersOnly = graphClient(emulator, await graphToken(emulator, { roles: ['User.Read.All'] }))
    const denied = await graphFailure(
      usersOnly.api(`/users/${seeded.inviter.id}/checkMemberGroups`).post({ groupIds: [approversId] }),
    )
    const unknown = await graphFailure(
      app.api(`/users/${randomUUID()}/checkMemberGroups`).post({ groupIds: [approversId] }),
    )

    expect([tooMany.statusCode, tooMany.code]).toEqual([400, 'Request_BadRequest'])
    expect([denied.statusCode, denied.code]).toEqual([403, 'Authorization_RequestDenied'])
    expect([unknown.statusCode, unknown.code]).toEqual([404, 'Request_ResourceNotFound'])
  })

  it('transitiveMembers lists the nested group and its users once; members lists the nested group itself', async () => {
    const app = await appClient(emulator)

    const transitive = await app.api(`/groups/${approversId}/transitiveMembers`).select(['id', 'mail']).get()
    const direct = await app.api(`/groups/${approversId}/members`).select('id').get()

    expect(transitive.value).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: seeded.inviter.id, mail: 'megan@contoso.example' },
      { '@odata.type': '#microsoft.graph.group', id: seeded.apolloGroupId, mail: null },
    ])
    expect(direct.value).toEqual([{ '@odata.type': '#microsoft.graph.group', id: seeded.apolloGroupId }])
  })
})
