import type { DirectoryUser, TenantState } from '../state/directory.js'
import { grantsAction } from './built-in-roles.js'
import { assignmentsOf, type RbacPrincipal, rolePermissionsOf } from './privileges.js'
import type { RoleAssignmentRecord } from './tenant-rbac.js'

/**
 * "Who can perform sensitive actions"
 * (https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions#who-can-perform-sensitive-actions):
 * disabling or enabling users (`accountEnabled`) and deleting or restoring users are sensitive actions, and only some
 * administrator roles may perform them on users who hold roles themselves.
 */

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10'
const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13'
const AUTHENTICATION_ADMINISTRATOR = 'c4e39bd9-1100-46d3-8c65-fb160da0071f'
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1'
const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b'
const GROUPS_ADMINISTRATOR = 'fdd7a751-b60b-444a-984c-02652fe8fa1c'
const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b'
const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8'
const MESSAGE_CENTER_READER = '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b'
const PASSWORD_ADMINISTRATOR = '966707d0-3269-4727-9be2-8c3a10f19b9d'
const REPORTS_READER = '4a5d8f65-41da-4de4-8968-e035b65339cf'
const USER_EXPERIENCE_SUCCESS_MANAGER = '27460883-1df1-4691-b032-3b79643e5e63'
const USAGE_SUMMARY_REPORTS_READER = '75934031-6c7e-415a-99d7-48dbd49e875e'

/**
 * The table's columns: for each role that may perform sensitive actions, the roles of the users it may perform them
 * on (`all` for every role, "All other built-in and custom roles" included). Users without a role are in every column.
 */
const ACTIONABLE_ROLES: ReadonlyMap<string, 'all' | ReadonlySet<string>> = new Map<
  string,
  'all' | ReadonlySet<string>
>([
  [GLOBAL_ADMINISTRATOR, 'all'],
  [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, 'all'],
  [
    USER_ADMINISTRATOR,
    new Set([
      DIRECTORY_READERS,
      GROUPS_ADMINISTRATOR,
      GUEST_INVITER,
      HELPDESK_ADMINISTRATOR,
      MESSAGE_CENTER_READER,
      PASSWORD_ADMINISTRATOR,
      REPORTS_READER,
      USER_ADMINISTRATOR,
      USER_EXPERIENCE_SUCCESS_MANAGER,
      USAGE_SUMMARY_REPORTS_READER,
    ]),
  ],
  [
    AUTHENTICATION_ADMINISTRATOR,
    new Set([
      AUTHENTICATION_ADMINISTRATOR,
      DIRECTORY_READERS,
      GUEST_INVITER,
      MESSAGE_CENTER_READER,
      PASSWORD_ADMINISTRATOR,
      REPORTS_READER,
      USER_EXPERIENCE_SUCCESS_MANAGER,
      USAGE_SUMMARY_REPORTS_READER,
    ]),
  ],
])

/**
 * Built-in roles without the PRIVILEGED label
 * (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference#all-roles), among those a
 * user can hold here. Every other role, custom roles included, counts as privileged (the emulator does not model the
 * label of each role permission).
 */
const UNPRIVILEGED_ROLES: ReadonlySet<string> = new Set([
  DIRECTORY_READERS,
  GROUPS_ADMINISTRATOR,
  GUEST_INVITER,
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a', // License Administrator
  MESSAGE_CENTER_READER,
  REPORTS_READER,
  USER_EXPERIENCE_SUCCESS_MANAGER,
  USAGE_SUMMARY_REPORTS_READER,
])

/** The delegated permission an app needs to act on users with privileged roles ("Who can perform sensitive actions"). */
export const ACCESS_AS_USER = 'Directory.AccessAsUser.All'

/** The role definition ids assigned to a user (any scope), plus `extra` assignments kept elsewhere (a deleted user's). */
export function roleIdsOf(
  tenant: TenantState,
  user: DirectoryUser,
  extra: readonly RoleAssignmentRecord[] = [],
): string[] {
  const assignments = [...assignmentsOf(tenant, { objectId: user.id, user }), ...extra]
  return [...new Set(assignments.map((assignment) => assignment.roleDefinitionId.toLowerCase()))]
}

/** Whether any of the roles carries the PRIVILEGED label (custom roles count as privileged). */
export function holdsPrivilegedRole(roleIds: readonly string[]): boolean {
  return roleIds.some((roleId) => !UNPRIVILEGED_ROLES.has(roleId))
}

export interface SensitiveActionRequest {
  tenant: TenantState
  /** The caller: the signed-in user, or the app's service principal (`user: null`). */
  caller: RbacPrincipal
  /** The delegated permissions of the token (`scp`); `null` for app-only calls. */
  delegatedPermissions: ReadonlySet<string> | null
  /** For app-only calls: whether an application permission (not a role) allowed the operation. */
  allowedByApplicationPermission: boolean
  /** The role permission the action needs, e.g. `microsoft.directory/users/disable`. */
  action: string
  /** The roles the target user holds (`roleIdsOf`). */
  targetRoleIds: readonly string[]
}

/**
 * Whether the caller may perform a sensitive action on a user, once its permissions and role permission over the user
 * have been checked (`requireAccess`):
 *
 * - A user without roles: yes.
 * - Delegated: the app needs `Directory.AccessAsUser.All` when the target holds a privileged role, and the signed-in
 *   user a tenant-wide role holding the action whose column of the table lists every role of the target (Global
 *   Administrator and Privileged Authentication Administrator: all). Other roles holding the action (Directory Writers,
 *   custom roles) and roles scoped to an administrative unit act on users without roles only (the table is silent on
 *   them; "the following list of permissions are restricted when the target of an action is another administrator …
 *   Delete or restore user accounts", https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-assign-roles).
 * - App-only: the application permission is "not enough privilege" for a target with a privileged role; then the app's
 *   service principal needs such a role, as a delegated caller does.
 *
 * @example
 * maySensitiveAction({ tenant, caller: { objectId: adele.id, user: adele }, delegatedPermissions: scp,
 *   allowedByApplicationPermission: false, action: 'microsoft.directory/users/disable', targetRoleIds: [] }) // true
 */
export function maySensitiveAction(request: SensitiveActionRequest): boolean {
  const { tenant, caller, delegatedPermissions, action, targetRoleIds } = request
  if (targetRoleIds.length === 0) return true
  const privilegedTarget = holdsPrivilegedRole(targetRoleIds)
  if (delegatedPermissions) {
    if (privilegedTarget && !delegatedPermissions.has(ACCESS_AS_USER)) return false
  } else if (request.allowedByApplicationPermission && !privilegedTarget) {
    return true
  }
  return assignmentsOf(tenant, caller).some((assignment) => {
    if (assignment.directoryScopeId !== '/') return false
    const roleId = assignment.roleDefinitionId.toLowerCase()
    if (!rolePermissionsOf(tenant, roleId).some((held) => grantsAction(held, action))) return false
    const actionable = ACTIONABLE_ROLES.get(roleId)
    if (actionable === 'all') return true
    return targetRoleIds.every((targetRole) => actionable?.has(targetRole) ?? false)
  })
}
