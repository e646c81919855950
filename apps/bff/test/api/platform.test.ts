import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import type { Problem } from '@entra-share/contracts'
import { signInToSpa } from '@entra-share/emulator/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../../src/server.js'
import { seeded, startTestEmulator } from '../support.js'
import { emulatorConfig, SPA_ORIGIN, startHarness } from './harness.js'

const MEGAN = seeded.inviter.upn
const ADA = { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' }
type Emulator = Awaited<ReturnType<typeof startTestEmulator>>

/**
 * Sends `GET path` over a plain socket with exactly these header lines, duplicates included (fetch and inject merge
 * or drop them), and answers the status, the lower-cased headers and the body.
 */
function rawGet(
  port: number,
  path: string,
  headerLines: string[],
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    })
    socket.write(
      [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headerLines, 'Connection: close', '', ''].join('\r\n'),
    )
  })
}

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())

describe('HTTP surface', () => {
  it('allows CORS from the configured origins only and exposes the headers the component reads', async () => {
    const harness = await startHarness({ emulator })
    try {
      const allowed = await harness.app.inject({
        method: 'OPTIONS',
        url: '/api/invitations',
        headers: {
          origin: SPA_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      })
      expect(allowed.statusCode).toBe(204)
      expect(allowed.headers['access-control-allow-origin']).toBe(SPA_ORIGIN)
      expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain(
        'idempotency-key',
      )
      const read = await harness.get(MEGAN, '/api/config')
      expect(read.headers['access-control-allow-origin']).toBeUndefined() // no Origin sent
      const cross = await harness.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { origin: SPA_ORIGIN },
      })
      expect(String(cross.headers['access-control-expose-headers'])).toContain('WWW-Authenticate')
      expect(String(cross.headers['access-control-expose-headers'])).toContain('Retry-After')
      expect(String(cross.headers['access-control-expose-headers'])).toContain('request-id')
      const evil = await harness.app.inject({
        method: 'OPTIONS',
        url: '/api/invitations',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      })
      expect(evil.headers['access-control-allow-origin']).toBeUndefined()
      expect(cross.headers['x-content-type-options']).toBe('nosniff') // helmet
      expect(cross.headers['request-id']).toBeTruthy()
    } finally {
      await harness.close()
    }
  })

  it('serves the OpenAPI document and a docs page', async () => {
    const harness = await startHarness({ emulator })
    try {
      const openapi = await harness.app.inject({ method: 'GET', url: '/openapi.json' })
      expect(openapi.statusCode).toBe(200)
      const document = openapi.json() as { openapi: string; paths: Record<string, unknown> }
      expect(document.openapi).toBe('3.1.0')
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/api/invitations',
          '/api/invitations/{id}',
          '/api/invitations/{id}/resend',
          '/api/config',
        ]),
      )
      const docs = await harness.app.inject({ method: 'GET', url: '/docs/' })
      expect(docs.statusCode).toBe(200)
      expect(docs.body).toContain('swagger')
    } finally {
      await harness.close()
    }
  })

  it('answers /healthz always and /readyz only while the database and signing keys answer', async () => {
    const own = await startTestEmulator()
    const harness = await startHarness({ emulator: own })
    try {
      expect((await harness.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
      const ready = await harness.app.inject({ method: 'GET', url: '/readyz' })
      expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', signingKeys: 'ok' } })
      await own.close()
      const notReady = await harness.app.inject({ method: 'GET', url: '/readyz' })
      expect(notReady.statusCode).toBe(503)
      expect(notReady.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(notReady.json()).toMatchObject({
        status: 503,
        code: 'upstream_unavailable',
        detail: 'Not ready: signingKeys JWKS unreachable.',
        checks: { database: 'ok', signingKeys: 'JWKS unreachable' },
      })
    } finally {
      await harness.close()
    }
  })

  it('rate-limits each user, with Retry-After, without blocking another user', async () => {
    const harness = await startHarness({
      emulator,
      config: { rateLimits: { perUserPerMinute: 2, perTenantPerMinute: 100 } },
    })
    try {
      for (const n of [1, 2])
        expect((await harness.invite(MEGAN, { email: `rl${n}@fabrikam.example` })).statusCode).toBe(201)
      const limited = await harness.invite(MEGAN, { email: 'rl3@fabrikam.example' })
      expect(limited.statusCode).toBe(429)
      expect((limited.json() as Problem).code).toBe('rate_limited')
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
      const adele = await harness.invite(seeded.admin.upn, { email: 'rl4@fabrikam.example' })
      expect(adele.statusCode).toBe(201)
    } finally {
      await harness.close()
    }
  })

  it('caps a whole tenant across its users', async () => {
    const harness = await startHarness({
      emulator,
      config: { rateLimits: { perUserPerMinute: 100, perTenantPerMinute: 1 } },
    })
    try {
      expect((await harness.invite(MEGAN, { email: 'cap1@fabrikam.example' })).statusCode).toBe(201)
      const adele = await harness.invite(seeded.admin.upn, { email: 'cap2@fabrikam.example' })
      expect(adele.statusCode).toBe(429)
      expect((adele.json() as Problem).code).toBe('rate_limited')
    } finally {
      await harness.close()
    }
  })

  it('answers consent_required with the admin-consent link when the app lacks consent', async () => {
    const clientId = seeded.unconsentedBffClientId
    const harness = await startHarness({
      emulator,
      config: {
        clientId,
        credential: { kind: 'secret', clientSecret: seeded.unconsentedBffClientSecret },
        audiences: [clientId, `api://${clientId}`],
      },
    })
    try {
      const token = (await signInToSpa(emulator, MEGAN, `api://${clientId}/Invitations.Send`)).access_token
      const response = await harness.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
        payload: ADA,
      })
      expect(response.statusCode).toBe(403)
      const body = response.json() as Problem
      expect(body.code).toBe('consent_required')
      expect(body.adminConsentUrl).toContain(`client_id=${clientId}`)
    } finally {
      await harness.close()
    }
  })

  it('answers idempotency_in_progress to a second request with the same key while the first still runs', async () => {
    const harness = await startHarness({ emulator })
    try {
      emulator.context.faults.set({
        throttle: [{ route: 'POST /v1.0/invitations', next: 1, retryAfterSeconds: 1 }],
      })
      await harness.tokenFor(MEGAN)
      const key = randomUUID()
      const throttledBefore = emulator.context.faults.injected.throttle
      // The second request goes once Graph has throttled the first: by then the first holds the key (claimed before
      // Graph is called) and waits a second to retry. A fixed delay instead raced a busy machine.
      const firstThrottled = async () => {
        while (emulator.context.faults.injected.throttle === throttledBefore)
          await new Promise((resolve) => setTimeout(resolve, 10))
      }
      const [first, second] = await Promise.all([
        harness.invite(MEGAN, ADA, { idempotencyKey: key }),
        firstThrottled().then(() => harness.invite(MEGAN, ADA, { idempotencyKey: key })),
      ])
      expect(first.statusCode).toBe(201)
      expect(second.statusCode).toBe(409)
      expect((second.json() as Problem).code).toBe('idempotency_in_progress')
      expect(second.headers['retry-after']).toBe('1')
    } finally {
      emulator.context.faults.set({})
      await harness.close()
    }
  })

  it('refuses up front, with invalid_request, an address the directory would refuse, instead of a 502 from Graph', async () => {
    const harness = await startHarness({ emulator })
    try {
      const before = emulator.context.directory.invitations.size
      const response = await harness.invite(MEGAN, { email: 'ada!lovelace@fabrikam.example' })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ code: 'invalid_request', errors: [{ field: 'email' }] })
      expect(emulator.context.directory.invitations.size).toBe(before)
    } finally {
      await harness.close()
    }
  })

  it('answers invalid_request (RFC 6750 §2) to two Authorization headers, or a token in both header and query', async () => {
    const harness = await startHarness({ emulator })
    try {
      await harness.app.listen({ port: 0, host: '127.0.0.1' })
      const address = harness.app.server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      const token = await harness.tokenFor(MEGAN)
      const bearer = `Authorization: Bearer ${token}`

      // The control: one header, one token.
      expect((await rawGet(port, '/api/config', [bearer])).status).toBe(200)

      for (const [headerLines, path] of [
        [[bearer, bearer], '/api/config'],
        [[bearer, 'authorization: Bearer another.token.value'], '/api/config'],
        [[bearer], `/api/config?access_token=${token}`],
        [[bearer], '/api/invitations?limit=5&access_token=x'],
      ] as const) {
        const response = await rawGet(port, path, [...headerLines])
        expect(response.status, `${path} ${headerLines.length}`).toBe(400)
        const body = JSON.parse(response.body) as Problem
        expect(body.code).toBe('invalid_request')
        expect(body.detail).toMatch(
          /more than one Authorization header|both the Authorization header and the query/,
        )
        expect(response.headers['www-authenticate']).toBe(
          `Bearer error="invalid_request", error_description="${body.detail}"`,
        )
        expect(response.body).not.toContain(token.split('.')[1])
      }

      // A token in the query string alone is never read: the request has no token.
      const queryOnly = await rawGet(port, `/api/config?access_token=${token}`, [])
      expect(queryOnly.status).toBe(401)
      expect((JSON.parse(queryOnly.body) as Problem).code).toBe('unauthenticated')
      expect(queryOnly.headers['www-authenticate']).toBe(`Bearer realm="api://${seeded.bffClientId}"`)
    } finally {
      await harness.close()
    }
  })

  it('answers internal_error without internals when the database fails', async () => {
    const harness = await startHarness({ emulator })
    try {
      await harness.tokenFor(MEGAN)
      await harness.app.entraShare.database.close()
      const response = await harness.invite(MEGAN, ADA)
      expect(response.statusCode).toBe(500)
      const body = response.json() as Problem
      expect(body).toMatchObject({ code: 'internal_error', title: 'Something went wrong on the server.' })
      expect(JSON.stringify(body)).not.toMatch(/pglite|SELECT|INSERT|stack|at /i)
    } finally {
      await harness.app.close().catch(() => undefined)
    }
  })
})

describe('logs', () => {
  it('never contain the bearer token, the OBO token or the client secret', async () => {
    const lines: string[] = []
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const config = emulatorConfig(emulator)
    const app = await startServer({ config, port: 0, logLevel: 'debug', logStream })
    try {
      const address = app.server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      const token = (await signInToSpa(emulator, MEGAN)).access_token
      const post = (body: unknown, headers: Record<string, string> = {}) =>
        fetch(`http://127.0.0.1:${port}/api/invitations`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
            ...headers,
          },
          body: JSON.stringify(body),
        })
      expect((await post(ADA)).status).toBe(201)
      const adeleToken = (await signInToSpa(emulator, seeded.admin.upn)).access_token
      emulator.context.faults.set({ claimsChallengeUsers: [seeded.admin.upn] })
      expect(
        (await post({ email: 'grace2@fabrikam.example' }, { authorization: `Bearer ${adeleToken}` })).status,
      ).toBe(401)
      emulator.context.faults.set({})
      expect((await post(ADA, { authorization: `Bearer ${token}x` })).status).toBe(401)
      const log = lines.join('')
      expect(log.length).toBeGreaterThan(0)
      expect(log).toContain('"reqId"')
      expect(log).not.toContain(token.split('.')[2])
      expect(log).not.toContain(token.split('.')[1])
      expect(log).not.toContain(adeleToken.split('.')[2])
      expect(log).not.toContain(seeded.bffClientSecret)
      expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.eyJ/)
    } finally {
      await app.close()
    }
  })
})
