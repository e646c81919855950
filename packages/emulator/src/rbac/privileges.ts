import type { DirectoryGroup, DirectoryUser, TenantState } from '../state/directory.js'
import { isGroupInUnit, isUserInUnit, type MembershipProcessed } from './administrative-units.js'
import {
  BUILT_IN_ROLES,
  DEFAULT_MEMBER_ROLE_TEMPLATE_ID,
  findBuiltInRole,
  grantsAction,
} from './built-in-roles.js'
import { type RoleAssignmentRecord, roleAssignmentRecord } from './tenant-rbac.js'

/** What an action is performed on: the tenant itself (inviting), a user, or a group. */
export type DirectoryTarget =
  | { kind: 'tenant' }
  | { kind: 'user'; user: DirectoryUser }
  | { kind: 'group'; group: DirectoryGroup }

/** A user or a service principal, by directory object id. */
export interface RbacPrincipal {
  objectId: string
  /** The user, for delegated calls; `null` for a service principal. */
  user: DirectoryUser | null
}

export interface PrivilegeOptions {
  processed: MembershipProcessed
  /**
   * Whether assignments scoped to an administrative unit count. Entra ignores them for service principals and
   * guests without tenant-wide directory read permissions
   * (https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-assign-roles#service-principals-and-guest-users).
   */
  administrativeUnitScopes: boolean
}

/** What group owners may do to their group ("Group owners" in Graph's lists of supported roles). */
const OWNER_ACTIONS = [
  'microsoft.directory/groups/basic/update',
  'microsoft.directory/groups/members/update',
  'microsoft.directory/groups/owners/update',
]

/** Every role assignment of the tenant: the explicit ones and those users' `directoryRoles` stand for. */
export function allRoleAssignments(tenant: TenantState): RoleAssignmentRecord[] {
  const implied = [...tenant.users.values()].flatMap((user) => directoryRoleAssignments(tenant, user))
  const seen = new Set<string>()
  return [...tenant.roleAssignments, ...implied].filter((assignment) => {
    if (seen.has(assignment.id)) return false
    seen.add(assignment.id)
    return true
  })
}

/** The role assignments of one principal (a user or a service principal). */
export function assignmentsOf(tenant: TenantState, principal: RbacPrincipal): RoleAssignmentRecord[] {
  const explicit = tenant.roleAssignments.filter(
    (assignment) => assignment.principalId === principal.objectId,
  )
  return principal.user ? [...explicit, ...directoryRoleAssignments(tenant, principal.user)] : explicit
}

/**
 * The `wids` of a user's tokens: template ids of the built-in roles assigned tenant-wide, then, for members, the
 * default User role (`b79fbf4d-…`), as Entra writes them.
 */
export function tenantWideRoleTemplateIds(tenant: TenantState, user: DirectoryUser): string[] {
  const ids = assignmentsOf(tenant, { objectId: user.id, user })
    .filter(
      (assignment) => assignment.directoryScopeId === '/' && BUILT_IN_ROLES.has(assignment.roleDefinitionId),
    )
    .map((assignment) => assignment.roleDefinitionId)
  const unique = [...new Set(ids)]
  return user.userType === 'Member' ? [...unique, DEFAULT_MEMBER_ROLE_TEMPLATE_ID] : unique
}

/**
 * A role definition's permissions: a built-in role's (by template id, with those of the roles it inherits from) or a
 * custom role's.
 */
export function rolePermissionsOf(tenant: TenantState, roleDefinitionId: string): readonly string[] {
  const id = roleDefinitionId.toLowerCase()
  const builtIn = BUILT_IN_ROLES.get(id)
  if (builtIn) {
    const inherited = (builtIn.inheritsPermissionsFrom ?? []).flatMap(
      (parent) => BUILT_IN_ROLES.get(parent)?.rolePermissions ?? [],
    )
    return inherited.length ? [...builtIn.rolePermissions, ...inherited] : builtIn.rolePermissions
  }
  return tenant.roleDefinitions.get(id)?.rolePermissions ?? []
}

/**
 * Whether the principal may perform `action` on the target: through a role assignment whose permissions grant the
 * action and whose scope covers the target — `/` the whole tenant, `/administrativeUnits/{id}` the unit's members,
 * `/{groupId}` that group — or, for a group, by owning it.
 *
 * @example
 * holdsAction(tenant, { objectId: megan.id, user: megan }, 'microsoft.directory/groups/members/update', { kind: 'group', group }, options)
 */
export function holdsAction(
  tenant: TenantState,
  principal: RbacPrincipal,
  action: string,
  target: DirectoryTarget,
  options: PrivilegeOptions,
): boolean {
  if (
    target.kind === 'group' &&
    target.group.owners.has(principal.objectId) &&
    OWNER_ACTIONS.some((owned) => grantsAction(owned, action))
  ) {
    return true
  }
  return assignmentsOf(tenant, principal).some(
    (assignment) =>
      rolePermissionsOf(tenant, assignment.roleDefinitionId).some((held) => grantsAction(held, action)) &&
      scopeCovers(tenant, assignment.directoryScopeId, target, options),
  )
}

/** Whether a tenant-wide (`/`) assignment of the principal grants the action. */
export function holdsTenantWideAction(
  tenant: TenantState,
  principal: RbacPrincipal,
  action: string,
): boolean {
  return assignmentsOf(tenant, principal).some(
    (assignment) =>
      assignment.directoryScopeId === '/' &&
      rolePermissionsOf(tenant, assignment.roleDefinitionId).some((held) => grantsAction(held, action)),
  )
}

/** Whether a role assignment's `directoryScopeId` covers the target. */
export function scopeCovers(
  tenant: TenantState,
  scopeId: string,
  target: DirectoryTarget,
  options: PrivilegeOptions,
): boolean {
  if (scopeId === '/') return true
  const unitId = /^\/administrativeUnits\/(.+)$/.exec(scopeId)?.[1]
  if (unitId !== undefined) {
    const unit = tenant.administrativeUnits.get(unitId)
    if (!unit || !options.administrativeUnitScopes) return false
    if (target.kind === 'user') return isUserInUnit(unit, target.user, options.processed)
    if (target.kind === 'group') return isGroupInUnit(unit, target.group)
    return false
  }
  return target.kind === 'group' && scopeId === `/${target.group.id}`
}

function directoryRoleAssignments(tenant: TenantState, user: DirectoryUser): RoleAssignmentRecord[] {
  return user.directoryRoles.flatMap((role) => {
    const roleId = findBuiltInRole(role)?.templateId ?? customRoleId(tenant, role)
    return roleId ? [roleAssignmentRecord(user.id, roleId, '/')] : []
  })
}

function customRoleId(tenant: TenantState, idOrName: string): string | undefined {
  const key = idOrName.toLowerCase()
  return [...tenant.roleDefinitions.values()].find(
    (role) => role.id === key || role.displayName.toLowerCase() === key,
  )?.id
}
