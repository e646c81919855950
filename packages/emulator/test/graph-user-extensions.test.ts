import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defaultSeed, type RunningEmulator, type Seed } from '../src/index.js'
import { adminClient, graphClient, graphFailure, graphToken, inviterClient } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

const USERS_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#users'
/** Declared by the BFF's app registration in Contoso: `extension_{BFF appId without dashes}_partnerId` (String). */
const PARTNER_ID = seeded.partnerIdExtension
/** Another app's extension, which no application of Contoso declares. */
const UNDECLARED = 'extension_0123456789abcdef0123456789abcdef_costCenter'

describe('directory extensions on users (Graph JS SDK)', () => {
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

  const grace = `/users/${seeded.existingGuest.id}`

  it('stores a declared extension with PATCH and returns it only when $select names it', async () => {
    expect(PARTNER_ID).toBe('extension_bff0000000004000800000000000b001_partnerId')

    await adele.api(grace).patch({ [PARTNER_ID]: 'P-1024', jobTitle: 'Partner engineer' })

    const selected = await adele.api(grace).select(['displayName', PARTNER_ID]).get()
    const plain = await adele.api(grace).get()
    const listed = await adele
      .api('/users')
      .filter("mail eq 'grace@northwind.example'")
      .select(`id,${PARTNER_ID}`)
      .get()

    expect(selected).toEqual({
      '@odata.context': `${USERS_CONTEXT}(displayName,${PARTNER_ID})/$entity`,
      displayName: 'Grace Hopper',
      [PARTNER_ID]: 'P-1024',
    })
    expect(plain).not.toHaveProperty(PARTNER_ID)
    expect(plain.jobTitle).toBe('Partner engineer')
    expect(listed.value).toEqual([{ id: seeded.existingGuest.id, [PARTNER_ID]: 'P-1024' }])
  })

  it('leaves out a selected extension the user has no value for; null removes a value', async () => {
    const unset = await adele.api(grace).select(['id', PARTNER_ID]).get()
    await adele.api(grace).patch({ [PARTNER_ID]: 'P-1' })
    await adele.api(grace).patch({ [PARTNER_ID]: null })
    const removed = await adele.api(grace).select(['id', PARTNER_ID]).get()

    expect(unset).toEqual({
      '@odata.context': `${USERS_CONTEXT}(id,${PARTNER_ID})/$entity`,
      id: seeded.existingGuest.id,
    })
    expect(removed).not.toHaveProperty(PARTNER_ID)
  })

  it('matches the name case-insensitively and answers with the declared spelling', async () => {
    await adele.api(grace).patch({ [PARTNER_ID.toUpperCase()]: 'P-7' })

    const user = await adele.api(grace).select(PARTNER_ID.toLowerCase()).get()

    expect(user[PARTNER_ID]).toBe('P-7')
  })

  it('refuses extensions no application of the tenant declares, naming them all, and applies nothing', async () => {
    const other = 'extension_bff0000000004000800000000000b001_nickname'

    const error = await graphFailure(
      adele
        .api(grace)
        .patch({ givenName: 'Grace', [UNDECLARED]: 'CC-1', [other]: 'Amazing', [PARTNER_ID]: 'P-9' }),
    )

    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'Request_BadRequest',
      `The following extension properties are not available: ${UNDECLARED},${other}.`,
    ])
    const user = await adele.api(grace).select(['givenName', PARTNER_ID]).get()
    expect(user.givenName).toBeNull()
    expect(user).not.toHaveProperty(PARTNER_ID)
  })

  it('refuses a value that does not fit the data type (a String holds up to 256 characters)', async () => {
    const number = await graphFailure(adele.api(grace).patch({ [PARTNER_ID]: 1024 }))
    const long = await graphFailure(adele.api(grace).patch({ [PARTNER_ID]: 'x'.repeat(257) }))
    await adele.api(grace).patch({ [PARTNER_ID]: 'x'.repeat(256) })

    for (const error of [number, long]) {
      expect([error.statusCode, error.code, error.message]).toEqual([
        400,
        'Request_BadRequest',
        `Invalid value specified for property '${PARTNER_ID}' of resource 'User'.`,
      ])
    }
  })

  it('refuses $select of an undeclared extension as the directory refuses it', async () => {
    const error = await graphFailure(adele.api(grace).select(['id', UNDECLARED]).get())

    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'Request_UnsupportedQuery',
      `Property '${UNDECLARED}' does not exist as a declared property or extension property.`,
    ])
  })

  it("needs the same privileges as the user's other properties", async () => {
    const megan = await inviterClient(emulator) // Guest Inviter: may not change users
    const bffApp = graphClient(
      emulator,
      await graphToken(emulator, { roles: ['User.Invite.All', 'Directory.Read.All'] }),
    )

    const refused = await graphFailure(megan.api(grace).patch({ [PARTNER_ID]: 'P-2' }))
    // The BFF's own identity writes guests' profiles through its custom role on the Guests unit, and not a member's.
    await bffApp.api(grace).patch({ [PARTNER_ID]: 'P-3' })
    const member = await graphFailure(
      bffApp.api(`/users/${seeded.nonInviter.id}`).patch({ [PARTNER_ID]: 'P-4' }),
    )

    expect([refused.statusCode, refused.code]).toEqual([403, 'Authorization_RequestDenied'])
    expect([member.statusCode, member.code]).toEqual([403, 'Authorization_RequestDenied'])
    expect((await adele.api(grace).select(PARTNER_ID).get())[PARTNER_ID]).toBe('P-3')
  })

  it('is available only in tenants where an application declares it', async () => {
    const alex = graphClient(
      emulator,
      await graphToken(emulator, {
        tenantId: seeded.tailspinTenantId,
        user: 'alex@tailspin.example',
        scopes: ['User.ReadWrite.All'],
      }),
    )

    const error = await graphFailure(alex.api('/users/alex@tailspin.example').patch({ [PARTNER_ID]: 'P-5' }))

    expect(error.message).toBe(`The following extension properties are not available: ${PARTNER_ID}.`)
  })
})

describe('directory extensions of every data type, declared in a custom seed', () => {
  let emulator: RunningEmulator
  let adele: Client
  const appId = seeded.bffClientId.replace(/-/g, '')
  const name = (short: string) => `extension_${appId}_${short}`

  beforeAll(async () => {
    const seed: Seed = structuredClone(defaultSeed)
    const bff = seed.tenants[0]?.applications.find((app) => app.clientId === seeded.bffClientId)
    if (!bff) throw new Error('no BFF app in the seed')
    bff.extensionProperties = [
      { name: 'partnerId', dataType: 'String' },
      { name: 'vip', dataType: 'Boolean' },
      { name: 'seats', dataType: 'Integer' },
      { name: 'badgeNumber', dataType: 'LargeInteger' },
      { name: 'contractEnds', dataType: 'DateTime' },
      { name: 'photoHash', dataType: 'Binary' },
      { name: 'regions', dataType: 'String', isMultiValued: true },
      { name: 'deviceTag', dataType: 'String', targetObjects: ['Device'] },
    ]
    emulator = await startTestEmulator({ seed })
    adele = await adminClient(emulator)
  })
  afterAll(() => emulator.close())

  const lee = `/users/${seeded.nonInviter.id}`

  it('stores each type, DateTime in UTC', async () => {
    await adele.api(lee).patch({
      [name('vip')]: true,
      [name('seats')]: 12,
      [name('badgeNumber')]: 9_007_199_254_740_991,
      [name('contractEnds')]: '2027-03-31T17:00:00+02:00',
      [name('photoHash')]: Buffer.from('hash').toString('base64'),
      [name('regions')]: ['EMEA', 'APAC'],
    })

    const user = await adele
      .api(lee)
      .select(['vip', 'seats', 'badgeNumber', 'contractEnds', 'photoHash', 'regions'].map(name))
      .get()

    expect(user).toMatchObject({
      [name('vip')]: true,
      [name('seats')]: 12,
      [name('badgeNumber')]: 9_007_199_254_740_991,
      [name('contractEnds')]: '2027-03-31T15:00:00Z',
      [name('photoHash')]: 'aGFzaA==',
      [name('regions')]: ['EMEA', 'APAC'],
    })
  })

  it.each([
    ['vip', 'yes'],
    ['seats', 2 ** 31],
    ['seats', 1.5],
    ['badgeNumber', '12'],
    ['contractEnds', 'next Tuesday'],
    ['photoHash', 'not base64!'],
    ['photoHash', Buffer.alloc(257).toString('base64')],
    ['regions', 'EMEA'],
  ])('refuses %s = %j', async (short, value) => {
    const error = await graphFailure(adele.api(lee).patch({ [name(short)]: value }))

    expect(error.message).toBe(`Invalid value specified for property '${name(short)}' of resource 'User'.`)
  })

  it('does not offer an extension that targets other object types to users', async () => {
    const error = await graphFailure(adele.api(lee).patch({ [name('deviceTag')]: 'D-1' }))

    expect(error.message).toBe(`The following extension properties are not available: ${name('deviceTag')}.`)
  })
})
