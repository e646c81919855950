import { describe, expect, it } from 'vitest'
import type { FaultConfig } from '../src/faults/engine.js'
import {
  appGraphToken,
  batchItemsOf,
  graphFetch,
  invitationBody,
  putFaults,
  useGraphEmulator,
  userReadItems,
} from './graph-calls.js'
import { seeded, startTestEmulator } from './support.js'

// Timings are measured by the client around whole HTTPS calls on a shared, sometimes slow machine: lower bounds are
// the configured latency (less a millisecond of timer rounding), upper bounds far from it, and "does not wait" is
// the fastest of a few calls.
const TIMER_SLACK_MS = 2

async function timed(call: () => Promise<Response>): Promise<{ response: Response; ms: number }> {
  const started = performance.now()
  const response = await call()
  await response.arrayBuffer()
  return { response, ms: performance.now() - started }
}

async function fastest(call: () => Promise<Response>, times = 3): Promise<number> {
  const durations: number[] = []
  for (let index = 0; index < times; index += 1) durations.push((await timed(call)).ms)
  return Math.min(...durations)
}

describe('simulated latency on Microsoft Graph', () => {
  const graph = useGraphEmulator()
  const setFaults = (config: FaultConfig) => putFaults(graph.emulator, config)
  const call = (method: string, path: string, body?: unknown) =>
    graphFetch(graph.emulator, graph.token, method, path, body)
  const getUser = () => call('GET', `/users/${seeded.inviter.id}`)
  const getGroup = () => call('GET', `/groups/${seeded.apolloGroupId}`)
  const batch = (requests: unknown[]) => call('POST', '/$batch', { requests })

  it('answers a route configured to 150 ± 0 ms after at least 150 ms; other routes do not wait', async () => {
    await setFaults({ latency: [{ route: 'GET /v1.0/users/*', ms: 150, jitterMs: 0 }] })
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { response, ms } = await timed(getUser)
      expect(response.status).toBe(200)
      expect(ms).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS)
    }
    expect(await fastest(getGroup)).toBeLessThan(150)
  })

  it('gives writes and reads their own defaults, a named route first', async () => {
    await setFaults({
      latency: [
        { route: 'POST /v1.0/groups/*', ms: 0 },
        { requests: 'writes', ms: 300 },
      ],
    })
    const invited = await timed(() => call('POST', '/invitations', invitationBody('slow@fabrikam.example')))
    expect(invited.response.status).toBe(201)
    expect(invited.ms).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS)
    // An error answer is an answer: a refused write waits like a successful one.
    const refused = await timed(() => call('POST', '/invitations', {}))
    expect(refused.response.status).toBe(400)
    expect(refused.ms).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS)
    // The rule for group writes comes first and waits for nothing; reads match no rule.
    const addMember = () =>
      call('POST', `/groups/${seeded.apolloGroupId}/members/$ref`, {
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${seeded.inviter.id}`,
      })
    expect(await fastest(addMember)).toBeLessThan(300)
    expect(await fastest(getUser)).toBeLessThan(300)
  })

  it('holds a fault’s answer back too', async () => {
    await setFaults({
      throttle: [{ route: 'GET /v1.0/users/*', next: 1 }],
      latency: [{ route: 'GET /v1.0/users/*', ms: 300 }],
    })
    const throttled = await timed(getUser)
    expect(throttled.response.status).toBe(429)
    expect(throttled.ms).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS)
  })

  it('runs a $batch’s independent items side by side: 10 items of 300 ms take about 300 ms, not 3 s', async () => {
    await setFaults({ latency: [{ route: 'GET /v1.0/users/*', ms: 300 }] })
    const { response, ms } = await timed(() => batch(userReadItems(10)))
    expect(response.status).toBe(200)
    expect(ms).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS)
    expect(ms).toBeLessThan(1500)
    const items = await batchItemsOf(await batch(userReadItems(10)))
    expect(items.map((item) => item.status)).toEqual(Array(10).fill(200))
  })

  it('runs a $batch chained by dependsOn one item after another: 4 items of 200 ms take 800 ms or more', async () => {
    await setFaults({ latency: [{ route: 'GET /v1.0/users/*', ms: 200 }] })
    const { response, ms } = await timed(() => batch(userReadItems(4, true)))
    expect(response.status).toBe(200)
    expect(ms).toBeGreaterThanOrEqual(4 * 200 - TIMER_SLACK_MS)
  })

  it('gives the $batch envelope no latency of its own, though it is a POST', async () => {
    await setFaults({ latency: [{ requests: 'writes', ms: 400 }] })
    expect(await fastest(() => batch(userReadItems(3)))).toBeLessThan(400)
  })

  it('stops waiting once latency is switched off or the emulator is reset', async () => {
    const slow = { latency: [{ route: 'GET /v1.0/users/*', ms: 300 }] }
    await setFaults(slow)
    expect((await timed(getUser)).ms).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS)
    await setFaults({})
    expect(await fastest(getUser)).toBeLessThan(300)
    graph.emulator.context.faults.set(slow)
    expect((await timed(getUser)).ms).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS)
    expect((await fetch(`${graph.emulator.url}/_emulator/reset`, { method: 'POST' })).status).toBe(204)
    expect(await fastest(getUser)).toBeLessThan(300)
  })
})

describe('latency configured at start', () => {
  it('applies startEmulator({ faults: { latency } }) from the first request', async () => {
    const emulator = await startTestEmulator({
      faults: { seed: 5, latency: [{ requests: 'reads', ms: 250, jitterMs: 50 }] },
    })
    try {
      const token = await appGraphToken(emulator)
      const { response, ms } = await timed(() =>
        graphFetch(emulator, token, 'GET', `/users/${seeded.inviter.id}`),
      )
      expect(response.status).toBe(200)
      expect(ms).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS)
    } finally {
      await emulator.close()
    }
  })
})
