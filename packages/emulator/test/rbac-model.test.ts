import { describe, expect, it } from 'vitest'
import { unknownSegment } from '../src/graph/not-found.js'
import { userPatchActions } from '../src/graph/user-patch-actions.js'
import { findBuiltInRole, grantsAction } from '../src/rbac/built-in-roles.js'
import { parseMembershipRule } from '../src/rbac/membership-rule.js'
import { roleAssignmentRecord } from '../src/rbac/tenant-rbac.js'

describe('the role model', () => {
  it("gives tenant-wide role assignments Entra's ids (examples from Graph's documentation)", () => {
    const principal = 'f1847572-48aa-47aa-96a3-2ec61904f41f'

    expect(roleAssignmentRecord(principal, '62e90394-69f5-4237-9190-012177145e10', '/').id).toBe(
      'lAPpYvVpN0KRkAEhdxReEHJ1hPGqSKpHlqMuxhkE9B8-1',
    )
    expect(roleAssignmentRecord(principal, 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', '/').id).toBe(
      'LJnv8vs6uUa3z6Em7nTEUXJ1hPGqSKpHlqMuxhkE9B8-1',
    )
  })

  it('finds built-in roles by name or template id, ignoring case', () => {
    expect(findBuiltInRole('guest inviter')?.templateId).toBe('95e79109-95c0-4d8e-aee3-d01accf2d47b')
    expect(findBuiltInRole('FE930BE7-5E62-47DB-91AF-98C3A49A38B1')?.displayName).toBe('User Administrator')
    expect(findBuiltInRole('Chief Inviter')).toBeUndefined()
  })

  it('lets allProperties wildcards grant the actions of their entity only', () => {
    const allTasks = 'microsoft.directory/users/allProperties/allTasks'
    const allRead = 'microsoft.directory/users/allProperties/read'

    expect(grantsAction(allTasks, 'microsoft.directory/users/inviteGuest')).toBe(true)
    expect(grantsAction(allTasks, 'microsoft.directory/groups/members/update')).toBe(false)
    expect(grantsAction(allRead, 'microsoft.directory/users/standard/read')).toBe(true)
    expect(grantsAction(allRead, 'microsoft.directory/users/basic/update')).toBe(false)
  })

  it('parses the userType rules of dynamic administrative units, and nothing else', () => {
    expect(parseMembershipRule('(user.userType -eq "Guest")')).toEqual({
      property: 'userType',
      value: 'Guest',
    })
    expect(parseMembershipRule('user.usertype -EQ "member"')).toEqual({
      property: 'userType',
      value: 'Member',
    })
    expect(parseMembershipRule('(user.department -eq "Sales")')).toBeUndefined()
    expect(parseMembershipRule('(user.userType -ne "Guest")')).toBeUndefined()
  })

  it('maps the properties of PATCH /users to the role permissions they need', () => {
    expect(userPatchActions({ givenName: 'Ada', usageLocation: 'GB' })).toEqual([
      'microsoft.directory/users/basic/update',
      'microsoft.directory/users/usageLocation/update',
    ])
    expect(userPatchActions({ accountEnabled: false })).toEqual(['microsoft.directory/users/disable'])
  })

  it('names the first segment of a Graph path the emulator does not know', () => {
    expect(unknownSegment('/v1.0/userz')).toBe('userz')
    expect(unknownSegment('/v1.0/users/abc/assignLicense')).toBeUndefined()
    expect(unknownSegment("/v1.0/servicePrincipals(appId='x')")).toBeUndefined()
    expect(unknownSegment('/v1.0/roleManagement/directory/roleAssignmentz')).toBe('roleAssignmentz')
  })
})
