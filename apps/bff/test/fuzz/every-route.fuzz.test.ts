import { randomUUID } from 'node:crypto'
import { bulkTemplateHeaders, bulkTemplateVersionRow, isProblemCode } from '@entra-share/contracts'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, SPA_ORIGIN, startHarness } from '../api/harness.js'
import { seeded } from '../support.js'

/**
 * The attack run's fuzzer, kept: ten thousand generated requests (fixed seed) over every route of the BFF, with
 * text drawn from the whole Unicode range, lone surrogates and NUL included, in bodies, paths, query strings,
 * headers and CSV cells. None may answer 5xx, every refusal must be a catalogued problem, and no Idempotency-Key
 * may be left locked afterwards.
 */
const SEED = 20_261_201
const RUNS = 10_000
const CONCURRENCY = 8

let harness: Harness
let tokens: string[]

beforeAll(async () => {
  harness = await startHarness({
    config: {
      rateLimits: { perUserPerMinute: 1_000_000, perTenantPerMinute: 1_000_000 },
      readRateLimitPerUserPerMinute: 1_000_000,
    },
    // Uploads are checked and stored; sending their rows is the bulk tests' business.
    app: { bulk: { workerEnabled: false } },
  })
  tokens = await Promise.all([seeded.inviter.upn, seeded.admin.upn].map((upn) => harness.tokenFor(upn)))
})
afterAll(() => harness.close())

/** Percent-encodes any UTF-16 text, lone surrogates included (as the WTF-8 bytes a sloppy client would send). */
function percentEncode(text: string): string {
  let out = ''
  for (const unit of text) {
    const code = unit.codePointAt(0) ?? 0
    if (code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('')
    else out += encodeURIComponent(unit)
  }
  return out
}

// fast-check's 'binary' unit leaves out U+D800–U+DFFF, so lone surrogates are drawn on their own.
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code))
const poison = fc.oneof(
  loneSurrogate,
  fc.constantFrom('\u0000', '\u202e', '\u200b', '\uffff', '%', '..', '/'),
)
/** Text from the whole range: arbitrary code points, lone surrogates, and a poison character put anywhere. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc
    .tuple(fc.string({ maxLength: 10 }), poison, fc.string({ unit: 'binary', maxLength: 10 }), poison)
    .map((parts) => parts.join('')),
)
/** Path and query parts: encoded text, or raw bytes percent-encoded (invalid UTF-8 included). */
const urlPart = fc.oneof(
  text.map(percentEncode),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16)}`).join('')),
  fc.constantFrom('', '%', '%zz', '%c0', '%00', randomUUID(), 'a'.repeat(120)),
)
const query = fc
  .array(fc.tuple(fc.constantFrom('limit', 'cursor', 'scope', 'x', 'access_token'), urlPart), {
    maxLength: 3,
  })
  .map((pairs) =>
    pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`,
  )
const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(0, 1).map((index) => `Bearer ${tokens[index]}`) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'Bearer', 'Basic abc', 'Bearer eyJ.eyJ.x') },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((value) => `Bearer ${value}`),
  },
)
const idempotencyKey = fc.oneof(
  { weight: 8, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom('fixed-key-0001', 'fixed-key-0002') },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 140 }).map((key) => key.replace(/[\r\n]/g, '')),
  },
)
const invitationBody = fc.record(
  {
    email: fc.oneof(
      text,
      text.map((local) => `${local}@fabrikam.example`),
      fc.stringMatching(/^[a-z]{1,8}$/).map((local) => `${local}@fabrikam.example`),
    ),
    displayName: text,
    redirectUrl: fc.oneof(text, fc.constant('https://app.contoso.example/welcome')),
    presetId: fc.oneof(text, fc.constantFrom('apollo', 'admins-only')),
    message: text,
    sendEmail: fc.oneof(fc.boolean(), text),
    attributes: fc.oneof(
      fc.record({ givenName: text, surname: text, usageLocation: text }, { requiredKeys: [] }),
      fc.dictionary(text, text, { maxKeys: 2 }),
    ),
    [`stray${'\u0000'}`]: text,
  },
  { requiredKeys: [] },
)
/** Bodies that pass every check, so the fuzz run also reaches Graph and stores invitations. */
const validInvitationBody = fc.record(
  {
    email: fc.stringMatching(/^[a-z0-9]{1,10}$/).map((local) => `${local}@fabrikam.example`),
    displayName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    presetId: fc.constant('apollo'),
  },
  { requiredKeys: ['email'] },
)
const csvCell = text.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell))
const csvFile = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  fc
    .array(fc.array(csvCell, { minLength: 4, maxLength: 7 }), { maxLength: 3 })
    .map((rows) =>
      [
        bulkTemplateVersionRow,
        [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended].join(','),
        ...rows.map((row) => row.join(',')),
      ].join('\n'),
    ),
)

/** One generated request for each kind of route, public ones and unknown ones included. */
const requestFor: fc.Arbitrary<InjectOptions> = fc.oneof(
  fc
    .tuple(
      authorization,
      idempotencyKey,
      fc.oneof(
        { weight: 6, arbitrary: invitationBody },
        { weight: 1, arbitrary: validInvitationBody },
        { weight: 1, arbitrary: fc.anything() },
      ),
    )
    .map(([auth, key, body]) => ({
      method: 'POST' as const,
      url: '/api/invitations',
      headers: { ...(auth ? { authorization: auth } : {}), 'idempotency-key': key },
      payload: body as Record<string, unknown>,
    })),
  fc.tuple(authorization, text).map(([auth, raw]) => ({
    method: 'POST' as const,
    url: '/api/invitations',
    headers: {
      ...(auth ? { authorization: auth } : {}),
      'idempotency-key': randomUUID(),
      'content-type': 'application/json',
    },
    // Hand-written JSON: escapes of NUL and lone surrogates, and broken documents.
    payload: `{"email":"${raw.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}","presetId":"\\u0000\\ud800"`,
  })),
  fc.tuple(authorization, query).map(([auth, search]) => ({
    method: 'GET' as const,
    url: `/api/invitations${search}`,
    headers: auth ? { authorization: auth } : {},
  })),
  fc.tuple(authorization, urlPart, fc.constantFrom('', '/resend')).map(([auth, id, action]) => ({
    method: action === '' ? ('GET' as const) : ('POST' as const),
    url: `/api/invitations/${id}${action}`,
    headers: auth ? { authorization: auth } : {},
  })),
  fc.tuple(authorization, query).map(([auth, search]) => ({
    method: 'GET' as const,
    url: `/api/config${search}`,
    headers: auth ? { authorization: auth } : {},
  })),
  fc.tuple(authorization, query).map(([auth, search]) => ({
    method: 'GET' as const,
    url: `/api/events${search}`,
    headers: auth ? { authorization: auth } : {},
  })),
  fc.tuple(authorization, csvFile).map(([auth, csv]) => ({
    method: 'POST' as const,
    url: '/api/bulk-invitations',
    headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'text/csv' },
    payload: csv,
  })),
  fc
    .tuple(authorization, urlPart, fc.constantFrom('', '/cancel', '/results.csv'))
    .map(([auth, id, action]) => ({
      method: action === '/cancel' ? ('POST' as const) : ('GET' as const),
      url: `/api/bulk-invitations/${id}${action}`,
      headers: auth ? { authorization: auth } : {},
    })),
  fc
    .tuple(
      fc.constantFrom('/healthz', '/readyz', '/openapi.json', '/docs', '/docs/static/', '/docs/json'),
      urlPart,
    )
    .map(([path, suffix]) => ({ method: 'GET' as const, url: `${path}${path.endsWith('/') ? suffix : ''}` })),
  fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') as fc.Arbitrary<
        InjectOptions['method']
      >,
      fc.array(urlPart, { minLength: 1, maxLength: 4 }),
      fc.constantFrom(undefined, SPA_ORIGIN, 'https://evil.example'),
      fc.constantFrom(undefined, 'GET', 'POST', 'TRACE'),
    )
    .map(([method, segments, origin, preflightMethod]) => ({
      method,
      url: `/${segments.join('/')}`,
      headers: {
        ...(origin ? { origin } : {}),
        ...(preflightMethod ? { 'access-control-request-method': preflightMethod } : {}),
      },
    })),
)

async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next] as T
        next += 1
        await work(item)
      }
    }),
  )
}

describe('fuzzing every route (fixed seed)', () => {
  it(`${RUNS} generated requests: no 5xx, every refusal a catalogued problem, no key left locked`, async () => {
    const requests = fc.sample(requestFor, { seed: SEED, numRuns: RUNS })
    const statuses = new Map<number, number>()
    const failures: string[] = []
    const started = performance.now()
    await inPool(requests, CONCURRENCY, async (request) => {
      const response = await harness.app.inject(request)
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
      const problem =
        response.statusCode >= 400 && request.method !== 'HEAD'
          ? (() => {
              try {
                return response.json() as { code?: unknown }
              } catch {
                return {}
              }
            })()
          : undefined
      const wrong =
        response.statusCode >= 500 ||
        (problem !== undefined &&
          (!isProblemCode(problem.code) ||
            !String(response.headers['content-type']).startsWith('application/problem+json')))
      if (wrong && failures.length < 5)
        failures.push(
          `${request.method} ${String(request.url).slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`,
        )
    })
    const seconds = (performance.now() - started) / 1000
    const locked = await harness.app.entraShare.database.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM idempotency_keys WHERE state = 'in_progress'`,
    )
    console.log(
      `fuzz: ${requests.length} requests in ${seconds.toFixed(1)} s; answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    )
    expect(failures).toEqual([])
    expect(requests.length).toBe(RUNS)
    expect(locked[0]?.count).toBe('0')
    // The run reached the routes' own logic, not only the authentication and schema checks.
    for (const status of [200, 201, 202, 400, 401, 404])
      expect(statuses.get(status) ?? 0, String(status)).toBeGreaterThan(0)
  }, 120_000)
})
