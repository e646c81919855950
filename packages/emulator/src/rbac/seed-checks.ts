import type { TenantSeed } from '../state/seed-schema.js'
import { BUILT_IN_ROLES, findBuiltInRole } from './built-in-roles.js'
import { parseMembershipRule } from './membership-rule.js'

const AU_SCOPE = /^\/administrativeUnits\/([0-9a-f-]{36})$/i
const OBJECT_SCOPE = /^\/([0-9a-f-]{36})$/i

/**
 * Checks a tenant's role model for broken cross references: custom roles, administrative units, role assignments,
 * group owners and users' `directoryRoles`. Returns the first problem as a sentence, or `undefined` when all is well.
 *
 * @example
 * rbacSeedProblem(tenant) // "role assignment 0 names roleDefinitionId 1234…, which is neither a built-in role template id nor a custom role of tenant Contoso"
 */
export function rbacSeedProblem(tenant: TenantSeed): string | undefined {
  return (
    customRoleProblem(tenant) ??
    administrativeUnitProblem(tenant) ??
    roleAssignmentProblem(tenant) ??
    ownerProblem(tenant) ??
    directoryRolesProblem(tenant)
  )
}

function customRoleProblem(tenant: TenantSeed): string | undefined {
  const seen = new Set<string>()
  for (const role of tenant.roleDefinitions ?? []) {
    const id = role.id.toLowerCase()
    if (BUILT_IN_ROLES.has(id))
      return `custom role ${role.displayName} uses the id ${role.id} of the built-in role ${BUILT_IN_ROLES.get(id)?.displayName}`
    if (seen.has(id)) return `custom role id ${role.id} is used twice in tenant ${tenant.displayName}`
    seen.add(id)
  }
  return undefined
}

function administrativeUnitProblem(tenant: TenantSeed): string | undefined {
  const objectIds = new Set([...tenant.users, ...tenant.groups].map((entity) => entity.id.toLowerCase()))
  for (const unit of tenant.administrativeUnits ?? []) {
    const name = `administrative unit ${unit.displayName}`
    if (objectIds.has(unit.id.toLowerCase()))
      return `${name}: id ${unit.id} is used twice; every object id must be unique`
    objectIds.add(unit.id.toLowerCase())
    const dynamic = unit.membershipType === 'Dynamic'
    if (dynamic && unit.membershipRule === undefined) return `${name} is Dynamic but has no membershipRule`
    if (!dynamic && unit.membershipRule !== undefined)
      return `${name} has a membershipRule but membershipType is not Dynamic`
    if (unit.membershipRule !== undefined && !parseMembershipRule(unit.membershipRule)) {
      return `${name}: membershipRule '${unit.membershipRule}' is not supported; the emulator evaluates (user.userType -eq "Guest") and (user.userType -eq "Member")`
    }
    if (dynamic && unit.members?.length)
      return `${name} is Dynamic, so its members follow the rule; remove members`
  }
  const memberIds = new Set([...tenant.users, ...tenant.groups].map((entity) => entity.id.toLowerCase()))
  for (const unit of tenant.administrativeUnits ?? []) {
    for (const member of unit.members ?? []) {
      if (!memberIds.has(member.toLowerCase()))
        return `administrative unit ${unit.displayName} lists member ${member}, which is not a user or group of tenant ${tenant.displayName}`
    }
  }
  return undefined
}

function roleAssignmentProblem(tenant: TenantSeed): string | undefined {
  const customRoles = new Set((tenant.roleDefinitions ?? []).map((role) => role.id.toLowerCase()))
  const units = new Set((tenant.administrativeUnits ?? []).map((unit) => unit.id.toLowerCase()))
  const groups = new Set(tenant.groups.map((group) => group.id.toLowerCase()))
  for (const [index, assignment] of (tenant.roleAssignments ?? []).entries()) {
    const name = `role assignment ${index}`
    if (!isPrincipal(tenant, assignment.principalId)) {
      return `${name} names principalId ${assignment.principalId}, which is neither a user nor an application (clientId) of tenant ${tenant.displayName}`
    }
    const roleId = assignment.roleDefinitionId.toLowerCase()
    const builtIn = BUILT_IN_ROLES.get(roleId)
    if (!builtIn && !customRoles.has(roleId)) {
      return `${name} names roleDefinitionId ${assignment.roleDefinitionId}, which is neither a built-in role template id nor a custom role of tenant ${tenant.displayName}`
    }
    const scope = assignment.directoryScopeId
    if (scope === '/') continue
    const unitId = AU_SCOPE.exec(scope)?.[1]?.toLowerCase()
    if (unitId !== undefined) {
      if (!units.has(unitId))
        return `${name} is scoped to ${scope}, which is not an administrative unit of tenant ${tenant.displayName}`
      if (builtIn && !builtIn.administrativeUnitScopable)
        return `${name}: ${builtIn.displayName} cannot be assigned with administrative unit scope`
      continue
    }
    const objectId = OBJECT_SCOPE.exec(scope)?.[1]?.toLowerCase()
    if (objectId === undefined || !groups.has(objectId)) {
      return `${name} has directoryScopeId '${scope}'; use '/', '/administrativeUnits/{id}' or '/{groupId}' with ids of tenant ${tenant.displayName}`
    }
  }
  return undefined
}

function ownerProblem(tenant: TenantSeed): string | undefined {
  for (const group of tenant.groups) {
    for (const owner of group.owners ?? []) {
      if (!isPrincipal(tenant, owner)) {
        return `group ${group.displayName} lists owner ${owner}, which is neither a user nor an application (clientId) of tenant ${tenant.displayName}`
      }
    }
  }
  return undefined
}

function directoryRolesProblem(tenant: TenantSeed): string | undefined {
  const custom = tenant.roleDefinitions ?? []
  for (const user of tenant.users) {
    for (const role of user.directoryRoles ?? []) {
      const key = role.toLowerCase()
      const known =
        findBuiltInRole(role) ??
        custom.find(
          (definition) => definition.id.toLowerCase() === key || definition.displayName.toLowerCase() === key,
        )
      if (!known) {
        return `user ${user.userPrincipalName} has directory role '${role}', which is neither a built-in role (name or template id) nor a custom role of tenant ${tenant.displayName}`
      }
    }
  }
  return undefined
}

function isPrincipal(tenant: TenantSeed, id: string): boolean {
  const key = id.toLowerCase()
  return (
    tenant.users.some((user) => user.id.toLowerCase() === key) ||
    tenant.applications.some((app) => app.clientId.toLowerCase() === key)
  )
}
