import { describe, expect, it } from 'vitest'
import { FaultEngine, validateFaultConfig } from '../src/faults/engine.js'
import { LatencyModel, type LatencyRule } from '../src/faults/latency.js'

const TOKEN_ENDPOINT = '/c0de0000-0000-4000-8000-000000000001/oauth2/v2.0/token'

function draws(model: LatencyModel, count: number, method = 'POST', path = '/v1.0/invitations'): number[] {
  return Array.from({ length: count }, () => model.delayMs(method, path))
}

describe('LatencyModel', () => {
  it('waits for nothing without rules', () => {
    expect(new LatencyModel([]).delayMs('POST', '/v1.0/invitations')).toBe(0)
  })

  it('takes the first rule that matches, by route and by reads or writes', () => {
    const model = new LatencyModel([
      { route: 'POST /v1.0/invitations', ms: 300 },
      { requests: 'writes', ms: 150 },
      { requests: 'reads', ms: 60 },
    ])
    expect(model.delayMs('POST', '/v1.0/invitations')).toBe(300)
    expect(model.delayMs('PATCH', '/v1.0/users/abc')).toBe(150)
    expect(model.delayMs('DELETE', '/v1.0/groups/g/members/u/$ref')).toBe(150)
    expect(model.delayMs('PUT', '/v1.0/users/abc/manager/$ref')).toBe(150)
    expect(model.delayMs('GET', '/v1.0/users/abc')).toBe(60)
    expect(model.delayMs('HEAD', '/v1.0/users/abc')).toBe(60)
  })

  it('selects Graph requests by default, and other endpoints only when a route names them', () => {
    expect(new LatencyModel([{ ms: 100 }]).delayMs('POST', TOKEN_ENDPOINT)).toBe(0)
    expect(new LatencyModel([{ requests: 'writes', ms: 100 }]).delayMs('POST', TOKEN_ENDPOINT)).toBe(0)
    expect(
      new LatencyModel([{ route: 'POST /*/oauth2/v2.0/token', ms: 100 }]).delayMs('POST', TOKEN_ENDPOINT),
    ).toBe(100)
  })

  it('spreads jittered delays over ms ± jitterMs', () => {
    const delays = draws(new LatencyModel([{ ms: 150, jitterMs: 50 }]), 500)
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(100)
    expect(Math.max(...delays)).toBeLessThanOrEqual(200)
    // Uniform: both ends of the range are reached, not only the middle.
    expect(Math.min(...delays)).toBeLessThan(110)
    expect(Math.max(...delays)).toBeGreaterThan(190)
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length
    expect(mean).toBeGreaterThan(140)
    expect(mean).toBeLessThan(160)
  })

  it('never waits less than nothing', () => {
    const delays = draws(new LatencyModel([{ ms: 10, jitterMs: 50 }]), 200)
    expect(Math.min(...delays)).toBe(0)
    expect(Math.max(...delays)).toBeGreaterThan(40)
  })

  it('draws the same delays for the same seed, and others for another seed', () => {
    const rules: LatencyRule[] = [{ ms: 150, jitterMs: 50 }]
    const first = draws(new LatencyModel(rules, 7), 20)
    expect(draws(new LatencyModel(rules, 7), 20)).toEqual(first)
    expect(draws(new LatencyModel(rules, 8), 20)).not.toEqual(first)
    expect(new Set(first).size).toBe(20)
  })

  it('draws only for jittered rules, so a fixed rule leaves the others’ sequence as it was', () => {
    const rules: LatencyRule[] = [
      { route: 'GET /v1.0/users/*', ms: 40 },
      { ms: 150, jitterMs: 50 },
    ]
    const plain = draws(new LatencyModel(rules, 3), 10)
    const interleaved = new LatencyModel(rules, 3)
    const mixed = Array.from({ length: 10 }, () => {
      expect(interleaved.delayMs('GET', '/v1.0/users/abc')).toBe(40)
      return interleaved.delayMs('POST', '/v1.0/invitations')
    })
    expect(mixed).toEqual(plain)
  })
})

describe('FaultEngine latency', () => {
  it('is off by default and follows faults.latency once set', () => {
    const faults = new FaultEngine()
    expect(faults.latencyMs('POST', '/v1.0/invitations')).toBe(0)
    faults.set({ latency: [{ route: 'POST /v1.0/invitations', ms: 150 }] })
    expect(faults.latencyMs('POST', '/v1.0/invitations')).toBe(150)
    expect(faults.latencyMs('GET', '/v1.0/users/abc')).toBe(0)
    expect(faults.get()).toEqual({ latency: [{ route: 'POST /v1.0/invitations', ms: 150 }] })
  })

  it('restarts the jitter sequence when the configuration is replaced, and drops latency on reset', () => {
    const config = { seed: 11, latency: [{ requests: 'writes' as const, ms: 150, jitterMs: 50 }] }
    const faults = new FaultEngine(config)
    const first = Array.from({ length: 5 }, () => faults.latencyMs('PATCH', '/v1.0/users/abc'))
    faults.set(config)
    expect(Array.from({ length: 5 }, () => faults.latencyMs('PATCH', '/v1.0/users/abc'))).toEqual(first)
    faults.reset()
    expect(faults.latencyMs('PATCH', '/v1.0/users/abc')).toBe(0)
  })

  it('keeps its own random sequence: adding latency does not change which calls fail', () => {
    const picks = (faults: FaultEngine, withLatency: boolean) =>
      Array.from({ length: 40 }, () => {
        if (withLatency) faults.latencyMs('GET', '/v1.0/users/abc')
        return faults.pick('throttle', 'GET', '/v1.0/users/abc') !== undefined
      })
    const without = picks(new FaultEngine({ seed: 42, throttle: [{ percent: 50 }] }), false)
    const jittered = new FaultEngine({
      seed: 42,
      throttle: [{ percent: 50 }],
      latency: [{ ms: 100, jitterMs: 50 }],
    })
    expect(picks(jittered, true)).toEqual(without)
  })

  it.each([
    [{ latency: { ms: 150 } }, 'faults.latency: expected an array of rules'],
    [{ latency: ['slow'] }, 'faults.latency[0]: expected an object'],
    [{ latency: [{}] }, 'faults.latency[0].ms: expected a number of milliseconds, 0 or more'],
    [{ latency: [{ ms: -1 }] }, 'faults.latency[0].ms: expected a number of milliseconds, 0 or more'],
    [{ latency: [{ ms: '150' }] }, 'faults.latency[0].ms: expected a number of milliseconds, 0 or more'],
    [
      { latency: [{ ms: 150, jitterMs: Number.POSITIVE_INFINITY }] },
      'faults.latency[0].jitterMs: expected a number of milliseconds, 0 or more',
    ],
    [{ latency: [{ ms: 1, requests: 'posts' }] }, 'faults.latency[0].requests: expected "reads" or "writes"'],
    [{ latency: [{ ms: 1, route: 7 }] }, 'faults.latency[0].route: expected a string'],
    [
      { latency: [{ ms: 150, jitter: 50 }] },
      'faults.latency[0].jitter: unknown field; a latency rule has route, requests, ms, jitterMs',
    ],
  ])('refuses %j with a message naming the field', (config, message) => {
    expect(() => validateFaultConfig(config)).toThrow(message)
    expect(() => new FaultEngine().set(config as never)).toThrow(message)
  })
})
