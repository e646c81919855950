import { BUILT_IN_ROLES } from '../rbac/built-in-roles.js'
import type { RoleAssignmentRecord } from '../rbac/tenant-rbac.js'
import type { TenantState } from '../state/directory.js'

/** A `microsoft.graph.unifiedRoleDefinition`, as Graph returns it. */
export interface RoleDefinitionView {
  id: string
  description: string | null
  displayName: string
  isBuiltIn: boolean
  isEnabled: boolean
  resourceScopes: string[]
  templateId: string
  version: string | null
  rolePermissions: Array<{ allowedResourceActions: string[]; condition: null }>
}

/** A `microsoft.graph.unifiedRoleAssignment`, as Graph returns it (`resourceScope` is its older name of the scope). */
export interface RoleAssignmentView {
  id: string
  principalId: string
  resourceScope: string
  directoryScopeId: string
  roleDefinitionId: string
}

/** The properties `$select` may name, in Graph's order. */
export const ROLE_DEFINITION_PROPERTY_NAMES = [
  'id',
  'description',
  'displayName',
  'isBuiltIn',
  'isEnabled',
  'resourceScopes',
  'templateId',
  'version',
  'rolePermissions',
] as const satisfies ReadonlyArray<keyof RoleDefinitionView>

export const ROLE_ASSIGNMENT_PROPERTY_NAMES = [
  'id',
  'principalId',
  'resourceScope',
  'directoryScopeId',
  'roleDefinitionId',
] as const satisfies ReadonlyArray<keyof RoleAssignmentView>

export const ROLE_DEFINITION_TYPE_NAME = 'microsoft.graph.unifiedRoleDefinition'
export const ROLE_ASSIGNMENT_TYPE_NAME = 'microsoft.graph.unifiedRoleAssignment'

/**
 * The tenant's role definitions: the built-in roles the emulator models (id = template id, as Entra's built-in
 * definitions are) and the tenant's custom roles (`isBuiltIn: false`, `templateId` = id, `version` null).
 * Built-in roles list only the permissions the emulator checks; Entra's hold many more.
 */
export function roleDefinitionsOf(tenant: TenantState): RoleDefinitionView[] {
  const builtIn = [...BUILT_IN_ROLES.values()].map(
    (role): RoleDefinitionView => ({
      id: role.templateId,
      description: role.description,
      displayName: role.displayName,
      isBuiltIn: true,
      isEnabled: true,
      resourceScopes: ['/'],
      templateId: role.templateId,
      version: '1',
      rolePermissions: [{ allowedResourceActions: [...role.rolePermissions], condition: null }],
    }),
  )
  const custom = [...tenant.roleDefinitions.values()].map(
    (role): RoleDefinitionView => ({
      id: role.id,
      description: role.description,
      displayName: role.displayName,
      isBuiltIn: false,
      isEnabled: true,
      resourceScopes: ['/'],
      templateId: role.id,
      version: null,
      rolePermissions: [{ allowedResourceActions: [...role.rolePermissions], condition: null }],
    }),
  )
  return [...builtIn, ...custom]
}

/** A role assignment as Graph shows it. */
export function roleAssignmentView(assignment: RoleAssignmentRecord): RoleAssignmentView {
  return {
    id: assignment.id,
    principalId: assignment.principalId,
    resourceScope: assignment.directoryScopeId,
    directoryScopeId: assignment.directoryScopeId,
    roleDefinitionId: assignment.roleDefinitionId,
  }
}
