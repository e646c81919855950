import { createHash } from 'node:crypto'
import { ConfidentialClientApplication, type Configuration, type INetworkModule } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { LRUCache } from 'lru-cache'
import type { BffConfig } from '../config.js'
import { ProblemError } from '../platform/problem-error.js'
import { createAuthorityMetadataSource } from './authority-metadata.js'
import { type Caller, callerKey, type GraphTokenProvider } from './caller.js'
import {
  createRedisTokenCache,
  type DistributedTokenCache,
  oboCachePartition,
} from './distributed-token-cache.js'
import { msalCredential } from './msal-credential.js'
import { consentRequired, problemFromMsalError } from './msal-errors.js'
import { createTokenServiceClient } from './token-service-client.js'

/** Every Graph permission the app holds (delegated for OBO, application for client credentials). */
const GRAPH_SCOPES = ['https://graph.microsoft.com/.default']
/** Graph permissions that allow `POST /invitations`, least privileged first (Graph's permission reference). */
export const INVITE_PERMISSIONS = [
  'User.Invite.All',
  'User.ReadWrite.All',
  'Directory.ReadWrite.All',
] as const

export interface GraphTokenProviderOptions {
  /** Users whose On-Behalf-Of token cache is kept; the least recently active is dropped first. @default 1000 */
  maxUserPartitions?: number
  /**
   * Distinct assertions (the user's tokens for the BFF) one user's cache holds before it is started afresh: a
   * user presents a new one about every hour and the old ones are never asked for again. @default 8
   */
  maxAssertionsPerUser?: number
  /**
   * The token cache shared by every BFF instance. @default a Redis cache over `config.redisUrl` when it is set
   * (closed with the provider), else none: each user partition keeps its tokens in memory.
   */
  distributedCache?: DistributedTokenCache
  /**
   * Tenants whose client-credentials application (one per tenant authority, with its cached app token) is kept;
   * the least recently used is dropped first. @default 100
   */
  maxTenantApplications?: number
}

type ProviderConfig = Pick<
  BffConfig,
  | 'tenantId'
  | 'clientId'
  | 'credential'
  | 'authorityHost'
  | 'authorityMetadata'
  | 'graphMode'
  | 'redisUrl'
  | 'clockToleranceSeconds'
>

/** One user's MSAL application: its own in-memory token cache and its own throttle entries. */
interface UserPartition {
  app: ConfidentialClientApplication
  /** SHA-256 of the assertions this partition has cached tokens for. */
  assertions: Set<string>
}

/**
 * Gets Microsoft Graph tokens with msal-node: On-Behalf-Of the caller in `delegated` mode (cached per assertion,
 * so one user's repeated requests cost one token request per BFF token), client credentials in `app` mode and for
 * `appToken(tenantId)`.
 *
 * Every token is asked for at the authority of the tenant the work is done in: the caller's own (`tid`) for
 * On-Behalf-Of and for `app` mode, the invitation's for `appToken(tenantId)` (the home tenant by default). A
 * multi-tenant BFF thus invites a Tailspin user's guests into Tailspin's directory with a Tailspin token, as Entra
 * requires (a token from the home tenant is refused there, and OBO of a Tailspin assertion at the home tenant's
 * authority fails). Client-credentials applications are cached per tenant authority; On-Behalf-Of applications
 * per user, and a user's key `tid:oid` includes the tenant.
 *
 * Each signed-in user (`tid:oid`) gets a ConfidentialClientApplication of their own, kept in a bounded LRU. That
 * bounds memory (a single shared msal cache grows with every assertion ever seen) and keeps any per-application
 * state msal-node holds, such as its throttle entries (PROTOCOL.md finding 1), to one user; the token-service
 * network module additionally stops msal from writing those entries at all (see `token-service-client.ts`). App
 * callers in `delegated` mode, who have no user to act for, get the app's own token.
 *
 * With Redis (`config.redisUrl`) the On-Behalf-Of tokens live in msal-node's distributed cache instead, partitioned
 * per assertion (see `distributed-token-cache.ts`), so a token one instance acquired is served by every other. Each
 * exchange then gets an msal application of its own, bound to its partition: nothing, throttle entries included,
 * is shared between users inside the process either.
 *
 * Failures are `ProblemError`s: `claims_challenge`, `consent_required`, `unauthenticated`, `upstream_unavailable`
 * or `internal_error` (bad client credentials; the cause is kept for the log).
 *
 * @example
 * const tokens = createGraphTokenProvider(config)
 * const graphToken = await tokens.graphToken(caller) // On-Behalf-Of caller.accessToken
 * await tokens.close()
 */
export function createGraphTokenProvider(
  config: ProviderConfig,
  options: GraphTokenProviderOptions = {},
): GraphTokenProvider {
  const metadata = createAuthorityMetadataSource(config)
  const networkClient = createTokenServiceClient()
  const partitions = new LRUCache<string, UserPartition>({ max: options.maxUserPartitions ?? 1000 })
  const maxAssertions = options.maxAssertionsPerUser ?? 8
  const ownsSharedCache = options.distributedCache === undefined && config.redisUrl !== undefined
  const sharedCache =
    options.distributedCache ?? (config.redisUrl ? createRedisTokenCache(config.redisUrl) : undefined)
  // Concurrent requests with the same assertion share one token request instead of racing msal's cache.
  const inFlight = new Map<string, Promise<string>>()
  // One client-credentials application per tenant authority (`{authorityHost}/{tenant}`), each with its own cache.
  const appClients = new LRUCache<string, ConfidentialClientApplication>({
    max: options.maxTenantApplications ?? 100,
  })

  async function partitionFor(caller: Caller, assertionHash: string): Promise<UserPartition> {
    const authorityMetadata = await metadata(caller.tenantId)
    const key = callerKey(caller)
    let partition = partitions.get(key)
    if (
      !partition ||
      (!partition.assertions.has(assertionHash) && partition.assertions.size >= maxAssertions)
    ) {
      const app = new ConfidentialClientApplication(
        msalConfiguration(config, caller.tenantId, authorityMetadata, networkClient),
      )
      partition = { app, assertions: new Set() }
      partitions.set(key, partition)
    }
    partition.assertions.add(assertionHash)
    return partition
  }

  /** An msal application bound to the caller's partition of the shared cache, with that partition loaded. */
  async function sharedCacheApplication(caller: Caller, cache: DistributedTokenCache) {
    const partition = oboCachePartition(
      { ...caller, ...expiryOf(caller.accessToken) },
      { clockToleranceSeconds: config.clockToleranceSeconds },
    )
    const app = new ConfidentialClientApplication({
      ...msalConfiguration(config, caller.tenantId, await metadata(caller.tenantId), networkClient),
      cache: { cachePlugin: cache.pluginFor(partition) },
    })
    // msal-node's On-Behalf-Of lookup reads only the in-memory cache and calls the plugin only to store a new
    // response (OnBehalfOfClient.getCachedAuthenticationResult); reading the accounts runs beforeCacheAccess,
    // which loads the partition from Redis first.
    await app.getTokenCache().getAllAccounts()
    return { app, forget: () => cache.forget(partition) }
  }

  async function onBehalfOf(caller: Caller): Promise<string> {
    // Errors name the caller's tenant: its admin consent page, its authorize endpoint for a claims challenge.
    const tenantConfig = { ...config, tenantId: caller.tenantId }
    const assertionHash = createHash('sha256').update(caller.accessToken).digest('base64url')
    const flightKey = `${callerKey(caller)}|${assertionHash}`
    const pending = inFlight.get(flightKey)
    if (pending) return pending
    const request = (async () => {
      try {
        const { app, forget } = sharedCache
          ? await sharedCacheApplication(caller, sharedCache)
          : { ...(await partitionFor(caller, assertionHash)), forget: async () => undefined }
        const result = await app.acquireTokenOnBehalfOf({
          oboAssertion: caller.accessToken,
          scopes: GRAPH_SCOPES,
        })
        if (!result?.accessToken) throw new Error('acquireTokenOnBehalfOf returned no access token.')
        // With `.default`, Entra grants only the consented permissions instead of failing (AADSTS65001 comes only
        // for scopes named one by one). Drop the user's partition so the first request after an admin grants
        // consent exchanges the assertion again.
        if (!grantsInvite(result.accessToken, 'scp')) {
          partitions.delete(callerKey(caller))
          await forget()
          throw consentRequired(tenantConfig, 'on-behalf-of')
        }
        return result.accessToken
      } catch (error) {
        throw problemFromMsalError(error, tenantConfig, 'on-behalf-of')
      }
    })().finally(() => inFlight.delete(flightKey))
    inFlight.set(flightKey, request)
    return request
  }

  async function appClientFor(tenantId: string): Promise<ConfidentialClientApplication> {
    let client = appClients.get(tenantId)
    if (!client) {
      const authorityMetadata = await metadata(tenantId)
      // Another call may have built one meanwhile; keep the first so its cache is the one used.
      client =
        appClients.get(tenantId) ??
        new ConfidentialClientApplication(
          msalConfiguration(config, tenantId, authorityMetadata, networkClient),
        )
      appClients.set(tenantId, client)
    }
    return client
  }

  async function appToken(
    tenantId: string = config.tenantId,
    use: 'invite' | 'followUp' = 'invite',
  ): Promise<string> {
    const tenant = tenantId.toLowerCase()
    const tenantConfig = { ...config, tenantId: tenant }
    try {
      const appClient = await appClientFor(tenant)
      const result = await appClient.acquireTokenByClientCredential({ scopes: GRAPH_SCOPES })
      if (!result?.accessToken) throw new Error('acquireTokenByClientCredential returned no access token.')
      // Entra issues a token without `roles` when no application permission has admin consent. Drop it from the
      // cache so the first request after an admin grants consent gets a token that has them.
      if (use === 'invite' && !grantsInvite(result.accessToken, 'roles')) {
        await appClient.clearCache()
        throw consentRequired(tenantConfig, 'client-credentials')
      }
      return result.accessToken
    } catch (error) {
      throw problemFromMsalError(error, tenantConfig, 'client-credentials')
    }
  }

  return {
    mode: config.graphMode,
    graphToken(caller) {
      // App-only work for a caller is done in the caller's tenant, as On-Behalf-Of is.
      return config.graphMode === 'app' || caller.appOnly ? appToken(caller.tenantId) : onBehalfOf(caller)
    },
    appToken,
    async close() {
      partitions.clear()
      inFlight.clear()
      appClients.clear()
      if (ownsSharedCache) await sharedCache?.close()
    },
  }
}

/** msal-node's configuration for the BFF app at one tenant's authority: the caller's, or the invitation's. */
function msalConfiguration(
  config: ProviderConfig,
  tenantId: string,
  authorityMetadata: string,
  networkClient: INetworkModule,
): Configuration {
  return {
    auth: {
      clientId: config.clientId,
      authority: `${config.authorityHost}/${tenantId}`,
      // MSAL compares host:port; listing the host also spares a cloud-discovery call.
      knownAuthorities: [new URL(config.authorityHost).host],
      authorityMetadata,
      ...msalCredential(config.credential),
    },
    system: { networkClient },
  }
}

/** The assertion's `exp`, to bound how long its cache partition lives (the validator has already checked it). */
function expiryOf(accessToken: string): { expiresAt?: number } {
  try {
    const { exp } = decodeJwt(accessToken)
    return typeof exp === 'number' ? { expiresAt: exp } : {}
  } catch {
    return {}
  }
}

/**
 * Whether a Graph token carries a permission to invite guests: in `scp` (space-separated, delegated) or `roles`
 * (application). The token comes straight from the token service over TLS, so reading it unverified is safe.
 */
function grantsInvite(accessToken: string, claim: 'scp' | 'roles'): boolean {
  try {
    const value = decodeJwt(accessToken)[claim]
    const granted = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : []
    return INVITE_PERMISSIONS.some((permission) => granted.includes(permission))
  } catch {
    throw new ProblemError('internal_error', {
      cause: new Error('The token service returned a token that is not a JWT.'),
    })
  }
}
