import { ConfidentialClientApplication } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { roleAssignmentRecord } from '../src/rbac/tenant-rbac.js'
import { signInToSpa } from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b'
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1'
/** The default User role Entra lists in `wids` for every member. */
const MEMBER = 'b79fbf4d-3ef9-4689-8143-76b194e85509'

describe('role claims in user tokens', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })
  afterAll(() => emulator.close())

  function bff() {
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    return new ConfidentialClientApplication({
      auth: {
        clientId: seeded.bffClientId,
        clientSecret: seeded.bffClientSecret,
        authority,
        knownAuthorities,
        authorityMetadata,
      },
    })
  }

  it('puts the tenant-wide role template ids, then the member role, in wids of id and access tokens', async () => {
    const megan = await signInToSpa(emulator, seeded.inviter.upn)
    const lee = await signInToSpa(emulator, seeded.nonInviter.upn)

    expect(decodeJwt(megan.id_token).wids).toEqual([GUEST_INVITER, MEMBER])
    expect(decodeJwt(megan.access_token).wids).toEqual([GUEST_INVITER, MEMBER])
    expect(decodeJwt(lee.id_token).wids).toEqual([MEMBER])
  })

  it('carries wids into the Graph token On-Behalf-Of, and none in app-only tokens', async () => {
    const assertion = (await signInToSpa(emulator, seeded.admin.upn)).access_token
    const obo = await bff().acquireTokenOnBehalfOf({
      oboAssertion: assertion,
      scopes: ['https://graph.microsoft.com/.default'],
    })
    const app = await bff().acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    })

    expect(decodeJwt(obo?.accessToken ?? '').wids).toEqual([USER_ADMINISTRATOR, MEMBER])
    expect(decodeJwt(app?.accessToken ?? '')).not.toHaveProperty('wids')
  })

  it('leaves roles scoped to an administrative unit out of wids', async () => {
    const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
    tenant?.roleAssignments.push(
      roleAssignmentRecord(
        seeded.nonInviter.id,
        USER_ADMINISTRATOR,
        `/administrativeUnits/${seeded.guestsUnitId}`,
      ),
    )

    const lee = await signInToSpa(emulator, seeded.nonInviter.upn)

    expect(decodeJwt(lee.access_token).wids).toEqual([MEMBER])
  })

  it('issues On-Behalf-Of Graph tokens with every consented delegated scope, not only the one asked for', async () => {
    const assertion = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const result = await bff().acquireTokenOnBehalfOf({
      oboAssertion: assertion,
      scopes: ['https://graph.microsoft.com/User.Invite.All'],
    })

    const scp = String(decodeJwt(result?.accessToken ?? '').scp).split(' ')
    expect(scp).toEqual([
      'User.Invite.All',
      'User.Read',
      'User.ReadWrite.All',
      'GroupMember.ReadWrite.All',
      'AppRoleAssignment.ReadWrite.All',
      'openid',
      'profile',
    ])
    expect(result?.scopes).toEqual(
      expect.arrayContaining([
        'https://graph.microsoft.com/User.Invite.All',
        'https://graph.microsoft.com/User.Read',
        'https://graph.microsoft.com/GroupMember.ReadWrite.All',
      ]),
    )
  })
})
