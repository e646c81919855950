import { randomUUID } from 'node:crypto'
import { ConfidentialClientApplication } from '@azure/msal-node'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { Redis } from 'ioredis'
import { decodeJwt } from 'jose'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Caller } from '../../src/identity/caller.js'
import {
  createRedisTokenCache,
  oboCachePartition,
  TOKEN_CACHE_NAMESPACE,
} from '../../src/identity/distributed-token-cache.js'
import { createGraphTokenProvider } from '../../src/identity/graph-token-provider.js'
import { openDatabase } from '../../src/platform/database.js'
import { configForEmulator } from '../../src/testing/index.js'
import { type Harness, startHarness } from '../api/harness.js'
import { seeded, startTestEmulator } from '../support.js'

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

let emulator: RunningEmulator
let redis: Redis
/** Partition keys this file created; only these are deleted afterwards (never FLUSHDB). */
const written = new Set<string>()

beforeAll(async () => {
  emulator = await startTestEmulator()
  redis = new Redis(REDIS_URL)
})

afterAll(async () => {
  if (written.size > 0) await redis.del(...written)
  await redis.quit()
  await emulator.close()
})

function oboRequests(): number {
  return emulator.context.directory
    .tokenRequests()
    .filter((entry) => entry.grantType === OBO_GRANT && entry.clientId === seeded.bffClientId)
    .reduce((sum, entry) => sum + entry.count, 0)
}

/** The Redis key of an assertion's partition, as the provider computes it. */
function partitionKey(accessToken: string): string {
  const claims = decodeJwt(accessToken)
  const key = oboCachePartition(
    { tenantId: String(claims.tid), objectId: String(claims.oid), accessToken },
    { clockToleranceSeconds: 60 },
  ).key
  written.add(key)
  return key
}

function invite(harness: Harness, accessToken: string, email: string) {
  return harness.app.inject({
    method: 'POST',
    url: '/api/invitations',
    headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': randomUUID() },
    payload: { email },
  })
}

describe('distributed msal-node token cache over Redis (issue 7)', () => {
  it('serves the On-Behalf-Of token instance A acquired to instance B from Redis: one OBO request in all', async () => {
    // Two instances as deployed: each its own connection pool to one PostgreSQL schema, one Redis.
    const schema = `bff_shared_cache_${process.pid}_${Date.now()}`
    const open = () => openDatabase({ databaseUrl: DATABASE_URL, dataDir: '', schema })
    const databaseA = await open()
    const databaseB = await open()
    const config = { redisUrl: REDIS_URL }
    const instanceA = await startHarness({ emulator, config, app: { database: databaseA } })
    const instanceB = await startHarness({ emulator, config, app: { database: databaseB } })
    try {
      const userToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
      const key = partitionKey(userToken)
      const before = oboRequests()

      const first = await invite(instanceA, userToken, `shared-cache-a-${randomUUID()}@fabrikam.example`)
      expect(first.statusCode).toBe(201)
      expect(oboRequests()).toBe(before + 1)

      // It really is in Redis: the assertion's partition, with a TTL, encrypted (no token readable in the blob).
      const stored = await redis.get(key)
      expect(stored).toMatch(/^v1\./)
      // The blob is base64url, where a bare 'eyJ' can occur by chance (about once in 30 runs); a readable token is a
      // JWT's header and payload back to back, or the cache's plaintext keys.
      expect(stored).not.toMatch(/AccessToken|eyJ[A-Za-z0-9_-]+\.eyJ/)
      expect(stored).not.toContain(userToken.split('.')[1])
      const ttl = await redis.ttl(key)
      expect(ttl).toBeGreaterThan(60)
      expect(ttl).toBeLessThanOrEqual(24 * 3600)
      expect(
        await redis.keys(`${TOKEN_CACHE_NAMESPACE}obo:${seeded.tenantId}.${seeded.inviter.id}:*`),
      ).toContain(key)

      const second = await invite(instanceB, userToken, `shared-cache-b-${randomUUID()}@fabrikam.example`)
      expect(second.statusCode).toBe(201)
      expect(oboRequests()).toBe(before + 1)

      // The SPA's next token is a new assertion: a new partition and a new exchange.
      const nextToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
      partitionKey(nextToken)
      expect(
        (await invite(instanceB, nextToken, `shared-cache-c-${randomUUID()}@fabrikam.example`)).statusCode,
      ).toBe(201)
      expect(oboRequests()).toBe(before + 2)
    } finally {
      await instanceA.close()
      await instanceB.close()
      await databaseA.close()
      await databaseB.close()
      const admin = new pg.Client({ connectionString: DATABASE_URL })
      await admin.connect()
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    }
  })

  it('is needed: msal-node reads an OBO token from its in-memory cache only, so a plugin alone shares nothing', async () => {
    // The provider loads the partition (getAllAccounts → beforeCacheAccess) before acquireTokenOnBehalfOf; without
    // that, a fresh application with the very same plugin asks the token service again.
    const cache = createRedisTokenCache(REDIS_URL)
    try {
      const userToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
      const claims = decodeJwt(userToken)
      const partition = oboCachePartition(
        { tenantId: String(claims.tid), objectId: String(claims.oid), accessToken: userToken },
        { clockToleranceSeconds: 60 },
      )
      written.add(partition.key)
      const application = () =>
        new ConfidentialClientApplication({
          auth: {
            clientId: seeded.bffClientId,
            clientSecret: seeded.bffClientSecret,
            authority: emulator.settings.authority,
            knownAuthorities: emulator.settings.knownAuthorities,
            authorityMetadata: emulator.settings.authorityMetadata,
          },
          cache: { cachePlugin: cache.pluginFor(partition) },
        })
      const request = { oboAssertion: userToken, scopes: ['https://graph.microsoft.com/.default'] }
      const before = oboRequests()
      await application().acquireTokenOnBehalfOf(request)
      expect(await redis.exists(partition.key)).toBe(1)
      await application().acquireTokenOnBehalfOf(request)
      expect(oboRequests()).toBe(before + 2)

      const loaded = application()
      await loaded.getTokenCache().getAllAccounts()
      await loaded.acquireTokenOnBehalfOf(request)
      expect(oboRequests()).toBe(before + 2)
    } finally {
      await cache.close()
    }
  })

  it('asks the token service when Redis is unreachable instead of failing the request', async () => {
    const errors: unknown[] = []
    const unreachable = createRedisTokenCache('redis://127.0.0.1:1', {
      onError: (error) => errors.push(error),
    })
    const provider = createGraphTokenProvider(configForEmulator(emulator), { distributedCache: unreachable })
    try {
      const userToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
      const claims = decodeJwt(userToken)
      const caller: Caller = {
        tenantId: String(claims.tid),
        objectId: String(claims.oid),
        name: null,
        username: null,
        scopes: String(claims.scp).split(' '),
        roles: [],
        clientId: String(claims.azp),
        appOnly: false,
        isAdmin: false,
        accessToken: userToken,
      }
      const before = oboRequests()
      expect(decodeJwt(await provider.graphToken(caller)).oid).toBe(seeded.inviter.id)
      expect(oboRequests()).toBe(before + 1)
      expect(errors.length).toBeGreaterThan(0)
    } finally {
      await provider.close()
      await unreachable.close()
    }
  })
})
