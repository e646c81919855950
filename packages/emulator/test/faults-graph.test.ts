import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FaultConfig } from '../src/faults/engine.js'
import type { RunningEmulator } from '../src/index.js'
import {
  appGraphToken,
  type BatchItemAnswer,
  batchItemsOf,
  graphErrorOf,
  graphFetch,
  graphSdkClient,
  invitationBody,
  itemError,
  putFaults,
  userReadItems,
} from './graph-calls.js'
import { seeded, startTestEmulator } from './support.js'

describe('faults on Microsoft Graph, through HTTP and the Graph SDK', () => {
  let emulator: RunningEmulator
  let token: string
  beforeAll(async () => {
    emulator = await startTestEmulator()
    token = await appGraphToken(emulator)
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    expect((await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' })).status).toBe(204)
  })

  const setFaults = (config: FaultConfig) => putFaults(emulator, config)
  const getUser = (id: string = seeded.inviter.id, bearer = token) =>
    graphFetch(emulator, bearer, 'GET', `/users/${id}`)
  const invite = (email: string) => graphFetch(emulator, token, 'POST', '/invitations', invitationBody(email))

  describe('429 rules', () => {
    it('throttles the next N requests of one route with Retry-After and Graph’s 429 body', async () => {
      await setFaults({ throttle: [{ route: 'POST /v1.0/invitations', next: 2, retryAfterSeconds: 2 }] })
      for (const attempt of [1, 2]) {
        const throttled = await invite(`attempt${attempt}@fabrikam.example`)
        expect(throttled.status).toBe(429)
        expect(throttled.headers.get('retry-after')).toBe('2')
        expect(throttled.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/)
        expect(await graphErrorOf(throttled)).toMatchObject({
          code: 'TooManyRequests',
          message: 'Please retry again later.',
          innerError: { code: '429', status: '429', 'request-id': throttled.headers.get('request-id') },
        })
      }
      expect((await getUser()).status).toBe(200)
      expect((await invite('attempt3@fabrikam.example')).status).toBe(201)
      expect(emulator.context.faults.injected.throttle).toBe(2)
    })

    it('throttles a seeded share of requests, the same ones on every run with that seed', async () => {
      const run = async () => {
        await setFaults({ seed: 42, throttle: [{ percent: 50 }] })
        const statuses: number[] = []
        for (let index = 0; index < 16; index += 1) statuses.push((await getUser()).status)
        return statuses
      }
      const first = await run()
      expect(await run()).toEqual(first)
      expect(new Set(first)).toEqual(new Set([200, 429]))
    })

    it('is honoured by the Graph SDK’s RetryHandler, which waits Retry-After and then succeeds', async () => {
      await setFaults({ throttle: [{ route: 'GET /v1.0/users/*', next: 2, retryAfterSeconds: 1 }] })
      const started = performance.now()
      const user = await graphSdkClient(emulator, token).api(`/users/${seeded.inviter.id}`).get()
      const elapsed = performance.now() - started
      expect(user.id).toBe(seeded.inviter.id)
      expect(emulator.context.faults.injected.throttle).toBe(2)
      // Two waits of Retry-After (1 s); without the header the SDK would wait 3 s or more each time.
      expect(elapsed).toBeGreaterThanOrEqual(2000)
      expect(elapsed).toBeLessThan(4000)
    })

    it('lets the Graph SDK retry POST /invitations after a 429, so one call can reach Graph twice', async () => {
      await setFaults({ throttle: [{ route: 'POST /v1.0/invitations', next: 1, retryAfterSeconds: 1 }] })
      const invitation = await graphSdkClient(emulator, token)
        .api('/invitations')
        .post(invitationBody('retried@fabrikam.example'))
      expect(invitation.status).toBe('PendingAcceptance')
      expect(emulator.context.faults.injected.throttle).toBe(1)
    })
  })

  describe('503 and 504', () => {
    it('answers 503 or 504 with Retry-After in Graph’s error shape', async () => {
      await setFaults({
        unavailable: [{ route: 'GET /v1.0/users/*', next: 1, status: 504, retryAfterSeconds: 3 }],
      })
      const timedOut = await getUser()
      expect(timedOut.status).toBe(504)
      expect(timedOut.headers.get('retry-after')).toBe('3')
      expect((await graphErrorOf(timedOut)).code).toBe('serviceNotAvailable')
      await setFaults({ unavailable: [{ next: 1 }] })
      const unavailable = await getUser()
      expect(unavailable.status).toBe(503)
      expect(unavailable.headers.get('retry-after')).toBe('1')
      expect((await getUser()).status).toBe(200)
    })

    it('is retried by the Graph SDK', async () => {
      await setFaults({ unavailable: [{ route: 'GET /v1.0/users/*', next: 1, retryAfterSeconds: 1 }] })
      const user = await graphSdkClient(emulator, token).api(`/users/${seeded.admin.id}`).get()
      expect(user.userPrincipalName).toBe(seeded.admin.upn)
      expect(emulator.context.faults.injected.unavailable).toBe(1)
    })
  })

  describe('connection resets', () => {
    it('drops the connection without an answer; fetch sees a socket error', async () => {
      await setFaults({ connectionReset: [{ route: 'GET /v1.0/users/*', next: 1 }] })
      const error = await getUser().then(
        () => undefined,
        (failure: Error) => failure,
      )
      expect(error).toBeInstanceOf(TypeError)
      expect(String((error?.cause as { code?: string })?.code)).toMatch(/ECONNRESET|UND_ERR_SOCKET/)
      expect((await getUser()).status).toBe(200)
    })

    it('reaches the Graph SDK caller as an error', async () => {
      await setFaults({ connectionReset: [{ route: 'GET /v1.0/users/*', next: 1 }] })
      await expect(graphSdkClient(emulator, token).api(`/users/${seeded.inviter.id}`).get()).rejects.toThrow()
      expect(emulator.context.faults.injected.connectionReset).toBe(1)
    })
  })

  describe('throttle budget per app+tenant', () => {
    it('refuses requests past the budget with Identity and access’s throttle headers', async () => {
      await setFaults({ throttleBudget: { requestsPerSecond: 2, windowSeconds: 1 } })
      const first = await getUser()
      expect(first.status).toBe(200)
      expect(first.headers.get('x-ms-resource-unit')).toBe('1')
      expect(first.headers.get('x-ms-throttle-limit-percentage')).toBeNull()
      const second = await getUser()
      expect(second.status).toBe(200)
      expect(second.headers.get('x-ms-throttle-limit-percentage')).toBe('1.0')
      const refused = await getUser()
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe('1')
      expect(refused.headers.get('x-ms-throttle-scope')).toBe(
        `Tenant_Application/ReadWrite/${seeded.bffClientId}/${seeded.contosoTenantId}`,
      )
      expect(refused.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded')
      expect((await graphErrorOf(refused)).code).toBe('TooManyRequests')
    })

    it('gives each app and each tenant its own budget', async () => {
      await setFaults({ throttleBudget: { requestsPerSecond: 1, windowSeconds: 1 } })
      const otherApp = await appGraphToken(emulator, { clientId: seeded.unconsentedBffClientId })
      const otherTenant = await appGraphToken(emulator, { tenantId: seeded.tailspinTenantId })
      expect((await getUser()).status).toBe(200)
      expect((await getUser()).status).toBe(429)
      expect((await getUser(seeded.inviter.id, otherApp)).status).toBe(200)
      expect((await graphFetch(emulator, otherTenant, 'GET', '/users?$top=1')).status).toBe(200)
    })

    it('counts every request inside $batch and not the envelope: 20 items against 5/s give 5 answers and 15 429s', async () => {
      await setFaults({ throttleBudget: { requestsPerSecond: 5, windowSeconds: 1 } })
      const requests = userReadItems(20)
      const started = performance.now()
      const response = await graphFetch(emulator, token, 'POST', '/$batch', { requests })
      const elapsedSeconds = (performance.now() - started) / 1000
      expect(response.status).toBe(200)
      const responses = await batchItemsOf(response)
      // The bucket holds one second (5 requests) and refills 5 per second: on a busy machine the batch itself may
      // take long enough for a request or two to be refilled while its items run.
      const allowed = responses.filter((item) => item.status === 200).length
      expect(allowed).toBeGreaterThanOrEqual(5)
      expect(allowed).toBeLessThanOrEqual(5 + Math.floor(elapsedSeconds * 5))
      const throttled = responses.filter((item) => item.status === 429)
      expect(throttled).toHaveLength(20 - allowed)
      for (const item of throttled) {
        expect(item.headers['Retry-After']).toBe('1')
        expect(item.headers['x-ms-throttle-scope']).toContain(seeded.bffClientId)
      }
      // The budget is spent: the next plain request is refused too.
      expect((await getUser()).status).toBe(429)
    })
    it('reports usage past 80% of the budget on $batch items with x-ms-throttle-limit-percentage', async () => {
      await setFaults({ throttleBudget: { requestsPerSecond: 10, windowSeconds: 1 } })
      const requests = userReadItems(20)
      const responses = await batchItemsOf(await graphFetch(emulator, token, 'POST', '/$batch', { requests }))
      const usage = (item: BatchItemAnswer) => item.headers['x-ms-throttle-limit-percentage']
      const allowed = responses.filter((item) => item.status === 200)
      const throttled = responses.filter((item) => item.status === 429)
      // The first requests of the second use 10%, 20%… of it: no header until more than 80% is used.
      expect(allowed.filter((item) => usage(item) === undefined).length).toBeGreaterThanOrEqual(1)
      expect(allowed.filter((item) => usage(item) !== undefined).length).toBeGreaterThanOrEqual(1)
      expect(throttled.length).toBeGreaterThanOrEqual(1)
      for (const item of [...allowed, ...throttled]) {
        const value = usage(item)
        if (value === undefined) continue
        expect(value).toMatch(/^[01]\.\d$/)
        expect(Number(value)).toBeGreaterThanOrEqual(0.8)
        expect(Number(value)).toBeLessThanOrEqual(1.8)
      }
      for (const item of throttled) expect(Number(usage(item))).toBeGreaterThanOrEqual(1)
    })
  })

  it('throttles items inside $batch by route, with a per-item Retry-After', async () => {
    await setFaults({ throttle: [{ route: 'POST /v1.0/invitations', next: 1, retryAfterSeconds: 2 }] })
    const item = (id: string) => ({
      id,
      method: 'POST',
      url: '/invitations',
      headers: { 'content-type': 'application/json' },
      body: invitationBody(`${id}@fabrikam.example`),
    })
    const response = await graphFetch(emulator, token, 'POST', '/$batch', {
      requests: [
        item('first'),
        item('second'),
        { id: 'read', method: 'GET', url: `/users/${seeded.admin.id}` },
      ],
    })
    expect(response.status).toBe(200)
    const responses = await batchItemsOf(response)
    const throttled = responses.filter((entry) => entry.status === 429)
    expect(throttled).toHaveLength(1)
    expect(throttled[0]?.headers['Retry-After']).toBe('2')
    expect(itemError(throttled[0])?.code).toBe('TooManyRequests')
    expect(responses.map((entry) => entry.status).sort()).toEqual([200, 201, 429])
  })

  it('resets the $batch envelope’s connection, never an item', async () => {
    await setFaults({ connectionReset: [{ next: 1 }] })
    const requests = [{ id: '1', method: 'GET', url: `/users/${seeded.inviter.id}` }]
    await expect(graphFetch(emulator, token, 'POST', '/$batch', { requests })).rejects.toThrow(TypeError)
    await setFaults({ connectionReset: [{ route: 'GET /v1.0/users/*', percent: 100 }] })
    const response = await graphFetch(emulator, token, 'POST', '/$batch', { requests })
    expect((await batchItemsOf(response))[0]?.status).toBe(200)
  })

  it('hides a new user from reads and $ref for replicationDelayMs, then shows it', async () => {
    const delayMs = 600
    await setFaults({ replicationDelayMs: delayMs })
    const created = await invite('replica@fabrikam.example')
    const createdAt = performance.now()
    expect(created.status).toBe(201)
    const userId = ((await created.json()) as { invitedUser: { id: string } }).invitedUser.id
    const addToGroup = () =>
      graphFetch(emulator, token, 'POST', `/groups/${seeded.portalGroupId}/members/$ref`, {
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}`,
      })
    const notFound = {
      code: 'Request_ResourceNotFound',
      message: `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`,
    }
    const hidden = await getUser(userId)
    expect(hidden.status).toBe(404)
    expect(await graphErrorOf(hidden)).toMatchObject(notFound)
    const refused = await addToGroup()
    expect(refused.status).toBe(404)
    expect(await graphErrorOf(refused)).toMatchObject(notFound)

    await new Promise((resolve) => setTimeout(resolve, delayMs - (performance.now() - createdAt) + 20))
    expect((await getUser(userId)).status).toBe(200)
    expect((await addToGroup()).status).toBe(204)
    expect(emulator.context.faults.injected.replicationDelay).toBe(2)
  })

  it('refuses invitations while guest invites are disabled for the tenant', async () => {
    await setFaults({ guestInvitesDisabled: [seeded.contosoTenantId] })
    const refused = await invite('ada@fabrikam.example')
    expect(refused.status).toBe(403)
    expect((await graphErrorOf(refused)).message).toBe(
      'Guest invitations not allowed for your company. Contact your company administrator for more details.',
    )
  })

  it('refuses invitations to a domain blocked by cross-tenant access settings', async () => {
    await setFaults({ crossTenantBlockedDomains: ['fabrikam.example'] })
    const refused = await invite('ada@fabrikam.example')
    expect(refused.status).toBe(403)
    expect((await graphErrorOf(refused)).message).toMatch(
      /^This invitation is blocked by cross-tenant access settings/,
    )
    expect((await invite('ada@northwind-partners.example')).status).toBe(201)
  })

  it('applies faults given at start', async () => {
    const started = await startTestEmulator({
      faults: { throttle: [{ route: 'GET /v1.0/users/*', next: 1 }] },
    })
    try {
      const bearer = await appGraphToken(started)
      expect((await graphFetch(started, bearer, 'GET', `/users/${seeded.inviter.id}`)).status).toBe(429)
      expect((await graphFetch(started, bearer, 'GET', `/users/${seeded.inviter.id}`)).status).toBe(200)
    } finally {
      await started.close()
    }
  })
})
