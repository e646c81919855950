import { createHash, randomBytes } from 'node:crypto'
import type { DirectoryUser, TenantState } from './directory.js'
import type { ApplicationSeed } from './seed.js'
import { servicePrincipalId } from './service-principal-id.js'

/** The app role id that assigns a principal to an app that declares no app roles ("default access"). */
export const DEFAULT_ACCESS_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000'

/** An app role as Graph shows it on a service principal (`microsoft.graph.appRole`), in Graph's property order. */
export interface AppRoleView {
  allowedMemberTypes: Array<'User' | 'Application'>
  description: string | null
  displayName: string | null
  id: string
  isEnabled: boolean
  origin: 'Application'
  value: string
}

/**
 * An app role assignment (`microsoft.graph.appRoleAssignment`) as the directory keeps it: who (`principalId`) holds
 * which role (`appRoleId`) of which resource service principal (`resourceId`). Display names are read when shown.
 */
export interface AppRoleAssignmentRecord {
  id: string
  appRoleId: string
  createdDateTime: string
  principalId: string
  principalType: 'User' | 'Group' | 'ServicePrincipal'
  resourceId: string
}

/**
 * The app roles an application declares, as its service principal shows them. A seed role without `id` gets a stable
 * name-based GUID (from the client id and the role's value), the same in every tenant, as a role's id belongs to the
 * application registration.
 *
 * @example
 * appRolesOf(bff).map((role) => role.value) // ['Invitations.Admin', 'Invitations.Send.All']
 */
export function appRolesOf(app: ApplicationSeed): AppRoleView[] {
  return (app.appRoles ?? []).map((role) => ({
    allowedMemberTypes: [...role.allowedMemberTypes],
    description: role.description ?? null,
    displayName: role.displayName ?? null,
    id: (role.id ?? nameBasedGuid(`appRole:${app.clientId.toLowerCase()}:${role.value}`)).toLowerCase(),
    isEnabled: role.isEnabled ?? true,
    origin: 'Application',
    value: role.value,
  }))
}

const stores = new WeakMap<TenantState, AppRoleAssignmentRecord[]>()

/**
 * The tenant's app role assignments, live (callers may push and splice). Built on first use from the seed: a user's
 * `appRoles` become assignments on every application of the tenant that declares that value for users, and an app's
 * `grantedAppRoles` (`{clientId}/{value}`) become assignments of its service principal on that API. A directory
 * reset builds new tenants, hence new assignments.
 */
export function appRoleAssignmentsOf(tenant: TenantState): AppRoleAssignmentRecord[] {
  let store = stores.get(tenant)
  if (!store) {
    store = seededAssignments(tenant)
    stores.set(tenant, store)
  }
  return store
}

/**
 * A new assignment id as Entra makes them: the principal's object id bytes (.NET GUID byte order) followed by 16 more
 * bytes, base64url-encoded (43 characters). The second half is random here; `seed` makes it stable.
 */
export function appRoleAssignmentId(principalId: string, seed?: string): string {
  const tail = seed ? createHash('sha256').update(seed).digest().subarray(0, 16) : randomBytes(16)
  return Buffer.concat([dotNetGuidBytes(principalId), tail]).toString('base64url')
}

/**
 * The app role values a user holds on an API in the tokens Entra issues for it: roles assigned to the user, or to a
 * group the user is a direct member of, that are enabled and open to users.
 */
export function userAppRoleValues(tenant: TenantState, api: ApplicationSeed, user: DirectoryUser): string[] {
  const groups = [...tenant.groups.values()].filter((group) => group.members.has(user.id)).map((g) => g.id)
  return roleValues(tenant, api, [user.id, ...groups], 'User')
}

/** The app role values (application permissions) a client app's service principal holds on an API. */
export function servicePrincipalAppRoleValues(
  tenant: TenantState,
  api: ApplicationSeed,
  clientId: string,
): string[] {
  return roleValues(tenant, api, [servicePrincipalId(tenant.id, clientId)], 'Application')
}

function roleValues(
  tenant: TenantState,
  api: ApplicationSeed,
  principalIds: string[],
  memberType: 'User' | 'Application',
): string[] {
  const resourceId = servicePrincipalId(tenant.id, api.clientId)
  const roles = new Map(appRolesOf(api).map((role) => [role.id, role]))
  const values = appRoleAssignmentsOf(tenant)
    .filter(
      (assignment) => assignment.resourceId === resourceId && principalIds.includes(assignment.principalId),
    )
    .map((assignment) => roles.get(assignment.appRoleId))
    .filter(
      (role): role is AppRoleView => !!role && role.isEnabled && role.allowedMemberTypes.includes(memberType),
    )
    .map((role) => role.value)
  return [...new Set(values)]
}

function seededAssignments(tenant: TenantState): AppRoleAssignmentRecord[] {
  const createdDateTime = new Date().toISOString()
  const apps = [...tenant.applications.values()]
  const records: AppRoleAssignmentRecord[] = []
  const add = (
    principalId: string,
    principalType: AppRoleAssignmentRecord['principalType'],
    app: ApplicationSeed,
    role: AppRoleView,
  ) => {
    const resourceId = servicePrincipalId(tenant.id, app.clientId)
    if (
      records.some(
        (r) => r.principalId === principalId && r.resourceId === resourceId && r.appRoleId === role.id,
      )
    )
      return
    records.push({
      id: appRoleAssignmentId(principalId, `${resourceId}:${role.id}`),
      appRoleId: role.id,
      createdDateTime,
      principalId,
      principalType,
      resourceId,
    })
  }
  for (const user of tenant.users.values()) {
    for (const value of user.appRoles) {
      for (const app of apps) {
        const role = appRolesOf(app).find((r) => r.value === value && r.allowedMemberTypes.includes('User'))
        if (role) add(user.id, 'User', app, role)
      }
    }
  }
  for (const client of apps) {
    for (const grant of client.grantedAppRoles ?? []) {
      const slash = grant.indexOf('/')
      const api = tenant.applications.get(grant.slice(0, slash).toLowerCase())
      const role = api
        ? appRolesOf(api).find(
            (r) => r.value === grant.slice(slash + 1) && r.allowedMemberTypes.includes('Application'),
          )
        : undefined
      if (api && role) add(servicePrincipalId(tenant.id, client.clientId), 'ServicePrincipal', api, role)
    }
  }
  return records
}

/** A name-based (version 5 shaped) GUID, stable for the same name. */
function nameBasedGuid(name: string): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A GUID's 16 bytes as .NET writes them: the first three fields little-endian. */
function dotNetGuidBytes(guid: string): Buffer {
  const bytes = Buffer.from(guid.replaceAll('-', ''), 'hex')
  bytes.subarray(0, 4).reverse()
  bytes.subarray(4, 6).reverse()
  bytes.subarray(6, 8).reverse()
  return bytes
}
