import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseUserFilter } from '../src/graph/filter.js'
import type { RunningEmulator } from '../src/index.js'
import { Directory, type TenantState } from '../src/state/directory.js'
import { defaultSeed } from '../src/state/seed.js'
import { adminClient, graphFailure, invitationFor } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

/** The `$filter` the BFF sends per address (bulk rows included): `mail` or one of `otherMails`. */
const byAddress = (address: string) => `mail eq '${address}' or otherMails/any(x:x eq '${address}')`

describe('the directory index of users by address', () => {
  let directory: Directory
  let contoso: TenantState

  beforeEach(() => {
    directory = new Directory(defaultSeed)
    const tenant = directory.tenant(seeded.contosoTenantId)
    if (!tenant) throw new Error('no Contoso')
    contoso = tenant
  })

  const grace = () => {
    const user = contoso.users.get(seeded.existingGuest.id)
    if (!user) throw new Error('no Grace')
    return user
  }

  it('finds a changed mail by the new address and not by the old one', () => {
    expect(directory.userByEmail(contoso, 'lee@contoso.example')?.id).toBe(seeded.nonInviter.id)
    const lee = contoso.users.get(seeded.nonInviter.id)
    if (!lee) throw new Error('no Lee')

    directory.updateUser(lee, { mail: 'Lee.Gu@Contoso.example' })

    expect(directory.userByEmail(contoso, 'lee.gu@contoso.example')?.id).toBe(seeded.nonInviter.id)
    expect(directory.usersByKeys(contoso, { addresses: ['LEE.GU@contoso.example'], ids: [] })).toEqual([lee])
    // The old address is still Lee's UPN, which counts for a member; once the UPN changes too, it is gone.
    expect(directory.userByEmail(contoso, 'lee@contoso.example')?.id).toBe(seeded.nonInviter.id)
    directory.updateUser(lee, { userPrincipalName: 'lee.gu@contoso.example' })
    expect(directory.userByEmail(contoso, 'lee@contoso.example')).toBeUndefined()
    expect(directory.user(contoso, 'lee@contoso.example')).toBeUndefined()
    expect(directory.user(contoso, 'LEE.GU@contoso.example')?.id).toBe(seeded.nonInviter.id)
  })

  it("follows otherMails, a guest's UPN (which is not an email address) and removed users", () => {
    expect(directory.userByEmail(contoso, 'grace@northwind.example')?.id).toBe(seeded.existingGuest.id)
    directory.updateUser(grace(), {
      mail: 'grace.hopper@northwind.example',
      otherMails: ['gh@northwind.example'],
    })

    expect(directory.userByEmail(contoso, 'grace@northwind.example')).toBeUndefined()
    expect(directory.userByEmail(contoso, 'GH@northwind.example')?.id).toBe(seeded.existingGuest.id)
    // A guest's #EXT# UPN finds the user by UPN, not as an email address.
    const upn = grace().userPrincipalName
    expect(directory.userByEmail(contoso, upn)).toBeUndefined()
    expect(directory.user(contoso, upn.toUpperCase())?.id).toBe(seeded.existingGuest.id)

    expect(directory.removeUser(contoso, seeded.existingGuest.id)).toBe(true)
    expect(directory.userByEmail(contoso, 'gh@northwind.example')).toBeUndefined()
    expect(directory.user(contoso, upn)).toBeUndefined()
    expect(directory.removeUser(contoso, seeded.existingGuest.id)).toBe(false)
  })

  it('files new guests, and after reset only the seed again', () => {
    const ada = directory.createGuest(contoso, 'Ada@Fabrikam.example', null)
    expect(directory.userByEmail(contoso, 'ada@fabrikam.example')).toBe(ada)
    expect(
      directory.usersByKeys(contoso, { addresses: ['ada@fabrikam.example'], ids: [seeded.inviter.id] }),
    ).toEqual([contoso.users.get(seeded.inviter.id), ada])

    directory.reset()
    const reloaded = directory.tenant(seeded.contosoTenantId) as TenantState
    expect(directory.userByEmail(reloaded, 'ada@fabrikam.example')).toBeUndefined()
    expect(directory.userByEmail(reloaded, 'grace@northwind.example')?.id).toBe(seeded.existingGuest.id)
  })

  it('counts licence holders as licences change', () => {
    const powerBi = seeded.powerBiProSku.skuId
    expect(directory.consumedUnits(contoso, powerBi)).toBe(1)

    directory.updateUser(grace(), { assignedLicenses: [{ skuId: powerBi, disabledPlans: [] }] })
    expect(directory.consumedUnits(contoso, powerBi.toUpperCase())).toBe(2)
    directory.updateUser(grace(), { assignedLicenses: [] })
    expect(directory.consumedUnits(contoso, powerBi)).toBe(1)
    directory.removeUser(contoso, seeded.admin.id)
    expect(directory.consumedUnits(contoso, powerBi)).toBe(0)
  })
})

describe('$filter clauses answered from the index', () => {
  const lookup = (filter: string) => {
    const result = parseUserFilter(filter)
    if (!result.ok) throw new Error(result.message)
    return result.lookup
  }

  it.each([
    [
      byAddress('Ada@Fabrikam.example'),
      { addresses: ['ada@fabrikam.example', 'ada@fabrikam.example'], ids: [] },
    ],
    [
      "userPrincipalName in ('a@x.example', 'B@x.example')",
      { addresses: ['a@x.example', 'b@x.example'], ids: [] },
    ],
    [
      `id eq '${seeded.inviter.id}' or mail eq 'a@x.example'`,
      { addresses: ['a@x.example'], ids: [seeded.inviter.id] },
    ],
    ["mail eq 'a@x.example' and startswith(displayName,'A')", { addresses: ['a@x.example'], ids: [] }],
    ["startswith(displayName,'A') and (mail eq 'a@x.example')", { addresses: ['a@x.example'], ids: [] }],
  ])('%s: the users with these keys', (filter, keys) => {
    expect(lookup(filter)).toEqual(keys)
  })

  it.each([
    "mail eq 'a@x.example' or userType eq 'Guest'",
    "startswith(mail,'a@')",
    'accountEnabled eq true',
    "displayName eq 'Ada'",
  ])('%s: every user must be tested', (filter) => {
    expect(lookup(filter)).toBeNull()
  })
})

describe('lookups by address over Graph after the address changes (Graph JS SDK)', () => {
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

  const findIds = async (address: string) => {
    const found = await adele.api('/users').filter(byAddress(address)).select('id').get()
    return (found.value as Array<{ id: string }>).map((user) => user.id)
  }

  it('PATCH mail: $filter finds the user by the new address and not the old one', async () => {
    expect(await findIds('grace@northwind.example')).toEqual([seeded.existingGuest.id])

    await adele
      .api(`/users/${seeded.existingGuest.id}`)
      .patch({ mail: 'grace.hopper@northwind.example', otherMails: ['grace.hopper@northwind.example'] })

    expect(await findIds('Grace.Hopper@northwind.example')).toEqual([seeded.existingGuest.id])
    expect(await findIds('grace@northwind.example')).toEqual([])
  })

  it('an invitation to the old address creates a new guest; to the new one, re-invites the same guest', async () => {
    await adele
      .api(`/users/${seeded.existingGuest.id}`)
      .patch({ mail: 'grace.hopper@northwind.example', otherMails: ['grace.hopper@northwind.example'] })

    const again = await adele.api('/invitations').post(invitationFor('grace.hopper@northwind.example'))
    const fresh = await adele.api('/invitations').post(invitationFor('grace@northwind.example'))

    expect(again.invitedUser.id).toBe(seeded.existingGuest.id)
    expect(fresh.invitedUser.id).not.toBe(seeded.existingGuest.id)
    expect(await findIds('grace@northwind.example')).toEqual([fresh.invitedUser.id])
  })

  it('PATCH userPrincipalName: GET /users/{upn} follows the new UPN', async () => {
    await adele.api(`/users/${seeded.nonInviter.id}`).patch({ userPrincipalName: 'lee.gu@contoso.example' })

    const user = await adele.api('/users/LEE.GU@contoso.example').select('id').get()
    const old = await graphFailure(adele.api('/users/lee@contoso.example').get())

    expect(user.id).toBe(seeded.nonInviter.id)
    expect([old.statusCode, old.code]).toEqual([404, 'Request_ResourceNotFound'])
  })

  it('answers index-backed filters in directory order, combined with other clauses, and paged', async () => {
    const invited: string[] = []
    for (const name of ['ada', 'bob', 'cy']) {
      const invitation = await adele.api('/invitations').post(invitationFor(`${name}@fabrikam.example`))
      invited.push(invitation.invitedUser.id)
    }
    const anyOf = `mail eq 'cy@fabrikam.example' or otherMails/any(x:x eq 'ada@fabrikam.example') or id eq '${seeded.inviter.id}' or userPrincipalName eq 'lee@contoso.example'`

    const all = await adele.api('/users').filter(anyOf).select('id').get()
    const guestsOnly = await adele
      .api('/users')
      .filter(`(${anyOf}) and userType eq 'Guest'`)
      .select('id')
      .get()
    const page = await adele.api('/users').filter(anyOf).select('id').top(2).get()

    expect(all.value.map((user: { id: string }) => user.id)).toEqual([
      seeded.inviter.id,
      seeded.nonInviter.id,
      invited[0],
      invited[2],
    ])
    expect(guestsOnly.value.map((user: { id: string }) => user.id)).toEqual([invited[0], invited[2]])
    expect(page.value).toHaveLength(2)
    expect(page['@odata.nextLink']).toContain('%24skiptoken=')
  })
})
