import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import {
  DistributedCachePlugin,
  type ICacheClient,
  type ICachePlugin,
  type IPartitionManager,
} from '@azure/msal-node'
import { Redis } from 'ioredis'

/** Prefix of every Redis key the token cache writes; nothing else in Redis is touched. */
export const TOKEN_CACHE_NAMESPACE = 'entra-share:msal:'

// A blob that cannot be decrypted (other format version, tampering, another assertion) is a cache miss.
const FORMAT = 'v1.'
const IV_BYTES = 12
const TAG_BYTES = 16
// The longest a partition may live, whatever the assertion says: Entra's user tokens live 60-90 minutes.
const MAX_TTL_SECONDS = 24 * 3600

/** The Redis commands the cache uses (an ioredis client, or a test double). */
export interface TokenCacheRedis {
  get(key: string): Promise<string | null>
  set(key: string, value: string, expiry: 'EX', seconds: number): Promise<unknown>
  del(key: string): Promise<number>
}

/** One On-Behalf-Of assertion's slice of the shared cache. */
export interface OboCachePartition {
  /** The Redis key: namespace, user (`tid.oid`) and the SHA-256 of the assertion. */
  key: string
  /** The assertion (the caller's token for the BFF): the partition's tokens are encrypted with a key derived from it. */
  assertion: string
  /** How long the partition may be useful: until the assertion expires, plus the accepted clock skew. */
  ttlSeconds: number
}

export interface DistributedTokenCache {
  /** msal-node's `DistributedCachePlugin` reading and writing exactly this partition. */
  pluginFor(partition: OboCachePartition): ICachePlugin
  /** Deletes a partition (its token must not be served again). */
  forget(partition: OboCachePartition): Promise<void>
  /** Closes the Redis connection when this cache opened it. */
  close(): Promise<void>
}

export interface DistributedTokenCacheOptions {
  /** Called when Redis fails; the request goes on as a cache miss (the token service is asked instead). */
  onError?: (error: unknown) => void
}

/**
 * The partition of an On-Behalf-Of assertion. msal-node's caching guide partitions a web API's OBO cache by a hash
 * of the incoming access token; the user's `tid.oid` goes in front so one user's partitions share a prefix.
 *
 * @example
 * oboCachePartition(caller, { clockToleranceSeconds: 60 }).key
 * // 'entra-share:msal:obo:<tid>.<oid>:<sha256 of the token, base64url>'
 */
export function oboCachePartition(
  caller: { tenantId: string; objectId: string; accessToken: string; expiresAt?: number },
  options: { clockToleranceSeconds: number; now?: number },
): OboCachePartition {
  const assertionHash = createHash('sha256').update(caller.accessToken).digest('base64url')
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const lifetime = caller.expiresAt === undefined ? 3600 : caller.expiresAt - now
  return {
    key: `${TOKEN_CACHE_NAMESPACE}obo:${caller.tenantId}.${caller.objectId}:${assertionHash}`,
    assertion: caller.accessToken,
    ttlSeconds: Math.min(MAX_TTL_SECONDS, Math.max(60, lifetime + options.clockToleranceSeconds)),
  }
}

/**
 * msal-node's token cache over Redis, so every BFF instance serves the On-Behalf-Of token any of them acquired.
 *
 * Each partition is one msal cache blob under {@link TOKEN_CACHE_NAMESPACE}, with a TTL, encrypted with AES-256-GCM
 * under a key derived (HKDF) from the assertion itself: a copy of Redis alone reveals no Graph token, and the
 * partition's name (a hash) does not reveal the assertion. Redis failures are cache misses, never failed requests.
 *
 * The partition manager answers the same key from `getKey()` and `extractKey(account)`: msal-node 7 writes under
 * `extractKey` whenever the response created an account (the id_token msal asks for with `openid`), and a manager
 * returning the account's `homeAccountId` there, as in the web-app example, would store OBO tokens where no later
 * read looks.
 *
 * @example
 * const cache = createRedisTokenCache('redis://127.0.0.1:6379')
 * const app = new ConfidentialClientApplication({ auth, cache: { cachePlugin: cache.pluginFor(partition) } })
 */
export function createRedisTokenCache(
  redis: string | TokenCacheRedis,
  options: DistributedTokenCacheOptions = {},
): DistributedTokenCache {
  const owned =
    typeof redis === 'string'
      ? new Redis(redis, {
          // A slow or absent Redis must cost a request little: fail fast and ask the token service instead.
          maxRetriesPerRequest: 1,
          commandTimeout: 2000,
          lazyConnect: true,
        })
      : undefined
  // ioredis reports connection errors as events; the commands fail on their own and are handled below.
  owned?.on('error', () => undefined)
  const client: TokenCacheRedis = owned ?? (redis as TokenCacheRedis)
  const onError = options.onError ?? (() => undefined)

  const cacheClient = (partition: OboCachePartition): ICacheClient => ({
    async get(key) {
      try {
        const stored = await client.get(key)
        return stored ? decrypt(stored, partition) : ''
      } catch (error) {
        onError(error)
        return ''
      }
    },
    async set(key, value) {
      try {
        await client.set(key, encrypt(value, partition), 'EX', partition.ttlSeconds)
      } catch (error) {
        onError(error)
      }
      return value
    },
  })
  const partitionManager = (partition: OboCachePartition): IPartitionManager => ({
    getKey: async () => partition.key,
    extractKey: async () => partition.key,
  })

  return {
    pluginFor: (partition) => new DistributedCachePlugin(cacheClient(partition), partitionManager(partition)),
    async forget(partition) {
      try {
        await client.del(partition.key)
      } catch (error) {
        onError(error)
      }
    },
    async close() {
      if (owned) await owned.quit().catch(() => owned.disconnect())
    },
  }
}

function cipherKey(partition: OboCachePartition): Buffer {
  return Buffer.from(hkdfSync('sha256', partition.assertion, TOKEN_CACHE_NAMESPACE, partition.key, 32))
}

function encrypt(plain: string, partition: OboCachePartition): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', cipherKey(partition), iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return FORMAT + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
}

function decrypt(stored: string, partition: OboCachePartition): string {
  if (!stored.startsWith(FORMAT)) return ''
  const raw = Buffer.from(stored.slice(FORMAT.length), 'base64url')
  if (raw.length < IV_BYTES + TAG_BYTES) return ''
  try {
    const decipher = createDecipheriv('aes-256-gcm', cipherKey(partition), raw.subarray(0, IV_BYTES))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    )
  } catch {
    return ''
  }
}
