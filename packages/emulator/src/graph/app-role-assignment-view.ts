import type { AppRoleAssignmentRecord } from '../state/app-role-assignments.js'
import type { TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { type ServicePrincipalView, servicePrincipalsOf } from './service-principal-view.js'

/** A resource (or client) service principal with the application it stands for (`null`: Microsoft Graph's). */
export interface ServicePrincipalEntry {
  view: ServicePrincipalView
  app: ApplicationSeed | null
  /** Owners of the enterprise application: user object ids. */
  owners: ReadonlySet<string>
}

/** `microsoft.graph.appRoleAssignment` as Graph v1.0 serialises it, in Graph's property order. */
export interface AppRoleAssignmentView {
  id: string
  deletedDateTime: null
  appRoleId: string
  createdDateTime: string
  principalDisplayName: string | null
  principalId: string
  principalType: AppRoleAssignmentRecord['principalType']
  resourceDisplayName: string | null
  resourceId: string
}

/** Every `appRoleAssignment` property `$select` may name; also the default set, in Graph's order. */
export const APP_ROLE_ASSIGNMENT_PROPERTY_NAMES = [
  'id',
  'deletedDateTime',
  'appRoleId',
  'createdDateTime',
  'principalDisplayName',
  'principalId',
  'principalType',
  'resourceDisplayName',
  'resourceId',
] as const satisfies ReadonlyArray<keyof AppRoleAssignmentView>

export const APP_ROLE_ASSIGNMENT_TYPE_NAME = 'microsoft.graph.appRoleAssignment'

/**
 * The tenant's service principal with this object id or, for a key `(appId='…')`, this app id.
 *
 * @example
 * findServicePrincipal(tenant, { id: '3b0…' })?.view.displayName // 'Contoso Projects'
 */
export function findServicePrincipal(
  tenant: TenantState,
  key: { id: string } | { appId: string },
): ServicePrincipalEntry | undefined {
  const view = servicePrincipalsOf(tenant).find((candidate) =>
    'id' in key ? candidate.id === key.id.toLowerCase() : candidate.appId === key.appId.toLowerCase(),
  )
  if (!view) return undefined
  const app = tenant.applications.get(view.appId) ?? null
  return { view, app, owners: new Set((app?.owners ?? []).map((owner) => owner.toLowerCase())) }
}

/** An assignment as Graph shows it, display names read from the directory as it is now. */
export function appRoleAssignmentView(
  tenant: TenantState,
  record: AppRoleAssignmentRecord,
): AppRoleAssignmentView {
  return {
    id: record.id,
    deletedDateTime: null,
    appRoleId: record.appRoleId,
    createdDateTime: record.createdDateTime,
    principalDisplayName: principalDisplayName(tenant, record),
    principalId: record.principalId,
    principalType: record.principalType,
    resourceDisplayName: findServicePrincipal(tenant, { id: record.resourceId })?.view.displayName ?? null,
    resourceId: record.resourceId,
  }
}

function principalDisplayName(tenant: TenantState, record: AppRoleAssignmentRecord): string | null {
  if (record.principalType === 'User') return tenant.users.get(record.principalId)?.displayName ?? null
  if (record.principalType === 'Group') return tenant.groups.get(record.principalId)?.displayName ?? null
  return findServicePrincipal(tenant, { id: record.principalId })?.view.displayName ?? null
}
