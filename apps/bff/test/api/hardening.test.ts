import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { Writable } from 'node:stream'
import { type Invitation, isProblemCode, type Problem } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeInvitationCursor } from '../../src/invitations/invitation-cursor.js'
import { redactUrl } from '../../src/platform/log-redaction.js'
import { startServer } from '../../src/server.js'
import { seeded, startTestEmulator } from '../support.js'
import { emulatorConfig, type Harness, SPA_ORIGIN, startHarness } from './harness.js'

/**
 * The findings of the outside attack run (docs/SECURITY.md, "Hardening"): each test sends what the attacker sent
 * and asserts the catalogued 4xx (or the absence of the secret) that the fix guarantees.
 */
const MEGAN = seeded.inviter.upn
const ADA = { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' }

let emulator: RunningEmulator
let harness: Harness

beforeAll(async () => {
  emulator = await startTestEmulator()
  harness = await startHarness({ emulator })
})
afterAll(async () => {
  await harness.close()
  await emulator.close()
})

const problemOf = (body: string) => JSON.parse(body) as Problem

/** Sends a request exactly as written (no URL normalisation), as `curl --path-as-is` does. */
async function rawRequest(
  app: FastifyInstance,
  options: { method: string; path: string; headers?: Record<string, string> | string[] },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        )
      },
    )
    request.on('error', reject)
    request.end()
  })
}

describe('1. text the database cannot hold', () => {
  it.each([
    ['a NUL', 'a\u0000b'],
    ['a lone high surrogate', 'x\ud800'],
    ['a lone low surrogate', '\udc00y'],
  ])(
    'refuses a presetId holding %s with a 400 naming the field, and the key stays usable',
    async (_label, presetId) => {
      const key = randomUUID()
      const first = await harness.invite(MEGAN, { ...ADA, presetId }, { idempotencyKey: key })
      expect(first.statusCode, first.body).toBe(400)
      const problem = first.json() as Problem
      expect(problem.code).toBe('invalid_request')
      expect(problem.errors).toEqual([{ field: 'presetId', message: expect.stringContaining('NUL') }])
      expect(first.body).not.toContain('\\u0000')
      // The refusal was stored: the same key and body replay it instead of answering 409 in progress.
      const again = await harness.invite(MEGAN, { ...ADA, presetId }, { idempotencyKey: key })
      expect(again.statusCode).toBe(400)
      expect((again.json() as Problem).code).toBe('invalid_request')
    },
  )

  it('refuses an unknown field whose name holds NUL without echoing it raw', async () => {
    const response = await harness.invite(MEGAN, { ...ADA, 'x\u0000y': 1 })
    expect(response.statusCode).toBe(400)
    expect(response.body).not.toContain('\\u0000')
    expect((response.json() as Problem).errors?.[0]?.field).toBe('x\uFFFDy')
  })

  it('refuses nested attributes and query values holding NUL', async () => {
    const nested = await harness.invite(MEGAN, { ...ADA, attributes: { givenName: 'A\u0000' } })
    expect(nested.statusCode).toBe(400)
    expect((nested.json() as Problem).errors?.[0]?.field).toBe('attributes.givenName')
    const query = await harness.get(MEGAN, '/api/invitations?cursor=%00')
    expect(query.statusCode).toBe(400)
    expect((query.json() as Problem).errors?.[0]?.field).toBe('cursor')
  })
})

describe('2. tampered paging cursors', () => {
  it.each([
    ['the largest bigint', '9223372036854775807'],
    ['the smallest bigint', '-9223372036854775808'],
    ['a time after year 9999', '253402300800000000'],
  ])('answers 400 for a cursor whose time is %s', async (_label, createdAtMicros) => {
    for (const index of [1, 2]) await harness.invite(MEGAN, { email: `page${index}@fabrikam.example` })
    const { nextCursor } = (await harness.get(MEGAN, '/api/invitations?limit=1')).json() as {
      nextCursor: string
    }
    const issued = JSON.parse(Buffer.from(nextCursor, 'base64url').toString('utf8')) as {
      i: string
      s: string
    }
    // The real cursor works; the same cursor with its time edited is the caller's mistake, not a 500.
    expect((await harness.get(MEGAN, `/api/invitations?limit=1&cursor=${nextCursor}`)).statusCode).toBe(200)
    const cursor = encodeInvitationCursor({ createdAtMicros, id: issued.i, scope: issued.s })
    const response = await harness.get(MEGAN, `/api/invitations?cursor=${cursor}`)
    expect(response.statusCode, response.body).toBe(400)
    expect((response.json() as Problem).errors).toEqual([{ field: 'cursor', message: expect.any(String) }])
  })
})

describe('3 and 4. framework errors are catalogued problems, never a 5xx', () => {
  let server: FastifyInstance
  beforeAll(async () => {
    server = await startServer({
      config: emulatorConfig(emulator),
      port: 0,
      logLevel: 'silent',
      handleSignals: false,
    })
  })
  afterAll(() => server.close())

  it('answers a path traversal into the docs assets with a 4xx problem, not a 500', async () => {
    for (const path of ['/docs/static/../../etc/passwd', '/docs/static/..%2f..%2fetc%2fpasswd']) {
      const response = await rawRequest(server, { method: 'GET', path })
      expect(response.status, `${path}: ${response.body}`).toBeGreaterThanOrEqual(400)
      expect(response.status, path).toBeLessThan(500)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(isProblemCode(problemOf(response.body).code)).toBe(true)
      expect(response.body).not.toMatch(/root:|fastify|FST_/i)
    }
  })

  it('answers a malformed percent-encoding (FST_ERR_BAD_URL) with invalid_request', async () => {
    const response = await rawRequest(server, { method: 'GET', path: '/api/invitations/%c0' })
    expect(response.status).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(problemOf(response.body).code).toBe('invalid_request')
    expect(response.body).not.toMatch(/FST_|fastify/i)
    expect(response.headers['request-id']).toBeTruthy()
  })

  it('answers a path segment over the parameter limit (FST_ERR_MAX_PARAM_LENGTH) with uri_too_long', async () => {
    const response = await rawRequest(server, { method: 'GET', path: `/api/invitations/${'a'.repeat(300)}` })
    expect(response.status).toBe(414)
    expect(problemOf(response.body).code).toBe('uri_too_long')
    expect(response.body).not.toMatch(/FST_|fastify/i)
  })

  it("answers the CORS plugin's invalid preflight with a problem instead of text/plain", async () => {
    const response = await harness.app.inject({
      method: 'OPTIONS',
      url: '/api/invitations',
      headers: { origin: SPA_ORIGIN },
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({
      code: 'invalid_request',
      detail: expect.stringContaining('preflight'),
    })
  })

  it('answers unknown routes and methods with not_found problems', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['DELETE', '/api/invitations'],
      ['PUT', '/healthz'],
    ] as const) {
      const response = await harness.app.inject({ method, url })
      expect(response.statusCode, `${method} ${url}`).toBe(404)
      expect((response.json() as Problem).code).toBe('not_found')
    }
  })
})

describe('5. tokens in URLs never reach the logs', () => {
  it('redacts credential parameters and drops any query holding a JWT', () => {
    expect(redactUrl('/api/invitations?access_token=eyJhbGciOiJSUzI1NiJ9.e30.sig&limit=5')).toBe(
      '/api/invitations?[redacted]',
    )
    expect(redactUrl('/api/invitations?code=abc&limit=5&Client_Secret=s3cr3t')).toBe(
      '/api/invitations?code=[redacted]&limit=5&Client_Secret=[redacted]',
    )
    expect(redactUrl('/api/invitations?x=eyJhbGciOiJSUzI1NiJ9')).toBe('/api/invitations?[redacted]')
    expect(redactUrl('/api/invitations?limit=5')).toBe('/api/invitations?limit=5')
  })

  it('finds no token (header, query, cookie, body) nor the client secret in the BFF output', async () => {
    const lines: string[] = []
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const app = await startServer({
      config: emulatorConfig(emulator),
      port: 0,
      logLevel: 'trace',
      logStream,
      handleSignals: false,
    })
    try {
      const address = app.server.address()
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
      const token = (await signInToSpa(emulator, MEGAN)).access_token
      const [header, payload, signature] = token.split('.') as [string, string, string]
      const answers = [
        await fetch(`${base}/api/invitations?access_token=${token}`),
        await fetch(`${base}/api/config?token=${encodeURIComponent(token)}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
        await fetch(`${base}/api/invitations`, { headers: { cookie: `access_token=${token}` } }),
        await fetch(`${base}/api/invitations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}x` },
          body: JSON.stringify({ ...ADA, access_token: token, message: token }),
        }),
        await fetch(`${base}/api/invitations`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ ...ADA, message: `token ${token}` }),
        }),
      ]
      for (const answer of answers) expect(answer.status).toBeLessThan(500)
      const log = lines.join('')
      expect(log).toContain('"url"')
      for (const part of [header, payload, signature, seeded.bffClientSecret])
        expect(log, part.slice(0, 12)).not.toContain(part)
      expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/)
    } finally {
      await app.close()
    }
  })
})

describe('6. no copies of answers in caches', () => {
  it('sends Cache-Control: no-store on every API answer, success or problem', async () => {
    const created = await harness.invite(MEGAN, {
      email: `cache-${randomUUID().slice(0, 8)}@fabrikam.example`,
    })
    expect(created.statusCode).toBe(201)
    const { id } = created.json() as Invitation
    const answers = [
      created,
      await harness.get(MEGAN, '/api/invitations'),
      await harness.get(MEGAN, `/api/invitations/${id}`),
      await harness.get(MEGAN, '/api/config'),
      await harness.get(MEGAN, `/api/invitations/${randomUUID()}`),
      await harness.app.inject({ method: 'GET', url: '/api/invitations' }),
    ]
    for (const answer of answers) expect(answer.headers['cache-control'], answer.body).toBe('no-store')
  })
})

describe('10. Graph-backed reads are limited', () => {
  let limited: Harness
  beforeAll(async () => {
    limited = await startHarness({
      emulator,
      config: { readRateLimitPerUserPerMinute: 4, userStateCacheSeconds: 1 },
    })
  })
  afterAll(() => limited.close())

  it('serves externalUserState from a short-lived cache, and asks Graph again once it expires', async () => {
    const ADELE = seeded.admin.upn
    const created = await limited.invite(ADELE, {
      email: `state-${randomUUID().slice(0, 8)}@fabrikam.example`,
    })
    expect(created.statusCode, created.body).toBe(201)
    const invitation = created.json() as Invitation
    const read = async () =>
      ((await limited.get(ADELE, `/api/invitations/${invitation.id}`)).json() as Invitation).externalUserState
    expect(await read()).toBe('PendingAcceptance')
    const guest = emulator.context.directory.tenant(seeded.tenantId)?.users.get(invitation.invitedUserId)
    if (!guest) throw new Error('no guest in the emulator')
    guest.externalUserState = 'Accepted'
    // Within the cache's lifetime Graph is not asked again…
    expect(await read()).toBe('PendingAcceptance')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    // …after it, it is.
    expect(await read()).toBe('Accepted')
  })

  it('limits reads per user with rate_limited and Retry-After', async () => {
    const statuses: number[] = []
    for (let index = 0; index < 5; index += 1)
      statuses.push((await limited.get(MEGAN, '/api/invitations')).statusCode)
    expect(statuses).toEqual([200, 200, 200, 200, 429])
    const refused = await limited.get(MEGAN, '/api/config')
    expect(refused.statusCode).toBe(429)
    expect((refused.json() as Problem).code).toBe('rate_limited')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    // Invitations have their own limit, and other users are not affected.
    expect((await limited.invite(MEGAN, { email: 'reads@fabrikam.example' })).statusCode).toBe(201)
    expect((await limited.get(seeded.admin.upn, '/api/config')).statusCode).toBe(200)
  })
})
