import type { Directory, TenantState } from '../directory.js'
import { aadsts } from './aadsts.js'

/** Authority path segments that name no single tenant. */
const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations', 'consumers'])

/**
 * The tenant an endpoint's `{tenant}` path segment names (tenant id or verified domain), or AADSTS90002.
 * The seed's apps are single-tenant, so `/common` and `/organizations` cannot sign anyone in: AADSTS50194.
 */
export function tenantFromPath(
  directory: Directory,
  segment: string,
  clientId: string | undefined,
): TenantState {
  if (MULTI_TENANT_SEGMENTS.has(segment.toLowerCase())) {
    throw clientId ? aadsts.notMultiTenant(clientId) : aadsts.missingParameter('client_id')
  }
  const tenant = directory.tenant(segment)
  if (!tenant) throw aadsts.tenantNotFound(segment)
  return tenant
}
