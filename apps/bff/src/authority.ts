import type { BffConfig } from './config.js'

/** The tenant's JWKS URL: from the configured OIDC metadata when given, else Entra's well-known path. */
export function jwksUri(config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'authorityMetadata'>): string {
  if (config.authorityMetadata) return (JSON.parse(config.authorityMetadata) as { jwks_uri: string }).jwks_uri
  return `${config.authorityHost}/${config.tenantId}/discovery/v2.0/keys`
}
