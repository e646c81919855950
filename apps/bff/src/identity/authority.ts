import type { BffConfig } from '../config.js'

/** The tenant's JWKS URL: from the configured OIDC metadata when given, else Entra's well-known path. */
export function jwksUri(config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'authorityMetadata'>): string {
  if (config.authorityMetadata) return (JSON.parse(config.authorityMetadata) as { jwks_uri: string }).jwks_uri
  return `${config.authorityHost}/${config.tenantId}/discovery/v2.0/keys`
}

/**
 * `true` when the authority host is a loopback address: the local emulator, never Microsoft Entra ID. Against it an
 * empty `allowedClientIds` means any client; against a real tenant it means none.
 *
 * @example
 * isEmulatorAuthority('https://127.0.0.1:8443') // true
 * isEmulatorAuthority('https://login.microsoftonline.com') // false
 */
export function isEmulatorAuthority(authorityHost: string): boolean {
  try {
    const { hostname } = new URL(authorityHost)
    return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
  } catch {
    return false
  }
}
