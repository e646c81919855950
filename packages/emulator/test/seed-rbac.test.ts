import { describe, expect, it } from 'vitest'
import { defaultSeed, parseSeed, SeedError, type TenantSeed } from '../src/state/seed.js'
import { seeded } from './support.js'

const contoso = defaultSeed.tenants[0] as TenantSeed
const UNIT = '00000000-0000-4000-8000-0000000d0099'
const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b'
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1'

/** The default seed with Contoso changed. */
function withContoso(change: Partial<TenantSeed>): unknown {
  return { tenants: [{ ...structuredClone(contoso), ...change }, ...defaultSeed.tenants.slice(1)] }
}

describe('seed validation of the role model', () => {
  it('accepts the default seed: owned groups, the dynamic Guests unit and its custom role', () => {
    expect(contoso.groups.map((group) => group.owners)).toEqual([[seeded.bffClientId], [seeded.bffClientId]])
    expect(contoso.administrativeUnits?.[0]).toMatchObject({
      displayName: 'Guests',
      membershipType: 'Dynamic',
      membershipRule: '(user.userType -eq "Guest")',
    })
    expect(contoso.roleAssignments).toEqual([
      {
        principalId: seeded.bffClientId,
        roleDefinitionId: seeded.guestProfileWriterRoleId,
        directoryScopeId: `/administrativeUnits/${seeded.guestsUnitId}`,
      },
    ])
  })

  it('refuses a membership rule the emulator cannot evaluate', () => {
    const bad = withContoso({
      administrativeUnits: [
        {
          id: UNIT,
          displayName: 'Sales',
          membershipType: 'Dynamic',
          membershipRule: '(user.department -eq "Sales")',
        },
      ],
    })

    expect(() => parseSeed(bad, 'seed.json')).toThrow(SeedError)
    expect(() => parseSeed(bad, 'seed.json')).toThrow(
      `seed.json: tenant Contoso: administrative unit Sales: membershipRule '(user.department -eq "Sales")' is not supported; the emulator evaluates (user.userType -eq "Guest") and (user.userType -eq "Member")`,
    )
  })

  it('refuses a rule without membershipType Dynamic, and members on a dynamic unit', () => {
    const ruleOnAssigned = withContoso({
      administrativeUnits: [{ id: UNIT, displayName: 'G', membershipRule: '(user.userType -eq "Guest")' }],
    })
    const membersOnDynamic = withContoso({
      administrativeUnits: [
        {
          id: UNIT,
          displayName: 'G',
          membershipType: 'Dynamic',
          membershipRule: '(user.userType -eq "Guest")',
          members: [seeded.existingGuest.id],
        },
      ],
    })

    expect(() => parseSeed(ruleOnAssigned)).toThrow('has a membershipRule but membershipType is not Dynamic')
    expect(() => parseSeed(membersOnDynamic)).toThrow('is Dynamic, so its members follow the rule')
  })

  it('refuses role assignments that name unknown principals, roles or scopes', () => {
    const stranger = '99999999-0000-4000-8000-000000000000'
    const unknownPrincipal = withContoso({
      roleAssignments: [{ principalId: stranger, roleDefinitionId: GUEST_INVITER, directoryScopeId: '/' }],
    })
    const unknownRole = withContoso({
      roleAssignments: [
        { principalId: seeded.inviter.id, roleDefinitionId: stranger, directoryScopeId: '/' },
      ],
    })
    const unknownUnit = withContoso({
      roleAssignments: [
        {
          principalId: seeded.inviter.id,
          roleDefinitionId: USER_ADMINISTRATOR,
          directoryScopeId: `/administrativeUnits/${stranger}`,
        },
      ],
    })
    const badScope = withContoso({
      roleAssignments: [
        { principalId: seeded.inviter.id, roleDefinitionId: GUEST_INVITER, directoryScopeId: '/users' },
      ],
    })

    expect(() => parseSeed(unknownPrincipal)).toThrow(
      `role assignment 0 names principalId ${stranger}, which is neither a user nor an application (clientId) of tenant Contoso`,
    )
    expect(() => parseSeed(unknownRole)).toThrow(
      'which is neither a built-in role template id nor a custom role',
    )
    expect(() => parseSeed(unknownUnit)).toThrow('which is not an administrative unit of tenant Contoso')
    expect(() => parseSeed(badScope)).toThrow(/\/tenants\/0\/roleAssignments\/0\/directoryScopeId/)
  })

  it('refuses a role that cannot be scoped to an administrative unit', () => {
    const bad = withContoso({
      roleAssignments: [
        {
          principalId: seeded.inviter.id,
          roleDefinitionId: GUEST_INVITER,
          directoryScopeId: `/administrativeUnits/${seeded.guestsUnitId}`,
        },
      ],
    })

    expect(() => parseSeed(bad)).toThrow('Guest Inviter cannot be assigned with administrative unit scope')
  })

  it('refuses unknown group owners and unknown directoryRoles, and accepts template ids there', () => {
    const stranger = '99999999-0000-4000-8000-000000000000'
    const owners = withContoso({
      groups: contoso.groups.map((group, index) => (index === 0 ? { ...group, owners: [stranger] } : group)),
    })
    const roles = (directoryRoles: string[]) =>
      withContoso({
        users: contoso.users.map((user, index) => (index === 0 ? { ...user, directoryRoles } : user)),
      })

    expect(() => parseSeed(owners)).toThrow(`group Project Apollo partners lists owner ${stranger}`)
    expect(() => parseSeed(roles(['Chief Inviter']))).toThrow(
      "user megan@contoso.example has directory role 'Chief Inviter', which is neither a built-in role (name or template id) nor a custom role of tenant Contoso",
    )
    expect(() => parseSeed(roles([GUEST_INVITER, 'user administrator']))).not.toThrow()
  })
})
