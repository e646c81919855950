import type { Directory, TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { isMultiTenant } from '../state/sign-in-audience.js'
import { aadsts } from './aadsts.js'

/** Authority path segments that stand for "a tenant of any organization": the user's home tenant. */
const ANY_ORGANIZATION_SEGMENTS = new Set(['common', 'organizations'])
/** The personal-accounts authority: the emulator has no personal Microsoft accounts. */
const CONSUMERS_SEGMENT = 'consumers'

/** Where a client's users may come from, as an endpoint's `{tenant}` path segment says. */
export interface Authority {
  /** The tenant the segment names; for `/organizations` and `/common`, the first tenant that registers the app. */
  tenant: TenantState
  /** The tenants whose members may sign in: the named one, or every tenant where the multi-tenant app is present. */
  tenants: TenantState[]
  /** `/organizations` or `/common`: the tenant of a token is the signed-in user's home tenant. */
  anyOrganization: boolean
}

/** One tenant's entry for a client id: the app registration, or (for a multi-tenant app) its service principal. */
export interface Registration {
  tenant: TenantState
  app: ApplicationSeed
}

/** Whether the segment is `/organizations` or `/common` (any case). */
export function isAnyOrganization(segment: string): boolean {
  return ANY_ORGANIZATION_SEGMENTS.has(segment.toLowerCase())
}

/** Every tenant that lists the client id, in seed order. */
export function registrationsOf(directory: Directory, clientId: string): Registration[] {
  const key = clientId.toLowerCase()
  const found: Registration[] = []
  for (const tenant of directory.tenants.values()) {
    const app = tenant.applications.get(key)
    if (app) found.push({ tenant, app })
  }
  return found
}

/**
 * Resolves an endpoint's `{tenant}` segment for a client, in Entra's order:
 * - a tenant id or verified domain names that tenant (else AADSTS90002);
 * - `/organizations` and `/common` need the client id (AADSTS900144), an app the directory knows (AADSTS700016)
 *   that is multi-tenant (`signInAudience: AzureADMultipleOrgs`, else AADSTS50194); its users come from every
 *   tenant that lists it;
 * - `/consumers` signs in personal Microsoft accounts, which the emulator does not model: AADSTS50194.
 */
export function authorityFromPath(
  directory: Directory,
  segment: string,
  clientId: string | undefined,
): Authority {
  const lower = segment.toLowerCase()
  if (lower === CONSUMERS_SEGMENT) {
    if (!clientId) throw aadsts.missingParameter('client_id')
    const [first] = registrationsOf(directory, clientId)
    throw aadsts.notMultiTenant(clientId, first?.app.displayName ?? clientId)
  }
  if (!isAnyOrganization(lower)) {
    const tenant = directory.tenant(segment)
    if (!tenant) throw aadsts.tenantNotFound(segment)
    return { tenant, tenants: [tenant], anyOrganization: false }
  }
  if (!clientId) throw aadsts.missingParameter('client_id')
  const registrations = registrationsOf(directory, clientId)
  const [home] = registrations
  if (!home) throw aadsts.applicationNotFound(clientId, lower)
  if (!registrations.some(({ app }) => isMultiTenant(app))) {
    throw aadsts.notMultiTenant(clientId, home.app.displayName)
  }
  return { tenant: home.tenant, tenants: registrations.map(({ tenant }) => tenant), anyOrganization: true }
}

/**
 * The one tenant an endpoint's `{tenant}` segment names. `/organizations` and `/common` name none by themselves:
 * AADSTS50194 for a single-tenant app, AADSTS50059 for a multi-tenant one when nothing else identifies the tenant.
 */
export function tenantFromPath(
  directory: Directory,
  segment: string,
  clientId: string | undefined,
): TenantState {
  const authority = authorityFromPath(directory, segment, clientId)
  if (authority.anyOrganization) throw aadsts.noTenantIdentified()
  return authority.tenant
}
