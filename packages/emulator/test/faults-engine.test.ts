import { describe, expect, it } from 'vitest'
import { type FaultConfig, FaultEngine, validateFaultConfig } from '../src/faults/engine.js'
import { throttleLimitPercentage } from '../src/faults/fault-injection.js'
import { routeMatches } from '../src/faults/route-match.js'

/** A clock the test moves by hand. */
function manualClock(startMs = 1_000_000) {
  let now = startMs
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe('routeMatches', () => {
  it.each([
    ['POST /v1.0/invitations', 'POST', '/v1.0/invitations', true],
    ['POST /v1.0/invitations', 'GET', '/v1.0/invitations', false],
    ['post /V1.0/Invitations', 'POST', '/v1.0/invitations', true],
    ['/v1.0/users/*', 'PATCH', '/v1.0/users/abc', true],
    ['/v1.0/users/*', 'GET', '/v1.0/users', false],
    ['* /v1.0/*', 'DELETE', '/v1.0/groups/g/members/u/$ref', true],
    ['POST /*/oauth2/v2.0/token', 'POST', '/c0de0000-0000-4000-8000-000000000001/oauth2/v2.0/token', true],
    ['GET /v1.0/users?x', 'GET', '/v1.0/usersax', false],
  ])('%s against %s %s → %s', (pattern, method, path, expected) => {
    expect(routeMatches(pattern, method, path)).toBe(expected)
  })
})

describe('FaultEngine rules', () => {
  it('fails the next N matching requests of a route, then stops, and counts them', () => {
    const faults = new FaultEngine({ throttle: [{ route: 'POST /v1.0/invitations', next: 2 }] })
    expect(faults.pick('throttle', 'GET', '/v1.0/users/abc')).toBeUndefined()
    expect(faults.pick('throttle', 'POST', '/v1.0/invitations')).toBeDefined()
    expect(faults.pick('throttle', 'POST', '/v1.0/invitations')).toBeDefined()
    expect(faults.pick('throttle', 'POST', '/v1.0/invitations')).toBeUndefined()
    expect(faults.injected.throttle).toBe(2)
  })

  it('matches every Graph request by default, and nothing outside Graph', () => {
    const faults = new FaultEngine({ unavailable: [{ status: 504 }] })
    expect(faults.pick('unavailable', 'GET', '/v1.0/users/abc')?.status).toBe(504)
    expect(faults.pick('unavailable', 'POST', '/tenant/oauth2/v2.0/token')).toBeUndefined()
  })

  it('fails about the configured share of requests, the same calls for the same seed', () => {
    const sequence = (seed: number) => {
      const faults = new FaultEngine({ seed, connectionReset: [{ percent: 30 }] })
      return Array.from(
        { length: 200 },
        () => faults.pick('connectionReset', 'GET', '/v1.0/users') !== undefined,
      )
    }
    const first = sequence(7)
    expect(sequence(7)).toEqual(first)
    expect(sequence(8)).not.toEqual(first)
    const share = first.filter(Boolean).length / first.length
    expect(share).toBeGreaterThan(0.2)
    expect(share).toBeLessThan(0.4)
  })

  it('restarts next counters and the random sequence when the configuration is replaced', () => {
    const config: FaultConfig = { throttle: [{ next: 1 }, { percent: 50 }] }
    const faults = new FaultEngine(config)
    const run = () =>
      Array.from({ length: 20 }, () => faults.pick('throttle', 'GET', '/v1.0/users') !== undefined)
    const first = run()
    faults.set(config)
    expect(run()).toEqual(first)
  })

  it('clears faults and counters on reset', () => {
    const faults = new FaultEngine({ throttle: [{ percent: 100 }], guestInvitesDisabled: true })
    faults.pick('throttle', 'GET', '/v1.0/users')
    faults.reset()
    expect(faults.get()).toEqual({})
    expect(faults.injected.throttle).toBe(0)
    expect(faults.pick('throttle', 'GET', '/v1.0/users')).toBeUndefined()
    expect(faults.guestInvitesDisabled('any')).toBe(false)
  })
})

describe('FaultEngine throttle budget', () => {
  it('allows requestsPerSecond per app+tenant, then refuses with the seconds to wait', () => {
    const clock = manualClock()
    const faults = new FaultEngine({ throttleBudget: { requestsPerSecond: 5, windowSeconds: 1 } }, clock.now)
    const decisions = Array.from({ length: 7 }, () => faults.spendBudget('tenant-a', 'app-1'))
    expect(decisions.map((decision) => decision.allowed)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ])
    expect(decisions[5]).toMatchObject({ allowed: false, retryAfterSeconds: 1 })
    expect(faults.injected.throttleBudget).toBe(2)
  })

  it('keeps a separate budget for each app and each tenant', () => {
    const faults = new FaultEngine(
      { throttleBudget: { requestsPerSecond: 1, windowSeconds: 1 } },
      manualClock().now,
    )
    expect(faults.spendBudget('tenant-a', 'app-1').allowed).toBe(true)
    expect(faults.spendBudget('tenant-a', 'app-1').allowed).toBe(false)
    expect(faults.spendBudget('tenant-a', 'app-2').allowed).toBe(true)
    expect(faults.spendBudget('tenant-b', 'app-1').allowed).toBe(true)
    expect(faults.spendBudget('TENANT-A', 'APP-1').allowed).toBe(false)
  })

  it('refills at the configured rate', () => {
    const clock = manualClock()
    const faults = new FaultEngine({ throttleBudget: { requestsPerSecond: 2, windowSeconds: 1 } }, clock.now)
    faults.spendBudget('t', 'a')
    faults.spendBudget('t', 'a')
    expect(faults.spendBudget('t', 'a').allowed).toBe(false)
    clock.advance(499)
    expect(faults.spendBudget('t', 'a').allowed).toBe(false)
    clock.advance(501)
    expect(faults.spendBudget('t', 'a').allowed).toBe(true)
  })

  it('reports how much of the limit is used', () => {
    const faults = new FaultEngine(
      { throttleBudget: { requestsPerSecond: 10, windowSeconds: 1 } },
      manualClock().now,
    )
    const used = Array.from({ length: 11 }, () => faults.spendBudget('t', 'a').usedFraction)
    expect(used[0]).toBeCloseTo(0.1)
    expect(used[9]).toBeCloseTo(1)
    expect(used[10]).toBeCloseTo(1.1)
  })

  it('reports a steady pace as its share of the limit: what was spent in the window, not a burst', () => {
    const clock = manualClock()
    const faults = new FaultEngine(
      { throttleBudget: { requestsPerSecond: 100, windowSeconds: 1 } },
      clock.now,
    )
    // 90 requests a second, one every 11.1 ms, for three seconds: each reads about 0.9 once the window is full.
    const used: number[] = []
    for (let index = 0; index < 270; index += 1) {
      clock.advance(1000 / 90)
      const decision = faults.spendBudget('t', 'a')
      expect(decision.allowed).toBe(true)
      used.push(decision.usedFraction)
    }
    for (const fraction of used.slice(100)) expect(fraction).toBeCloseTo(0.9, 1)
  })

  it("counts over Graph's 10 s by default: a burst of the whole window goes, then the app waits for the oldest to leave", () => {
    const clock = manualClock()
    const faults = new FaultEngine({ throttleBudget: { requestsPerSecond: 2 } }, clock.now)
    const burst = Array.from({ length: 20 }, () => faults.spendBudget('t', 'a'))
    expect(burst.every((decision) => decision.allowed)).toBe(true)
    clock.advance(3000)
    expect(faults.spendBudget('t', 'a')).toMatchObject({ allowed: false, retryAfterSeconds: 7 })
    clock.advance(7000)
    expect(faults.spendBudget('t', 'a')).toMatchObject({ allowed: true, usedFraction: 1 / 20 })
  })

  it.each([
    [0.5, undefined],
    [0.8, undefined],
    [0.81, '0.8'],
    [0.9, '0.9'],
    [1, '1.0'],
    [1.8, '1.8'],
    [3.5, '1.8'],
  ])(
    'reports %d of the limit used as x-ms-throttle-limit-percentage %s (only past 0.8, at most 1.8)',
    (used, header) => {
      expect(throttleLimitPercentage(used)).toBe(header)
    },
  )

  it('allows everything without a budget', () => {
    const faults = new FaultEngine({})
    expect(Array.from({ length: 100 }, () => faults.spendBudget('t', 'a').allowed).every(Boolean)).toBe(true)
  })
})

describe('FaultEngine directory faults', () => {
  it('hides objects created less than replicationDelayMs ago, and counts each refusal', () => {
    const clock = manualClock()
    const faults = new FaultEngine({ replicationDelayMs: 1500 }, clock.now)
    const createdAt = clock.now()
    expect(faults.isReplicating(createdAt)).toBe(true)
    clock.advance(1499)
    expect(faults.isReplicating(createdAt)).toBe(true)
    clock.advance(1)
    expect(faults.isReplicating(createdAt)).toBe(false)
    expect(faults.injected.replicationDelay).toBe(2)
    // Seeded objects (createdAtMs 0) were always there.
    expect(faults.isReplicating(0)).toBe(false)
  })

  it('names claims-challenge users by object id or UPN, case-insensitively', () => {
    const faults = new FaultEngine({
      claimsChallengeUsers: ['Nestor@Contoso.example', '00000000-0000-4000-8000-0000000A0001'],
    })
    expect(
      faults.needsClaimsChallenge('00000000-0000-4000-8000-0000000a0004', 'nestor@contoso.example'),
    ).toBe(true)
    expect(faults.needsClaimsChallenge('00000000-0000-4000-8000-0000000a0001', 'megan@contoso.example')).toBe(
      true,
    )
    expect(faults.needsClaimsChallenge('00000000-0000-4000-8000-0000000a0003', 'lee@contoso.example')).toBe(
      false,
    )
    expect(faults.injected.claimsChallenge).toBe(2)
  })

  it('switches guest invitations off for all tenants or for listed ones', () => {
    expect(new FaultEngine({ guestInvitesDisabled: true }).guestInvitesDisabled('any')).toBe(true)
    const listed = new FaultEngine({ guestInvitesDisabled: ['C0DE0000-0000-4000-8000-000000000001'] })
    expect(listed.guestInvitesDisabled('c0de0000-0000-4000-8000-000000000001')).toBe(true)
    expect(listed.guestInvitesDisabled('7a115b00-0000-4000-8000-000000000002')).toBe(false)
  })

  it('blocks invitation domains by cross-tenant access, case-insensitively', () => {
    const faults = new FaultEngine({ crossTenantBlockedDomains: ['Fabrikam.example'] })
    expect(faults.crossTenantBlocked('Ada@FABRIKAM.example')).toBe(true)
    expect(faults.crossTenantBlocked('ada@fabrikam.example.evil')).toBe(false)
  })
})

describe('validateFaultConfig', () => {
  it.each([
    [null, 'faults: expected an object such as {"throttle":[{"percent":20}]}'],
    [
      { throttel: [] },
      'faults.throttel: unknown fault; known faults are seed, throttle, unavailable, connectionReset',
    ],
    [{ throttle: {} }, 'faults.throttle: expected an array of rules'],
    [{ throttle: [{ percent: 140 }] }, 'faults.throttle[0].percent: expected a number from 0 to 100'],
    [{ unavailable: [{ next: 1.5 }] }, 'faults.unavailable[0].next: expected a whole number of requests'],
    [{ unavailable: [{ status: 500 }] }, 'faults.unavailable[0].status: expected 503 or 504'],
    [
      { throttle: [{ retryAfterSeconds: -1 }] },
      'faults.throttle[0].retryAfterSeconds: expected a whole number of seconds',
    ],
    [{ connectionReset: [{ route: 3 }] }, 'faults.connectionReset[0].route: expected a string'],
    [
      { throttleBudget: { requestsPerSecond: 0 } },
      'faults.throttleBudget.requestsPerSecond: expected a positive number',
    ],
    [
      { throttleBudget: { requestsPerSecond: 5, windowSeconds: 0 } },
      'faults.throttleBudget.windowSeconds: expected a positive number of seconds',
    ],
    [{ replicationDelayMs: '2s' }, 'faults.replicationDelayMs: expected a number of milliseconds, 0 or more'],
    [{ seed: 'abc' }, 'faults.seed: expected a whole number'],
    [
      { guestInvitesDisabled: 'yes' },
      'faults.guestInvitesDisabled: expected true, false or an array of tenant ids',
    ],
    [{ claimsChallengeUsers: 'nestor' }, 'faults.claimsChallengeUsers: expected an array of strings'],
    [{ crossTenantBlockedDomains: [1] }, 'faults.crossTenantBlockedDomains: expected an array of strings'],
  ])('refuses %j with a message naming the option', (config, message) => {
    expect(() => validateFaultConfig(config)).toThrow(message)
  })

  it('accepts every kind of fault together', () => {
    const config: FaultConfig = {
      seed: 3,
      throttle: [{ route: 'POST /v1.0/invitations', next: 2, retryAfterSeconds: 1 }],
      unavailable: [{ percent: 10, status: 504, retryAfterSeconds: 2 }],
      connectionReset: [{ route: '/v1.0/users/*', percent: 5 }],
      throttleBudget: { requestsPerSecond: 20 },
      replicationDelayMs: 2000,
      claimsChallengeUsers: ['nestor@contoso.example'],
      guestInvitesDisabled: ['c0de0000-0000-4000-8000-000000000001'],
      crossTenantBlockedDomains: ['blocked.example'],
    }
    expect(() => validateFaultConfig(config)).not.toThrow()
    expect(new FaultEngine(config).get()).toEqual(config)
  })
})
