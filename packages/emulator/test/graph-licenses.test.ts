import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defaultSeed, parseSeed, type RunningEmulator, type Seed } from '../src/index.js'
import {
  adminClient,
  appClient,
  graphClient,
  graphFailure,
  graphToken,
  invitationFor,
} from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

/** Contoso's Dynamics 365 Team Members subscription (25 units) and its Team Members service plan. */
const TEAM_MEMBERS = seeded.teamMembersSku.skuId
const TEAM_MEMBERS_PLAN = '6a54b05e-4fab-40e7-9828-428db3b336fa'
/** Contoso's Power BI Pro subscription: its single unit is Adele's. */
const POWER_BI_PRO = seeded.powerBiProSku.skuId
/** Microsoft 365 E3: a real SKU, but Contoso has no subscription to it. */
const NOT_SUBSCRIBED = '05e9a617-0261-4cee-bb44-138d3ef5d965'

const add = (skuId: string, disabledPlans: string[] = []) => ({
  addLicenses: [{ skuId, disabledPlans }],
  removeLicenses: [],
})

describe('POST /users/{id}/assignLicense (Graph JS SDK)', () => {
  let emulator: RunningEmulator
  let adele: Client

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.context.directory.reset()
    adele = await adminClient(emulator)
  })

  /** The tenant's subscriptions, read with `LicenseAssignment.Read.All` (Adele's BFF token has no such scope). */
  const subscribedSkus = async () =>
    graphClient(
      emulator,
      await graphToken(emulator, { user: seeded.admin.upn, scopes: ['LicenseAssignment.Read.All'] }),
    ).api('/subscribedSkus')
  const consumedUnits = async (skuId: string) => {
    const skus = await (await subscribedSkus()).get()
    return (skus.value as Array<{ skuId: string; consumedUnits: number }>).find((sku) => sku.skuId === skuId)
      ?.consumedUnits
  }

  it('fails for a new guest without usageLocation, then succeeds once usageLocation is set', async () => {
    const invitation = await adele.api('/invitations').post(invitationFor('ada@fabrikam.example'))
    const guestId: string = invitation.invitedUser.id
    const assignment = add(TEAM_MEMBERS, [TEAM_MEMBERS_PLAN])

    const error = await graphFailure(adele.api(`/users/${guestId}/assignLicense`).post(assignment))
    expect(error.statusCode).toBe(400)
    expect(error.code).toBe('Request_BadRequest')
    expect(error.message).toBe('License assignment cannot be done for user with invalid usage location.')

    await adele.api(`/users/${guestId}`).patch({ usageLocation: 'GB' })
    const user = await adele.api(`/users/${guestId}/assignLicense`).post(assignment)

    expect(user).toMatchObject({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: guestId,
      mail: 'ada@fabrikam.example',
    })
    const licensed = await adele.api(`/users/${guestId}`).select('assignedLicenses').get()
    expect(licensed.assignedLicenses).toEqual([{ skuId: TEAM_MEMBERS, disabledPlans: [TEAM_MEMBERS_PLAN] }])
    expect(await consumedUnits(TEAM_MEMBERS)).toBe(1)
  })

  it('removes a licence listed in removeLicenses, which frees its unit', async () => {
    await adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(add(TEAM_MEMBERS))
    expect(await consumedUnits(TEAM_MEMBERS)).toBe(1)
    await adele
      .api(`/users/${seeded.nonInviter.id}/assignLicense`)
      .post({ addLicenses: [], removeLicenses: [TEAM_MEMBERS] })

    const user = await adele.api(`/users/${seeded.nonInviter.id}`).select('assignedLicenses').get()
    expect(user.assignedLicenses).toEqual([])
    expect(await consumedUnits(TEAM_MEMBERS)).toBe(0)
  })

  it('refuses to remove a licence the user does not hold, changing nothing', async () => {
    const error = await graphFailure(
      adele
        .api(`/users/${seeded.nonInviter.id}/assignLicense`)
        .post({ addLicenses: [], removeLicenses: [TEAM_MEMBERS] }),
    )

    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'Request_BadRequest',
      'User does not have a corresponding license.',
    ])
    expect(await consumedUnits(TEAM_MEMBERS)).toBe(0)
  })

  it('refuses a SKU the tenant has no subscription for, to add or to remove', async () => {
    const added = await graphFailure(
      adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(add(NOT_SUBSCRIBED)),
    )
    const removed = await graphFailure(
      adele
        .api(`/users/${seeded.nonInviter.id}/assignLicense`)
        .post({ addLicenses: [], removeLicenses: [NOT_SUBSCRIBED.toUpperCase()] }),
    )

    for (const error of [added, removed]) {
      expect([error.statusCode, error.code, error.message]).toEqual([
        400,
        'Request_BadRequest',
        `License ${NOT_SUBSCRIBED} does not correspond to a valid company License.`,
      ])
    }
    const user = await adele.api(`/users/${seeded.nonInviter.id}`).select('assignedLicenses').get()
    expect(user.assignedLicenses).toEqual([])
  })

  it('refuses a licence when every unit is assigned, and assigns it once units are added', async () => {
    expect(await consumedUnits(POWER_BI_PRO)).toBe(1)

    const error = await graphFailure(
      adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(add(POWER_BI_PRO)),
    )
    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'Request_BadRequest',
      `Subscription with SKU ${POWER_BI_PRO} does not have any available licenses.`,
    ])
    const unlicensed = await adele.api(`/users/${seeded.nonInviter.id}`).select('assignedLicenses').get()
    expect(unlicensed.assignedLicenses).toEqual([])

    emulator.context.directory.setPrepaidUnits(seeded.contosoTenantId, POWER_BI_PRO, 2)
    await adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(add(POWER_BI_PRO))

    const licensed = await adele.api(`/users/${seeded.nonInviter.id}`).select('assignedLicenses').get()
    expect(licensed.assignedLicenses).toEqual([{ skuId: POWER_BI_PRO, disabledPlans: [] }])
    expect(await consumedUnits(POWER_BI_PRO)).toBe(2)
    // Both units are taken again.
    const third = await graphFailure(
      adele.api(`/users/${seeded.inviter.id}/assignLicense`).post(add(POWER_BI_PRO)),
    )
    expect(third.message).toBe(`Subscription with SKU ${POWER_BI_PRO} does not have any available licenses.`)
  })

  it('re-assigns a licence the user holds without a free unit, replacing its disabled plans', async () => {
    const user = await adele
      .api(`/users/${seeded.admin.id}/assignLicense`)
      .post(add(POWER_BI_PRO, ['70d33638-9c74-4d01-bfd3-562de28bd4ba']))

    expect(user).toMatchObject({ id: seeded.admin.id })
    const licensed = await adele.api(`/users/${seeded.admin.id}`).select('assignedLicenses').get()
    expect(licensed.assignedLicenses).toEqual([
      { skuId: POWER_BI_PRO, disabledPlans: ['70d33638-9c74-4d01-bfd3-562de28bd4ba'] },
    ])
    expect(await consumedUnits(POWER_BI_PRO)).toBe(1)
  })

  it('adds units through PATCH /_emulator/tenants/{tenant}/subscribedSkus/{skuId}; reset restores the seed', async () => {
    const control = (skuId: string, body: unknown) =>
      fetch(`${emulator.url}/_emulator/tenants/${seeded.contosoTenantId}/subscribedSkus/${skuId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })

    const updated = await control(POWER_BI_PRO, { prepaidUnits: { enabled: 3 } })
    expect(updated.status).toBe(200)
    expect(await updated.json()).toMatchObject({
      skuId: POWER_BI_PRO,
      consumedUnits: 1,
      prepaidUnits: { enabled: 3, suspended: 0, warning: 0, lockedOut: 0 },
    })
    expect((await control(POWER_BI_PRO, { prepaidUnits: { enabled: -1 } })).status).toBe(400)
    expect((await control(NOT_SUBSCRIBED, { prepaidUnits: { enabled: 3 } })).status).toBe(404)
    await adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(add(POWER_BI_PRO))

    emulator.context.directory.reset()
    const skus = await (await subscribedSkus()).select('skuId,prepaidUnits,consumedUnits').get()
    expect(skus.value).toContainEqual({
      skuId: POWER_BI_PRO,
      prepaidUnits: { enabled: 1, suspended: 0, warning: 0, lockedOut: 0 },
      consumedUnits: 1,
    })
  })

  it('refuses a body without removeLicenses and an unknown user', async () => {
    const noRemove = await graphFailure(
      adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post({ addLicenses: [] }),
    )
    const unknown = await graphFailure(
      adele.api('/users/00000000-0000-4000-8000-00000000dead/assignLicense').post(add(TEAM_MEMBERS)),
    )

    expect([noRemove.statusCode, noRemove.code]).toEqual([400, 'Request_BadRequest'])
    expect([unknown.statusCode, unknown.code]).toEqual([404, 'Request_ResourceNotFound'])
  })

  it('needs User.ReadWrite.All, Directory.ReadWrite.All or LicenseAssignment.ReadWrite.All', async () => {
    const inviteOnly = graphClient(
      emulator,
      await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Invite.All'] }),
    )

    const error = await graphFailure(
      inviteOnly.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(add(TEAM_MEMBERS)),
    )

    expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
  })
})

describe('GET /subscribedSkus (Graph JS SDK)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.context.directory.reset())

  const delegated = async (scopes: string[]) =>
    graphClient(emulator, await graphToken(emulator, { user: seeded.nonInviter.upn, scopes }))

  it("lists the tenant's subscriptions in Graph's shape, consumedUnits counted from the users", async () => {
    const graph = await delegated(['LicenseAssignment.Read.All'])

    const skus = await graph.api('/subscribedSkus').get()

    expect(skus['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#subscribedSkus')
    expect(skus.value).toHaveLength(2)
    expect(skus.value[1]).toEqual({
      accountId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      accountName: 'Contoso',
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 1,
      id: `${seeded.contosoTenantId}_${POWER_BI_PRO}`,
      prepaidUnits: { enabled: 1, suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: [
        {
          servicePlanId: '70d33638-9c74-4d01-bfd3-562de28bd4ba',
          servicePlanName: 'BI_AZURE_P2',
          provisioningStatus: 'Success',
          appliesTo: 'User',
        },
        {
          servicePlanId: '113feb6c-3fe4-4440-bddc-54d774bf0318',
          servicePlanName: 'EXCHANGE_S_FOUNDATION',
          provisioningStatus: 'Success',
          appliesTo: 'Company',
        },
      ],
      skuId: POWER_BI_PRO,
      skuPartNumber: 'POWER_BI_PRO',
      subscriptionIds: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
    })
    expect(skus.value[0]).toMatchObject({
      skuId: TEAM_MEMBERS,
      skuPartNumber: 'DYN365_ENTERPRISE_TEAM_MEMBERS',
      consumedUnits: 0,
      prepaidUnits: { enabled: 25 },
    })
  })

  it('answers $select, and one subscription by its {tenantId}_{skuId} id', async () => {
    const graph = await delegated(['Organization.Read.All'])

    const selected = await graph.api('/subscribedSkus').select('skuPartNumber,consumedUnits').get()
    const one = await graph.api(`/subscribedSkus/${seeded.contosoTenantId}_${TEAM_MEMBERS}`).get()
    const missing = await graphFailure(
      graph.api(`/subscribedSkus/${seeded.contosoTenantId}_${NOT_SUBSCRIBED}`).get(),
    )
    const badSelect = await graphFailure(graph.api('/subscribedSkus').select('units').get())

    expect(selected).toEqual({
      '@odata.context':
        'https://graph.microsoft.com/v1.0/$metadata#subscribedSkus(skuPartNumber,consumedUnits)',
      value: [
        { skuPartNumber: 'DYN365_ENTERPRISE_TEAM_MEMBERS', consumedUnits: 0 },
        { skuPartNumber: 'POWER_BI_PRO', consumedUnits: 1 },
      ],
    })
    expect(one).toMatchObject({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscribedSkus/$entity',
      id: `${seeded.contosoTenantId}_${TEAM_MEMBERS}`,
      skuId: TEAM_MEMBERS,
    })
    expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound'])
    expect([badSelect.statusCode, badSelect.code, badSelect.message]).toEqual([
      400,
      'BadRequest',
      "Could not find a property named 'units' on type 'microsoft.graph.subscribedSku'.",
    ])
  })

  it('needs LicenseAssignment.Read.All, Organization.Read.All or Directory.Read.All (or broader); is read-only', async () => {
    const userOnly = await delegated(['User.Read', 'User.ReadWrite.All'])
    const app = await appClient(emulator) // Directory.Read.All

    const refused = await graphFailure(userOnly.api('/subscribedSkus').get())
    const appSkus = await app.api('/subscribedSkus').get()
    const create = await graphFailure(app.api('/subscribedSkus').post({ skuId: NOT_SUBSCRIBED }))

    expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
    expect(appSkus.value).toHaveLength(2)
    expect([create.statusCode, create.code]).toEqual([405, 'Request_BadRequest'])
  })

  it('lists no subscriptions for a tenant whose seed has none', async () => {
    const graph = graphClient(
      emulator,
      await graphToken(emulator, { tenantId: seeded.tailspinTenantId, roles: ['Organization.Read.All'] }),
    )

    expect((await graph.api('/subscribedSkus').get()).value).toEqual([])
  })
})

describe('subscriptions and licences in the seed', () => {
  const contosoWith = (change: (contoso: Seed['tenants'][number]) => void): Seed => {
    const seed = structuredClone(defaultSeed)
    const contoso = seed.tenants[0]
    if (!contoso) throw new Error('no Contoso')
    change(contoso)
    return seed
  }

  it('refuses a licence of a SKU the tenant has no subscription for, and a SKU listed twice', () => {
    const unknownSku = contosoWith((contoso) => {
      const lee = contoso.users.find((user) => user.id === seeded.nonInviter.id)
      if (lee) lee.assignedLicenses = [{ skuId: NOT_SUBSCRIBED }]
    })
    const twice = contosoWith((contoso) => {
      contoso.subscribedSkus = [
        { skuId: POWER_BI_PRO, skuPartNumber: 'POWER_BI_PRO', prepaidUnits: { enabled: 1 } },
        { skuId: POWER_BI_PRO.toUpperCase(), skuPartNumber: 'POWER_BI_PRO', prepaidUnits: { enabled: 2 } },
      ]
    })
    const negative = contosoWith((contoso) => {
      contoso.subscribedSkus = [{ skuId: TEAM_MEMBERS, skuPartNumber: 'X', prepaidUnits: { enabled: -1 } }]
    })

    expect(() => parseSeed(unknownSku, 'seed.json')).toThrow(
      `seed.json: tenant Contoso: user Lee Gu holds SKU ${NOT_SUBSCRIBED}, which is not among subscribedSkus`,
    )
    expect(() => parseSeed(twice, 'seed.json')).toThrow(
      `seed.json: tenant Contoso: subscribedSkus lists SKU ${POWER_BI_PRO.toUpperCase()} twice`,
    )
    expect(() => parseSeed(negative, 'seed.json')).toThrow(/prepaidUnits\/enabled/)
  })

  it('refuses an extension property declared twice on one app', () => {
    const seed = contosoWith((contoso) => {
      const bff = contoso.applications.find((app) => app.clientId === seeded.bffClientId)
      if (bff)
        bff.extensionProperties = [
          { name: 'partnerId', dataType: 'String' },
          { name: 'PartnerId', dataType: 'Integer' },
        ]
    })

    expect(() => parseSeed(seed, 'seed.json')).toThrow(
      'seed.json: tenant Contoso: application entra-share BFF declares extension property PartnerId twice',
    )
  })
})
