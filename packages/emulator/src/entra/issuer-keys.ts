import { readFileSync } from 'node:fs'
import { get } from 'node:https'
import { rootCertificates } from 'node:tls'
import { type CompactVerifyGetKey, compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from 'jose'

/** Why the keys of an external issuer could not verify a token. */
export class IssuerKeyError extends Error {
  override name = 'IssuerKeyError'

  constructor(
    /** `metadata`: discovery or JWKS unreadable; `key`: no key with the token's `kid`; `signature`: it does not verify. */
    readonly reason: 'metadata' | 'key' | 'signature',
    message: string,
  ) {
    super(message)
  }
}

export interface IssuerKeysOptions {
  /** Extra CA certificates (PEM) to trust besides Node's roots and NODE_EXTRA_CA_CERTS: the emulator's own CA. */
  extraCaPem?: string[]
  clock?: () => number
  /** How long a fetched key set is reused. @default 5 minutes */
  cacheMs?: number
}

interface CachedKeys {
  keys: CompactVerifyGetKey
  fetchedAt: number
}

/** Entra keeps only the first 100 signing keys of an external issuer (workload identity federation overview). */
const MAX_KEYS = 100
const MAX_DOCUMENT_BYTES = 1024 * 1024
const TIMEOUT_MS = 10_000
/** After a key miss, the set is fetched again only if it is older than this. */
const REFRESH_AFTER_MISS_MS = 10_000

/**
 * Verifies tokens of external OpenID Connect issuers as Entra does for workload identity federation: reads
 * `{issuer}/.well-known/openid-configuration`, then its `jwks_uri`, over https, and checks the RS256 signature with
 * the key named by the token's `kid`. Key sets are cached and fetched again when a token names an unknown `kid`.
 *
 * @example
 * const keys = new IssuerKeys({ extraCaPem: [tls.caCertPem] })
 * await keys.verify('https://token.actions.githubusercontent.com', jwt) // throws IssuerKeyError
 */
export class IssuerKeys {
  private readonly cache = new Map<string, CachedKeys>()
  private readonly ca: string[]
  private readonly clock: () => number
  private readonly cacheMs: number

  constructor(options: IssuerKeysOptions = {}) {
    this.ca = [...rootCertificates, ...extraCaCertificates(), ...(options.extraCaPem ?? [])]
    this.clock = options.clock ?? Date.now
    this.cacheMs = options.cacheMs ?? 5 * 60 * 1000
  }

  /** Verifies `jwt`'s signature with `issuer`'s published keys; resolves when it verifies. */
  async verify(issuer: string, jwt: string): Promise<void> {
    let cached = await this.keysOf(issuer, false)
    try {
      await this.check(jwt, cached.keys)
    } catch (error) {
      if (!(error instanceof IssuerKeyError && error.reason === 'key')) throw error
      if (this.clock() - cached.fetchedAt < REFRESH_AFTER_MISS_MS) throw error
      cached = await this.keysOf(issuer, true)
      await this.check(jwt, cached.keys)
    }
  }

  private async check(jwt: string, keys: CompactVerifyGetKey): Promise<void> {
    try {
      await compactVerify(jwt, keys, { algorithms: ['RS256'] })
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
        throw new IssuerKeyError('key', error.message)
      }
      throw new IssuerKeyError('signature', (error as Error).message)
    }
  }

  private async keysOf(issuer: string, refresh: boolean): Promise<CachedKeys> {
    const cached = this.cache.get(issuer)
    if (cached && !refresh && this.clock() - cached.fetchedAt < this.cacheMs) return cached
    const fresh = { keys: createLocalJWKSet(await this.fetchKeySet(issuer)), fetchedAt: this.clock() }
    this.cache.set(issuer, fresh)
    return fresh
  }

  private async fetchKeySet(issuer: string): Promise<JSONWebKeySet> {
    // OpenID Connect Discovery 1.0 §4: the issuer without a trailing slash, then /.well-known/openid-configuration.
    const discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
    const discovery = (await this.getJson(discoveryUrl)) as { issuer?: unknown; jwks_uri?: unknown }
    if (discovery.issuer !== issuer) {
      throw new IssuerKeyError(
        'metadata',
        `${discoveryUrl} names the issuer ${String(discovery.issuer)}, not ${issuer}`,
      )
    }
    if (typeof discovery.jwks_uri !== 'string') {
      throw new IssuerKeyError('metadata', `${discoveryUrl} has no jwks_uri`)
    }
    const jwks = (await this.getJson(discovery.jwks_uri)) as { keys?: unknown }
    if (!Array.isArray(jwks.keys)) {
      throw new IssuerKeyError('metadata', `${discovery.jwks_uri} is not a JSON Web Key Set`)
    }
    return { keys: jwks.keys.slice(0, MAX_KEYS) }
  }

  private getJson(url: string): Promise<unknown> {
    if (!url.startsWith('https://')) {
      return Promise.reject(new IssuerKeyError('metadata', `${url} is not an https URL`))
    }
    return new Promise((resolve, reject) => {
      const fail = (message: string) => reject(new IssuerKeyError('metadata', `${url}: ${message}`))
      const request = get(
        url,
        { ca: this.ca, timeout: TIMEOUT_MS, headers: { accept: 'application/json' } },
        (response) => {
          if (response.statusCode !== 200) {
            response.resume()
            fail(`HTTP ${response.statusCode}`)
            return
          }
          const chunks: Buffer[] = []
          let size = 0
          response.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_DOCUMENT_BYTES) {
              request.destroy()
              fail('the document is larger than 1 MiB')
              return
            }
            chunks.push(chunk)
          })
          response.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
            } catch {
              fail('not JSON')
            }
          })
          response.on('error', (error) => fail(error.message))
        },
      )
      request.on('timeout', () => request.destroy(new Error('timed out')))
      request.on('error', (error) => fail(error.message))
    })
  }
}

/** The certificates of NODE_EXTRA_CA_CERTS: an explicit `ca` replaces Node's trust store, so they are added back. */
function extraCaCertificates(): string[] {
  const path = process.env.NODE_EXTRA_CA_CERTS
  if (!path) return []
  try {
    return (
      readFileSync(path, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    )
  } catch {
    return []
  }
}
