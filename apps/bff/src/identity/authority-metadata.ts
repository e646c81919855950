import type { BffConfig } from '../config.js'
import { ProblemError } from '../problem-error.js'

/**
 * Returns the tenant's OIDC metadata as the JSON text MSAL takes in `authorityMetadata`: the configured text, or
 * the authority's discovery document fetched once and shared. Every per-user MSAL application gets the same text,
 * so a new user never costs a discovery round trip. A failed fetch is not remembered; the next call tries again.
 *
 * @example
 * const metadata = createAuthorityMetadataSource(config)
 * new ConfidentialClientApplication({ auth: { ...auth, authorityMetadata: await metadata() } })
 */
export function createAuthorityMetadataSource(
  config: Pick<BffConfig, 'authorityHost' | 'tenantId' | 'authorityMetadata'>,
  fetchImpl: typeof fetch = fetch,
): () => Promise<string> {
  if (config.authorityMetadata) {
    const configured = config.authorityMetadata
    return () => Promise.resolve(configured)
  }
  const url = `${config.authorityHost}/${config.tenantId}/v2.0/.well-known/openid-configuration`
  let pending: Promise<string> | null = null
  return () => {
    pending ??= discover(url, fetchImpl).catch((error: unknown) => {
      pending = null
      throw error
    })
    return pending
  }
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
