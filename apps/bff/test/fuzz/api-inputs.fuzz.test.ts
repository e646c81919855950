import { isProblemCode, type Problem } from '@entra-share/contracts'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccessTokenValidator } from '../../src/identity/access-token-validator.js'
import { isProblemError } from '../../src/platform/problem-error.js'
import { APP_ORIGIN, type Harness, startHarness } from '../api/harness.js'
import { partsOf, signWithEmulatorKey } from '../identity/identity-fixtures.js'
import { seeded } from '../support.js'

/**
 * Property-based tests over what callers control: request bodies (emails, display names, messages, redirect URLs,
 * presets, attributes, stray fields) and token claims. With a fixed seed the run is the same every time; each
 * property prints how many inputs it tried.
 */
const SEED = 20_261_124
const MEGAN = seeded.inviter.upn

let harness: Harness
const tried: Record<string, number> = {}
/** Answers to fuzzed invitation bodies by status: proof that the run reached Graph, not only the validator. */
const statuses = new Map<number, number>()

beforeAll(async () => {
  harness = await startHarness({
    config: { rateLimits: { perUserPerMinute: 100_000, perTenantPerMinute: 100_000 } },
  })
})
afterAll(async () => {
  for (const [property, count] of Object.entries(tried))
    console.log(`fuzz: ${property}: ${count} inputs tried`)
  await harness.close()
})

const hostileUrls = fc.constantFrom(
  'https://evil.example/',
  `${APP_ORIGIN}.evil.example/`,
  `${APP_ORIGIN}@evil.example/`,
  'javascript:alert(1)',
  '//evil.example/',
  '/\\evil.example',
  `${APP_ORIGIN}/ok?next=https://evil.example`,
  'data:text/html,<script>alert(1)</script>',
  `${APP_ORIGIN.replace('https', 'http')}/`,
  `${APP_ORIGIN}:444/`,
  '',
)
const emails = fc.oneof(
  fc.emailAddress(),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    'ada@fabrikam.example',
    'ADA@FABRIKAM.EXAMPLE',
    'megan@contoso.example',
    'x@blocked.example',
  ),
  fc
    .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.domain())
    .map(([l, d]) => `${l}@${d}`),
)
const texts = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ maxLength: 3000 }),
)
const body = fc.record(
  {
    email: emails,
    displayName: texts,
    redirectUrl: fc.oneof(fc.webUrl(), hostileUrls, fc.string()),
    presetId: fc.oneof(fc.constantFrom('apollo', 'admins-only', 'nope'), fc.string()),
    message: texts,
    sendEmail: fc.oneof(fc.boolean(), fc.anything()),
    attributes: fc.oneof(
      fc.record(
        {
          givenName: texts,
          surname: texts,
          usageLocation: fc.oneof(fc.constantFrom('GB', 'US'), fc.string()),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
)

/** Bodies with only known fields and mostly plausible values, so many reach Graph. */
const plausibleBody = fc.record(
  {
    email: fc.oneof(
      { weight: 3, arbitrary: fc.emailAddress() },
      {
        weight: 3,
        arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.domain()).map(([l, d]) => `${l}@${d}`),
      },
      { weight: 1, arbitrary: emails },
    ),
    displayName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
    redirectUrl: fc.oneof(fc.constant(`${APP_ORIGIN}/welcome`), hostileUrls),
    presetId: fc.constantFrom('apollo', 'admins-only', 'nope'),
    message: fc.string({ unit: 'grapheme', maxLength: 500 }),
    sendEmail: fc.boolean(),
  },
  { requiredKeys: ['email'] },
)

describe('fuzzing (fixed seed)', () => {
  it('POST /api/invitations never answers 5xx and every refusal carries a catalogued code', async () => {
    tried['invitation bodies'] = 0
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 6, arbitrary: plausibleBody },
          { weight: 3, arbitrary: body },
          { weight: 1, arbitrary: fc.anything() },
        ),
        async (input) => {
          tried['invitation bodies'] = (tried['invitation bodies'] ?? 0) + 1
          const response = await harness.invite(MEGAN, input as Record<string, unknown>)
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
          expect(response.statusCode, response.body).toBeLessThan(500)
          if (response.statusCode >= 400) expect(isProblemCode((response.json() as Problem).code)).toBe(true)
        },
      ),
      { seed: SEED, numRuns: 300 },
    )
    // Valid bodies must have been among them, invited through Graph.
    expect(statuses.get(201) ?? 0, JSON.stringify(Object.fromEntries(statuses))).toBeGreaterThan(20)
  })

  it('query strings, ids and Idempotency-Keys never crash a route', async () => {
    tried['ids, queries and keys'] = 0
    const token = await harness.tokenFor(MEGAN)
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string({ unit: 'binary' }), async (id, query, key) => {
        tried['ids, queries and keys'] = (tried['ids, queries and keys'] ?? 0) + 1
        const authorization = `Bearer ${token}`
        const responses = await Promise.all([
          harness.app.inject({
            method: 'GET',
            url: `/api/invitations/${encodeURIComponent(id)}`,
            headers: { authorization },
          }),
          harness.app.inject({
            method: 'GET',
            url: `/api/invitations?${query}`,
            headers: { authorization },
          }),
          harness.app.inject({
            method: 'POST',
            url: '/api/invitations',
            headers: { authorization, 'idempotency-key': key.replace(/[\r\n]/g, '') },
            payload: { email: 'fuzz@fabrikam.example' },
          }),
        ])
        for (const response of responses) {
          expect(response.statusCode, response.body).toBeLessThan(500)
          if (response.statusCode >= 400) expect(isProblemCode((response.json() as Problem).code)).toBe(true)
        }
      }),
      { seed: SEED, numRuns: 150 },
    )
  })

  it('token claims: the validator never crashes, and accepts only tokens that are valid in every claim', async () => {
    tried['token claims'] = 0
    let accepted = 0
    const validator = createAccessTokenValidator(harness.config)
    const real = partsOf(await harness.tokenFor(MEGAN)).payload
    const now = Math.floor(Date.now() / 1000)
    const claimValue = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant(null),
    )
    const claims = {
      aud: fc.oneof(fc.constantFrom(real.aud, 'api://other', seeded.spaClientId), claimValue),
      iss: fc.oneof(
        fc.constantFrom(real.iss, 'https://sts.windows.net/evil/', `${harness.emulator.url}/x/v2.0`),
        claimValue,
      ),
      tid: fc.oneof(fc.constantFrom(real.tid, seeded.otherTenantId), claimValue),
      oid: fc.oneof(fc.constant(real.oid), claimValue),
      scp: fc.oneof(fc.constantFrom('Invitations.Send', 'User.Read', ''), claimValue),
      roles: fc.oneof(fc.constant(['Invitations.Admin']), claimValue),
      exp: fc.oneof(fc.integer({ min: now - 7200, max: now + 7200 }), claimValue),
      nbf: fc.oneof(fc.integer({ min: now - 7200, max: now + 7200 }), claimValue),
      // Around the edges: in the future, older than the longest lifetime, a lifetime longer than a day.
      iat: fc.oneof(
        fc.integer({ min: now - 2 * 86_400, max: now + 7200 }),
        fc.constantFrom(now - 86_400, now + 60, now + 3650 * 86_400),
        claimValue,
      ),
      azp: fc.oneof(
        fc.constantFrom(
          seeded.spaClientId,
          seeded.cliClientId,
          seeded.bffClientId,
          'c0ffee00-0000-4000-8000-00000000dead',
        ),
        claimValue,
      ),
      ver: fc.oneof(fc.constantFrom('2.0', '1.0'), claimValue),
    }
    // Any subset of the claims changed at once, or exactly one of them: most multi-claim changes are refused, and
    // a single change is often still valid, so the acceptance oracle below is exercised, not only the refusals.
    const mutation = fc.oneof(
      fc.record(claims, { requiredKeys: [] }),
      fc.oneof(
        ...Object.entries(claims).map(([name, value]) =>
          (value as fc.Arbitrary<unknown>).map((changed) => ({ [name]: changed })),
        ),
      ),
    )
    await fc.assert(
      fc.asyncProperty(mutation, async (changes) => {
        tried['token claims'] = (tried['token claims'] ?? 0) + 1
        const payload = { ...real, ...changes }
        const token = await signWithEmulatorKey(harness.emulator, payload as Record<string, unknown>)
        try {
          const caller = await validator.validate(`Bearer ${token}`)
          // Accepted: then every claim that matters was the real one (or an equivalent valid value).
          expect(caller.tenantId).toBe(real.tid)
          expect(caller.objectId).toBe(real.oid)
          expect([real.aud, `api://${seeded.bffClientId}`]).toContain(payload.aud)
          expect(typeof payload.exp === 'number' && payload.exp > now - 60).toBe(true)
          // iat present, not in the future beyond the skew, and exp - iat within the configured lifetime.
          const acceptedAt = Math.ceil(Date.now() / 1000)
          expect(typeof payload.iat === 'number' && payload.iat <= acceptedAt + 60).toBe(true)
          expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(
            harness.config.maxTokenLifetimeSeconds,
          )
          // The calling app is on the allow list (the emulator's SPA and CLI).
          expect(harness.config.allowedClientIds).toContain(caller.clientId)
          accepted += 1
        } catch (error) {
          expect(isProblemError(error), String(error)).toBe(true)
          if (isProblemError(error)) expect(['unauthenticated', 'insufficient_scope']).toContain(error.code)
        }
      }),
      { seed: SEED, numRuns: 300 },
    )
    // Some tokens were accepted, so the oracle above was exercised.
    expect(accepted).toBeGreaterThan(0)
    console.log(`fuzz: token claims: ${accepted} accepted`)
  })
})
