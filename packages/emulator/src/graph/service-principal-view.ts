import { GRAPH_APP_ID } from '../entra/token-service.js'
import { type AppRoleView, appRolesOf } from '../state/app-role-assignments.js'
import type { TenantState } from '../state/directory.js'
import { servicePrincipalId } from '../state/service-principal-id.js'

/** Microsoft's own tenant, which owns the Microsoft Graph application. */
const MICROSOFT_SERVICES_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a'

export { servicePrincipalId }

/** A service principal: an application's instance in one tenant, as Graph's `microsoft.graph.servicePrincipal`. */
export interface ServicePrincipalView {
  id: string
  accountEnabled: boolean
  appDisplayName: string
  appId: string
  appOwnerOrganizationId: string
  appRoleAssignmentRequired: boolean
  displayName: string
  servicePrincipalNames: string[]
  servicePrincipalType: 'Application'
  tags: string[]
  appRoles: AppRoleView[]
}

/** A delegated permission grant, as Graph's `microsoft.graph.oAuth2PermissionGrant`. */
export interface PermissionGrantView {
  clientId: string
  consentType: 'AllPrincipals' | 'Principal'
  id: string
  principalId: string | null
  resourceId: string
  scope: string
}

/** Every `servicePrincipal` property `$select` may name; also the default set, in Graph's order. */
export const SERVICE_PRINCIPAL_PROPERTY_NAMES = [
  'id',
  'accountEnabled',
  'appDisplayName',
  'appId',
  'appOwnerOrganizationId',
  'appRoleAssignmentRequired',
  'displayName',
  'servicePrincipalNames',
  'servicePrincipalType',
  'tags',
  'appRoles',
] as const satisfies ReadonlyArray<keyof ServicePrincipalView>

export const SERVICE_PRINCIPAL_TYPE_NAME = 'microsoft.graph.servicePrincipal'

export const PERMISSION_GRANT_PROPERTY_NAMES = [
  'clientId',
  'consentType',
  'id',
  'principalId',
  'resourceId',
  'scope',
] as const satisfies ReadonlyArray<keyof PermissionGrantView>

export const PERMISSION_GRANT_TYPE_NAME = 'microsoft.graph.oAuth2PermissionGrant'

/** The tenant's service principals: one per application registered in it, plus Microsoft Graph's own. */
export function servicePrincipalsOf(tenant: TenantState): ServicePrincipalView[] {
  const graph: ServicePrincipalView = {
    id: servicePrincipalId(tenant.id, GRAPH_APP_ID),
    accountEnabled: true,
    appDisplayName: 'Microsoft Graph',
    appId: GRAPH_APP_ID,
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
    appRoleAssignmentRequired: false,
    displayName: 'Microsoft Graph',
    servicePrincipalNames: [GRAPH_APP_ID, 'https://graph.microsoft.com', 'https://graph.microsoft.com/'],
    servicePrincipalType: 'Application',
    tags: [],
    // Microsoft Graph's own app roles (its application permissions) are not modelled.
    appRoles: [],
  }
  const apps = [...tenant.applications.values()].map(
    (app): ServicePrincipalView => ({
      id: servicePrincipalId(tenant.id, app.clientId),
      accountEnabled: true,
      appDisplayName: app.displayName,
      appId: app.clientId.toLowerCase(),
      appOwnerOrganizationId: tenant.id,
      appRoleAssignmentRequired: app.appRoleAssignmentRequired ?? false,
      displayName: app.displayName,
      servicePrincipalNames: [app.clientId.toLowerCase(), ...(app.identifierUri ? [app.identifierUri] : [])],
      servicePrincipalType: 'Application',
      tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
      appRoles: appRolesOf(app),
    }),
  )
  return [...apps, graph]
}

/**
 * The tenant's delegated permission grants, derived from the seed: an application whose Graph delegated permissions
 * carry admin consent holds one `AllPrincipals` grant on Microsoft Graph with exactly those scopes; permissions
 * without admin consent grant nothing (the emulator does not record per-user consent).
 */
export function permissionGrantsOf(tenant: TenantState): PermissionGrantView[] {
  const graphId = servicePrincipalId(tenant.id, GRAPH_APP_ID)
  return [...tenant.applications.values()].flatMap((app) => {
    const scopes = (app.graphDelegatedPermissions ?? [])
      .filter((permission) => permission.adminConsent)
      .map((permission) => permission.name)
    if (scopes.length === 0) return []
    const clientId = servicePrincipalId(tenant.id, app.clientId)
    return [
      {
        clientId,
        consentType: 'AllPrincipals' as const,
        id: grantId(clientId, graphId),
        principalId: null,
        resourceId: graphId,
        scope: scopes.join(' '),
      },
    ]
  })
}

/**
 * Selected properties of an entity, in the order asked for (`null`: every declared property).
 *
 * @example
 * selectProperties(principal, ['id'], SERVICE_PRINCIPAL_PROPERTY_NAMES) // { id: '…' }
 */
export function selectProperties<T extends object>(
  entity: T,
  properties: readonly string[] | null,
  declared: readonly (keyof T & string)[],
): Record<string, unknown> {
  const json: Record<string, unknown> = {}
  for (const name of properties ?? declared) json[name] = structuredClone(entity[name as keyof T])
  return json
}

/** Entra's grant ids for tenant-wide grants are the client and resource object ids' bytes, base64url-encoded. */
function grantId(clientId: string, resourceId: string): string {
  const bytes = Buffer.from(`${clientId}${resourceId}`.replaceAll('-', ''), 'hex')
  return bytes.toString('base64url')
}
