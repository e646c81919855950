/**
 * Microsoft Entra built-in roles the emulator knows, by template id, with the subset of their role permissions that
 * the emulated Graph routes check. Ids, names and permission strings are copied from Microsoft's reference:
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 */

/** A built-in role: what `unifiedRoleDefinition` shows for it and what the emulator checks. */
export interface BuiltInRole {
  templateId: string
  displayName: string
  description: string
  /**
   * Whether the role may be assigned with administrative unit scope
   * (https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-assign-roles).
   */
  administrativeUnitScopable: boolean
  /** Only the permissions relevant to the emulated routes; the real roles hold many more. */
  rolePermissions: readonly string[]
  /**
   * Roles whose permissions this one also holds (`inheritsPermissionsFrom`): most administrator roles read the
   * directory as Directory Readers do. They count in permission checks, not in `rolePermissions`.
   */
  inheritsPermissionsFrom?: readonly string[]
}

/** Directory Readers' template id, which most administrator roles inherit their read permissions from. */
export const DIRECTORY_READERS_TEMPLATE_ID = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b'

/** The template id Entra adds to `wids` for every member user: the default "User" role. */
export const DEFAULT_MEMBER_ROLE_TEMPLATE_ID = 'b79fbf4d-3ef9-4689-8143-76b194e85509'

const DIRECTORY_READ = [
  'microsoft.directory/administrativeUnits/members/read',
  'microsoft.directory/administrativeUnits/standard/read',
  'microsoft.directory/groups/members/read',
  'microsoft.directory/groups/owners/read',
  'microsoft.directory/groups/standard/read',
  'microsoft.directory/roleAssignments/standard/read',
  'microsoft.directory/roleDefinitions/standard/read',
  'microsoft.directory/servicePrincipals/appRoleAssignedTo/read',
  'microsoft.directory/servicePrincipals/standard/read',
  'microsoft.directory/users/appRoleAssignments/read',
  'microsoft.directory/users/sponsors/read',
  'microsoft.directory/users/standard/read',
]

/** The built-in roles by template id (lower case). */
export const BUILT_IN_ROLES: ReadonlyMap<string, BuiltInRole> = new Map(
  [
    {
      templateId: '62e90394-69f5-4237-9190-012177145e10',
      displayName: 'Global Administrator',
      description:
        'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
      administrativeUnitScopable: false,
      rolePermissions: [
        'microsoft.directory/administrativeUnits/allProperties/allTasks',
        'microsoft.directory/groups/allProperties/allTasks',
        'microsoft.directory/roleAssignments/allProperties/allTasks',
        'microsoft.directory/roleDefinitions/allProperties/allTasks',
        'microsoft.directory/servicePrincipals/allProperties/allTasks',
        'microsoft.directory/users/allProperties/allTasks',
      ],
    },
    {
      templateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
      displayName: 'User Administrator',
      description:
        'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
      administrativeUnitScopable: true,
      rolePermissions: [
        'microsoft.directory/groups/basic/update',
        'microsoft.directory/groups/members/update',
        'microsoft.directory/groups/owners/update',
        'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
        'microsoft.directory/users/assignLicense',
        'microsoft.directory/users/basic/update',
        'microsoft.directory/users/delete',
        'microsoft.directory/users/disable',
        'microsoft.directory/users/enable',
        'microsoft.directory/users/invalidateAllRefreshTokens',
        'microsoft.directory/users/inviteGuest',
        'microsoft.directory/users/password/update',
        'microsoft.directory/users/restore',
        'microsoft.directory/users/sponsors/update',
        'microsoft.directory/users/usageLocation/update',
        'microsoft.directory/users/userPrincipalName/update',
      ],
      inheritsPermissionsFrom: [DIRECTORY_READERS_TEMPLATE_ID],
    },
    {
      templateId: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
      displayName: 'Groups Administrator',
      description:
        'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.',
      administrativeUnitScopable: true,
      rolePermissions: [
        'microsoft.directory/groups/basic/update',
        'microsoft.directory/groups/members/update',
        'microsoft.directory/groups/owners/update',
      ],
    },
    {
      templateId: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
      displayName: 'Guest Inviter',
      description: "Can invite guest users independent of the 'members can invite guests' setting.",
      administrativeUnitScopable: false,
      rolePermissions: [
        'microsoft.directory/users/appRoleAssignments/read',
        'microsoft.directory/users/inviteGuest',
        'microsoft.directory/users/sponsors/read',
        'microsoft.directory/users/standard/read',
      ],
    },
    {
      templateId: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
      displayName: 'License Administrator',
      description: 'Can manage product licenses on users and groups.',
      administrativeUnitScopable: true,
      rolePermissions: [
        'microsoft.directory/users/assignLicense',
        'microsoft.directory/users/usageLocation/update',
      ],
    },
    {
      templateId: '9360feb5-f418-4baa-8175-e2a00bac4301',
      displayName: 'Directory Writers',
      description:
        'Can read and write basic directory information. For granting access to applications, not intended for users.',
      administrativeUnitScopable: false,
      rolePermissions: [
        'microsoft.directory/groups/basic/update',
        'microsoft.directory/groups/members/update',
        'microsoft.directory/groups/owners/update',
        'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
        'microsoft.directory/users/assignLicense',
        'microsoft.directory/users/basic/update',
        'microsoft.directory/users/disable',
        'microsoft.directory/users/enable',
        'microsoft.directory/users/invalidateAllRefreshTokens',
        'microsoft.directory/users/inviteGuest',
        'microsoft.directory/users/sponsors/update',
        'microsoft.directory/users/userPrincipalName/update',
      ],
      inheritsPermissionsFrom: [DIRECTORY_READERS_TEMPLATE_ID],
    },
    {
      templateId: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
      displayName: 'Application Administrator',
      description: 'Can create and manage all aspects of app registrations and enterprise apps.',
      administrativeUnitScopable: false,
      rolePermissions: [
        'microsoft.directory/applications/basic/update',
        'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
        'microsoft.directory/servicePrincipals/basic/update',
      ],
      inheritsPermissionsFrom: [DIRECTORY_READERS_TEMPLATE_ID],
    },
    {
      templateId: '158c047a-c907-4556-b7ef-446551a6b5f7',
      displayName: 'Cloud Application Administrator',
      description:
        'Can create and manage all aspects of app registrations and enterprise apps except App Proxy.',
      administrativeUnitScopable: false,
      rolePermissions: [
        'microsoft.directory/applications/basic/update',
        'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
        'microsoft.directory/servicePrincipals/basic/update',
      ],
      inheritsPermissionsFrom: [DIRECTORY_READERS_TEMPLATE_ID],
    },
    {
      templateId: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
      displayName: 'Privileged Role Administrator',
      description:
        'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
      administrativeUnitScopable: false,
      rolePermissions: [
        'microsoft.directory/administrativeUnits/allProperties/allTasks',
        'microsoft.directory/roleAssignments/allProperties/allTasks',
        'microsoft.directory/roleDefinitions/allProperties/allTasks',
        'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      ],
      inheritsPermissionsFrom: [DIRECTORY_READERS_TEMPLATE_ID],
    },
    {
      templateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
      displayName: 'Helpdesk Administrator',
      description: 'Can reset passwords for non-administrators and Helpdesk Administrators.',
      administrativeUnitScopable: true,
      rolePermissions: [
        'microsoft.directory/users/invalidateAllRefreshTokens',
        'microsoft.directory/users/password/update',
      ],
      inheritsPermissionsFrom: [DIRECTORY_READERS_TEMPLATE_ID],
    },
    {
      templateId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
      displayName: 'Authentication Administrator',
      description:
        'Can access to view, set and reset authentication method information for any non-admin user.',
      administrativeUnitScopable: true,
      rolePermissions: [
        'microsoft.directory/deletedItems.users/restore',
        'microsoft.directory/users/basic/update',
        'microsoft.directory/users/delete',
        'microsoft.directory/users/disable',
        'microsoft.directory/users/enable',
        'microsoft.directory/users/invalidateAllRefreshTokens',
        'microsoft.directory/users/password/update',
        'microsoft.directory/users/restore',
        'microsoft.directory/users/userPrincipalName/update',
      ],
    },
    {
      templateId: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
      displayName: 'Privileged Authentication Administrator',
      description:
        'Can access to view, set and reset authentication method information for any user (admin or non-admin).',
      administrativeUnitScopable: true,
      rolePermissions: [
        'microsoft.directory/deletedItems.users/restore',
        'microsoft.directory/users/basic/update',
        'microsoft.directory/users/delete',
        'microsoft.directory/users/disable',
        'microsoft.directory/users/enable',
        'microsoft.directory/users/invalidateAllRefreshTokens',
        'microsoft.directory/users/password/update',
        'microsoft.directory/users/restore',
        'microsoft.directory/users/userPrincipalName/update',
      ],
    },
    {
      templateId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
      displayName: 'Directory Readers',
      description:
        'Can read basic directory information. Commonly used to grant directory read access to applications and guests.',
      administrativeUnitScopable: false,
      rolePermissions: DIRECTORY_READ,
    },
    {
      templateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
      displayName: 'Global Reader',
      description: 'Can read everything that a Global Administrator can, but not update anything.',
      administrativeUnitScopable: false,
      rolePermissions: [
        'microsoft.directory/administrativeUnits/allProperties/read',
        'microsoft.directory/groups/allProperties/read',
        'microsoft.directory/roleAssignments/allProperties/read',
        'microsoft.directory/roleDefinitions/allProperties/read',
        'microsoft.directory/servicePrincipals/allProperties/read',
        'microsoft.directory/users/allProperties/read',
      ],
    },
  ].map((role) => [role.templateId, role]),
)

/**
 * Finds a built-in role by template id or display name (case-insensitive), as the seed's `directoryRoles` name them.
 *
 * @example
 * findBuiltInRole('Guest Inviter')?.templateId // '95e79109-95c0-4d8e-aee3-d01accf2d47b'
 */
export function findBuiltInRole(idOrName: string): BuiltInRole | undefined {
  const key = idOrName.trim().toLowerCase()
  return (
    BUILT_IN_ROLES.get(key) ??
    [...BUILT_IN_ROLES.values()].find((role) => role.displayName.toLowerCase() === key)
  )
}

/**
 * Whether a held role permission grants a wanted one: the same string (ignoring case), or a wildcard of the same
 * entity — `…/users/allProperties/allTasks` grants every `…/users/…` action, `…/users/allProperties/read` every
 * `…/users/…/read`.
 *
 * @example
 * grantsAction('microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/inviteGuest') // true
 */
export function grantsAction(held: string, wanted: string): boolean {
  const heldKey = held.toLowerCase()
  const wantedKey = wanted.toLowerCase()
  if (heldKey === wantedKey) return true
  const allTasks = /^(.*\/)allproperties\/alltasks$/.exec(heldKey)
  if (allTasks) return wantedKey.startsWith(allTasks[1] as string)
  const allRead = /^(.*\/)allproperties\/read$/.exec(heldKey)
  return allRead ? wantedKey.startsWith(allRead[1] as string) && wantedKey.endsWith('/read') : false
}
