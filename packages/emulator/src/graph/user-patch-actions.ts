import type { UserChanges } from './user-patch.js'

/**
 * The role permissions a `PATCH /users/{id}` needs, by property: `usageLocation`, `userPrincipalName` and
 * `accountEnabled` have their own (https://learn.microsoft.com/entra/identity/role-based-access-control/custom-user-permissions,
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference#user-administrator);
 * every other property the emulator lets a caller write counts as a basic property (Microsoft does not list which
 * property each permission covers).
 *
 * @example
 * userPatchActions({ givenName: 'Ada', usageLocation: 'GB' })
 * // ['microsoft.directory/users/basic/update', 'microsoft.directory/users/usageLocation/update']
 */
export function userPatchActions(changes: UserChanges): string[] {
  const actions = new Set<string>()
  for (const [name, value] of Object.entries(changes)) {
    if (name === 'usageLocation') actions.add('microsoft.directory/users/usageLocation/update')
    else if (name === 'userPrincipalName') actions.add('microsoft.directory/users/userPrincipalName/update')
    else if (name === 'accountEnabled')
      actions.add(value === false ? 'microsoft.directory/users/disable' : 'microsoft.directory/users/enable')
    else actions.add('microsoft.directory/users/basic/update')
  }
  return [...actions].sort()
}
