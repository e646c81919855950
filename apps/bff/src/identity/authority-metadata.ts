import type { BffConfig } from '../config.js'
import { ProblemError } from '../platform/problem-error.js'

/**
 * Returns a tenant's OIDC metadata as the JSON text MSAL takes in `authorityMetadata`; the home tenant's without an
 * argument. For the home tenant: the configured text, or the authority's discovery document fetched once and
 * shared. For another tenant (a caller from another organization, On-Behalf-Of at its own authority): the
 * configured text with the home tenant id replaced by that tenant's in every endpoint (Entra's endpoints, and the
 * emulator's, differ between tenants only by that path segment: `{authorityHost}/{tenant}/oauth2/v2.0/token`), or,
 * without configured metadata, that tenant's own discovery document. Every per-user MSAL application gets the same
 * text, so a new user never costs a discovery round trip. A failed fetch is not remembered; the next call tries
 * again.
 *
 * @example
 * const metadata = createAuthorityMetadataSource(config)
 * new ConfidentialClientApplication({ auth: { ...auth, authorityMetadata: await metadata(caller.tenantId) } })
 */
export function createAuthorityMetadataSource(
  config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'authorityMetadata'>,
  fetchImpl: typeof fetch = fetch,
): (tenantId?: string) => Promise<string> {
  const home = config.tenantId.toLowerCase()
  const sources = new Map<string, () => Promise<string>>()
  return (tenantId = home) => {
    const tenant = tenantId.toLowerCase()
    let source = sources.get(tenant)
    if (!source) {
      source = tenantSource(config, tenant, home, fetchImpl)
      sources.set(tenant, source)
    }
    return source()
  }
}

function tenantSource(
  config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'authorityMetadata'>,
  tenant: string,
  home: string,
  fetchImpl: typeof fetch,
): () => Promise<string> {
  if (config.authorityMetadata) {
    const text =
      tenant === home ? config.authorityMetadata : forTenant(config.authorityMetadata, home, tenant)
    return () => Promise.resolve(text)
  }
  const url = `${config.authorityHost}/${tenant === home ? config.tenantId : tenant}/v2.0/.well-known/openid-configuration`
  let pending: Promise<string> | null = null
  return () => {
    pending ??= discover(url, fetchImpl).catch((error: unknown) => {
      pending = null
      throw error
    })
    return pending
  }
}

/** The home tenant's metadata with the home tenant id replaced by `tenant` in every URL path segment it fills. */
function forTenant(metadata: string, home: string, tenant: string): string {
  const parsed = JSON.parse(metadata) as Record<string, unknown>
  // Tenant ids are GUIDs (the configuration and the validator check them): nothing to escape.
  const segment = new RegExp(`/${home}(?=/|$)`, 'gi')
  const replaced = Object.fromEntries(
    Object.entries(parsed).map(([name, value]) => [
      name,
      typeof value === 'string' ? value.replace(segment, `/${tenant}`) : value,
    ]),
  )
  return JSON.stringify(replaced)
}

async function discover(url: string, fetchImpl: typeof fetch): Promise<string> {
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) })
    if (!response.ok) throw new Error(`OIDC discovery at ${url} answered ${response.status}.`)
    const text = await response.text()
    const parsed = JSON.parse(text) as { token_endpoint?: unknown }
    if (typeof parsed.token_endpoint !== 'string')
      throw new Error(`OIDC discovery at ${url} has no token_endpoint.`)
    return text
  } catch (error) {
    throw new ProblemError('upstream_unavailable', {
      detail: 'Microsoft Entra ID could not be reached; try again later.',
      cause: error,
    })
  }
}
