import type { AdministrativeUnitSeed, TenantSeed } from '../state/seed.js'
import { servicePrincipalId } from '../state/service-principal-id.js'
import { type MembershipRule, parseMembershipRule } from './membership-rule.js'

/** A custom directory role of the tenant. */
export interface CustomRoleRecord {
  id: string
  displayName: string
  description: string | null
  rolePermissions: string[]
}

/** An administrative unit: assigned members (user and group ids) or a dynamic rule on users. */
export interface AdministrativeUnitRecord {
  id: string
  displayName: string
  description: string | null
  membershipType: 'Assigned' | 'Dynamic' | null
  membershipRule: string | null
  rule: MembershipRule | null
  members: Set<string>
}

/** A role assignment with the principal resolved to its object id (a user's, or a service principal's). */
export interface RoleAssignmentRecord {
  id: string
  principalId: string
  roleDefinitionId: string
  directoryScopeId: string
}

/** The tenant's role model as the directory holds it. */
export interface TenantRbac {
  roleDefinitions: Map<string, CustomRoleRecord>
  administrativeUnits: Map<string, AdministrativeUnitRecord>
  roleAssignments: RoleAssignmentRecord[]
}

/**
 * Builds the tenant's custom roles, administrative units and explicit role assignments from a validated seed,
 * resolving application client ids to their service principals' object ids.
 */
export function rbacFromSeed(tenantId: string, seed: TenantSeed): TenantRbac {
  const resolve = principalResolver(tenantId, seed)
  return {
    roleDefinitions: new Map(
      (seed.roleDefinitions ?? []).map((role) => [
        role.id.toLowerCase(),
        {
          id: role.id.toLowerCase(),
          displayName: role.displayName,
          description: role.description ?? null,
          rolePermissions: [...role.rolePermissions],
        },
      ]),
    ),
    administrativeUnits: new Map(
      (seed.administrativeUnits ?? []).map((unit) => [unit.id.toLowerCase(), unitFromSeed(unit)]),
    ),
    roleAssignments: (seed.roleAssignments ?? []).map((assignment) =>
      roleAssignmentRecord(
        resolve(assignment.principalId),
        assignment.roleDefinitionId.toLowerCase(),
        assignment.directoryScopeId.toLowerCase().replace('/administrativeunits/', '/administrativeUnits/'),
      ),
    ),
  }
}

/**
 * Maps a seed principal reference (a user id, or an application client id) to a directory object id: the user's
 * id, or the object id of the app's service principal in the tenant.
 */
export function principalResolver(tenantId: string, seed: TenantSeed): (reference: string) => string {
  const userIds = new Set(seed.users.map((user) => user.id.toLowerCase()))
  return (reference) => {
    const key = reference.toLowerCase()
    return userIds.has(key) ? key : servicePrincipalId(tenantId, key)
  }
}

/**
 * A role assignment with the id Entra gives it: the role definition and principal ids' bytes (in .NET GUID byte
 * order), base64url-encoded, then `-1`. For a scoped assignment the scope object's bytes are appended before `-1`
 * (Entra's ids for scoped assignments are not documented).
 *
 * @example
 * roleAssignmentRecord('f1847572-…', '62e90394-69f5-4237-9190-012177145e10', '/').id // 'lAPpYvVpN0KRkAEhdxReE…-1'
 */
export function roleAssignmentRecord(
  principalId: string,
  roleDefinitionId: string,
  directoryScopeId: string,
): RoleAssignmentRecord {
  const scopeObject = /([0-9a-f-]{36})$/i.exec(directoryScopeId)?.[1]
  const bytes = Buffer.concat([
    guidBytes(roleDefinitionId),
    guidBytes(principalId),
    ...(scopeObject ? [guidBytes(scopeObject)] : []),
  ])
  return { id: `${bytes.toString('base64url')}-1`, principalId, roleDefinitionId, directoryScopeId }
}

function unitFromSeed(unit: AdministrativeUnitSeed): AdministrativeUnitRecord {
  return {
    id: unit.id.toLowerCase(),
    displayName: unit.displayName,
    description: unit.description ?? null,
    membershipType: unit.membershipType ?? null,
    membershipRule: unit.membershipRule ?? null,
    rule: unit.membershipRule ? (parseMembershipRule(unit.membershipRule) ?? null) : null,
    members: new Set((unit.members ?? []).map((member) => member.toLowerCase())),
  }
}

/** A GUID's 16 bytes as .NET writes them: the first three fields little-endian. */
function guidBytes(guid: string): Buffer {
  const hex = guid.replaceAll('-', '')
  const bytes = Buffer.from(hex, 'hex')
  const swap = (start: number, length: number) => bytes.subarray(start, start + length).reverse()
  swap(0, 4)
  swap(4, 2)
  swap(6, 2)
  return bytes
}
