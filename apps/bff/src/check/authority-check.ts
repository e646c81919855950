import type { BffConfig } from '../config.js'
import type { CheckLine } from './check-report.js'
import { probeJson } from './http-probe.js'

/** The fields of the tenant's OIDC document the check relies on. */
interface OidcMetadata {
  issuer?: unknown
  token_endpoint?: unknown
  jwks_uri?: unknown
}

export interface AuthorityCheck {
  lines: CheckLine[]
  /** The OIDC metadata JSON text for MSAL's `authorityMetadata`; `null` when it could not be had or trusted. */
  metadataText: string | null
}

/**
 * Verifies the authority: the tenant's OIDC metadata is reachable (or configured) and names an issuer of the
 * configured tenant, and its JWKS holds RS256 signing keys — the ones caller tokens are validated against.
 *
 * @example
 * const { lines, metadataText } = await checkAuthority(config, fetch)
 */
export async function checkAuthority(
  config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'authorityMetadata'>,
  fetchImpl: typeof fetch,
): Promise<AuthorityCheck> {
  const discoveryUrl = `${config.authorityHost}/${config.tenantId}/v2.0/.well-known/openid-configuration`
  let metadataText: string
  let source: string
  if (config.authorityMetadata) {
    metadataText = config.authorityMetadata
    source = 'ENTRA_SHARE_AUTHORITY_METADATA'
  } else {
    const result = await probeJson(fetchImpl, discoveryUrl)
    if (!result.reached) {
      return fail(
        `The authority could not be reached at ${discoveryUrl} (${result.reason}): check ENTRA_SHARE_AUTHORITY_HOST, the network, proxy and trusted CAs.`,
      )
    }
    if (result.status !== 200 || typeof result.json !== 'object' || result.json === null) {
      return fail(
        `The authority answered ${result.status} for ${discoveryUrl}, not an OIDC document: check ENTRA_SHARE_AUTHORITY_HOST and ENTRA_SHARE_TENANT_ID.`,
      )
    }
    metadataText = JSON.stringify(result.json)
    source = discoveryUrl
  }
  let metadata: OidcMetadata
  try {
    metadata = JSON.parse(metadataText) as OidcMetadata
  } catch {
    return fail(
      'ENTRA_SHARE_AUTHORITY_METADATA is not JSON: paste the tenant’s openid-configuration document.',
    )
  }
  const issuer = typeof metadata.issuer === 'string' ? metadata.issuer : ''
  if (!issuerNamesTenant(issuer, config.tenantId)) {
    return fail(
      `The OIDC metadata from ${source} has issuer '${issuer}', which is not tenant ${config.tenantId}: check ENTRA_SHARE_TENANT_ID (a GUID, not a domain) and ENTRA_SHARE_AUTHORITY_HOST.`,
    )
  }
  if (typeof metadata.token_endpoint !== 'string' || typeof metadata.jwks_uri !== 'string') {
    return fail(`The OIDC metadata from ${source} has no token_endpoint or jwks_uri.`)
  }
  const lines: CheckLine[] = [{ ok: true, text: `OIDC metadata from ${source}: issuer ${issuer}.` }]
  lines.push(await checkSigningKeys(metadata.jwks_uri, fetchImpl))
  return { lines, metadataText }
}

/** Entra's issuer carries the tenant id as its first path segment: `https://login.microsoftonline.com/{tid}/v2.0`. */
function issuerNamesTenant(issuer: string, tenantId: string): boolean {
  try {
    const segment = new URL(issuer).pathname.split('/')[1] ?? ''
    return segment.toLowerCase() === tenantId.toLowerCase()
  } catch {
    return false
  }
}

async function checkSigningKeys(jwksUri: string, fetchImpl: typeof fetch): Promise<CheckLine> {
  const result = await probeJson(fetchImpl, jwksUri)
  if (!result.reached) {
    return { ok: false, text: `The signing keys at ${jwksUri} could not be fetched (${result.reason}).` }
  }
  const keys = (result.json as { keys?: unknown } | undefined)?.keys
  if (result.status !== 200 || !Array.isArray(keys)) {
    return { ok: false, text: `The signing keys at ${jwksUri} answered ${result.status}, not a JWKS.` }
  }
  // Tokens are validated as RS256 only: an RSA signing key without an `alg`, or with RS256, qualifies.
  const rs256 = keys.filter((key: { kty?: unknown; use?: unknown; alg?: unknown }) => {
    return (
      key.kty === 'RSA' && (key.use === undefined || key.use === 'sig') && (key.alg ?? 'RS256') === 'RS256'
    )
  })
  if (rs256.length === 0) {
    return {
      ok: false,
      text: `The JWKS at ${jwksUri} has no RS256 signing key: caller tokens could not be validated; check ENTRA_SHARE_AUTHORITY_HOST.`,
    }
  }
  return { ok: true, text: `JWKS at ${jwksUri}: ${rs256.length} RS256 signing key(s).` }
}

function fail(text: string): AuthorityCheck {
  return { lines: [{ ok: false, text }], metadataText: null }
}
