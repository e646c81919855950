import { createHash } from 'node:crypto'

/**
 * The object id of an application's service principal in a tenant: the `id` Graph returns for it and the `oid` of
 * the app's app-only tokens. Entra assigns a fresh GUID per tenant; the emulator derives it from the tenant and app
 * ids so it is the same after every restart or reset.
 *
 * @example
 * servicePrincipalId('c0de0000-…-000000000001', 'bff00000-…-00000000b001') // stable GUID, different per tenant
 */
export function servicePrincipalId(tenantId: string, appId: string): string {
  const hash = createHash('sha1').update(`servicePrincipal:${tenantId.toLowerCase()}:${appId.toLowerCase()}`)
  const bytes = hash.digest().subarray(0, 16)
  // Shape it as a name-based (version 5, RFC 4122 variant) GUID, like the ids Graph hands out.
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
