import { LatencyModel, type LatencyRule, validateLatencyRules } from './latency.js'
import { GRAPH_ROUTES, routeMatches } from './route-match.js'
import { mulberry32 } from './seeded-random.js'
import { type BudgetDecision, ThrottleWindow } from './throttle-window.js'

export type { BudgetDecision } from './throttle-window.js'

/**
 * Fault injection: which requests fail, and how (and how long they take). Rules are set at start
 * (`startEmulator({ faults })`) or at run time (`PUT /_emulator/faults`). Percentages and latency jitter use seeded
 * generators, so a run with the same seed fails the same calls and waits the same times.
 */

/** Selects requests: `route` is `"METHOD /path"` or `"/path"`, where `*` matches any run of characters. */
export interface FaultRule {
  /**
   * Which requests; by default every Microsoft Graph request (`* /v1.0/*`). Items of a `$batch` match by their own
   * method and path. The token endpoint is `POST /{tenant}/oauth2/v2.0/token`: a `*` for the tenant matches them all.
   */
  route?: string
  /** Fail this share of matching requests, 0–100. */
  percent?: number
  /** Fail the next N matching requests, then stop. */
  next?: number
}

/** A rule whose failures tell the client when to come back. */
export interface RetryAfterRule extends FaultRule {
  /** Seconds in the `Retry-After` header. @default 1 */
  retryAfterSeconds?: number
}

/** 429 `TooManyRequests`. */
export type ThrottleRule = RetryAfterRule

export interface UnavailableRule extends RetryAfterRule {
  /** @default 503 */
  status?: 503 | 504
}

export interface FaultConfig {
  /**
   * Seed for percentage rules and for latency jitter (each has its own sequence, so adding latency does not change
   * which calls fail). @default 1
   */
  seed?: number
  /** 429 with `Retry-After`. */
  throttle?: ThrottleRule[]
  /** 503 Service Unavailable or 504 Gateway Timeout, with `Retry-After`. */
  unavailable?: UnavailableRule[]
  /** The TCP connection is destroyed without an answer. */
  connectionReset?: FaultRule[]
  /**
   * Graph's own limit per app+tenant: at most `requestsPerSecond` × `windowSeconds` requests in any window of
   * `windowSeconds` (default 10: Identity and access counts per 10 s; a test may choose 1 so a small budget refills
   * fast). Each request inside `$batch` counts.
   */
  throttleBudget?: { requestsPerSecond: number; windowSeconds?: number }
  /** A newly created user is `404 Request_ResourceNotFound` to reads and `$ref` for this long. */
  replicationDelayMs?: number
  /**
   * A user joins (or leaves) a dynamic administrative unit only this long after it was created or changed to match
   * (or stop matching) the unit's rule, as Entra processes dynamic membership in the background. @default 0
   */
  dynamicMembershipDelayMs?: number
  /** Users (object id or UPN) whose On-Behalf-Of exchange answers with a Conditional Access claims challenge. */
  claimsChallengeUsers?: string[]
  /** Tenants (ids) where guest invitations are switched off, or `true` for all. */
  guestInvitesDisabled?: boolean | string[]
  /** Email domains blocked by cross-tenant access settings. */
  crossTenantBlockedDomains?: string[]
  /**
   * How long requests take to answer: the first rule that matches a request sets its delay. Off without rules.
   *
   * @example
   * [{ route: 'POST /v1.0/invitations', ms: 300 }, { requests: 'writes', ms: 150, jitterMs: 50 }, { requests: 'reads', ms: 60, jitterMs: 20 }]
   */
  latency?: LatencyRule[]
}

export type FaultKind =
  | 'throttle'
  | 'unavailable'
  | 'connectionReset'
  | 'throttleBudget'
  | 'replicationDelay'
  | 'claimsChallenge'

export type InjectedCounts = Record<FaultKind, number>

/** Identity and access counts its limits per 10 s (https://learn.microsoft.com/graph/throttling-limits). */
const GRAPH_WINDOW_SECONDS = 10
const RULE_KINDS = ['throttle', 'unavailable', 'connectionReset'] as const
const KNOWN_FAULTS = [
  'seed',
  ...RULE_KINDS,
  'throttleBudget',
  'replicationDelayMs',
  'dynamicMembershipDelayMs',
  'claimsChallengeUsers',
  'guestInvitesDisabled',
  'crossTenantBlockedDomains',
  'latency',
]

/**
 * Decides, request by request, which fault (if any) applies, and counts what it injected.
 *
 * @example
 * const faults = new FaultEngine({ throttle: [{ route: 'POST /v1.0/invitations', next: 2, retryAfterSeconds: 1 }] })
 * faults.pick('throttle', 'POST', '/v1.0/invitations') // the rule, twice; then undefined
 */
export class FaultEngine {
  private config: FaultConfig = {}
  private random: () => number = mulberry32(1)
  private latency = new LatencyModel([])
  private remaining = new Map<FaultRule, number>()
  private windows = new Map<string, ThrottleWindow>()
  readonly injected: InjectedCounts = emptyCounts()

  constructor(
    config: FaultConfig = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.set(config)
  }

  /** Replaces the whole configuration (and restarts `next` counters, budgets and the random sequence). */
  set(config: FaultConfig): void {
    validateFaultConfig(config)
    this.config = structuredClone(config)
    this.random = mulberry32(config.seed ?? 1)
    this.latency = new LatencyModel(this.config.latency ?? [], config.seed ?? 1)
    this.remaining.clear()
    this.windows.clear()
    for (const kind of RULE_KINDS) {
      for (const rule of this.config[kind] ?? []) {
        if (rule.next !== undefined) this.remaining.set(rule, rule.next)
      }
    }
  }

  /** A copy of the configuration in force. */
  get(): FaultConfig {
    return structuredClone(this.config)
  }

  /** Clears faults and counters. */
  reset(): void {
    this.set({})
    for (const key of Object.keys(this.injected) as FaultKind[]) this.injected[key] = 0
  }

  /** The first rule of a kind that fires for this request, counting it as injected. */
  pick<K extends (typeof RULE_KINDS)[number]>(
    kind: K,
    method: string,
    path: string,
  ): NonNullable<FaultConfig[K]>[number] | undefined {
    for (const rule of this.config[kind] ?? []) {
      if (!routeMatches(rule.route ?? GRAPH_ROUTES, method, path)) continue
      if (this.fires(rule)) {
        this.injected[kind] += 1
        return rule
      }
    }
    return undefined
  }

  /**
   * Spends one request from the app+tenant budget (a sliding window of `windowSeconds`), or refuses it with the
   * whole seconds until the window has room again. Without a budget, every request is allowed.
   */
  spendBudget(tenantId: string, appId: string): BudgetDecision {
    const budget = this.config.throttleBudget
    if (!budget) return { allowed: true, usedFraction: 0 }
    const key = `${tenantId.toLowerCase()}|${appId.toLowerCase()}`
    let window = this.windows.get(key)
    if (!window) {
      const seconds = budget.windowSeconds ?? GRAPH_WINDOW_SECONDS
      window = new ThrottleWindow(Math.max(1, Math.floor(budget.requestsPerSecond * seconds)), seconds * 1000)
      this.windows.set(key, window)
    }
    const decision = window.spend(this.clock())
    if (!decision.allowed) this.injected.throttleBudget += 1
    return decision
  }

  /** Milliseconds to hold back the answer to this request (`latency`); 0 when no rule matches. */
  latencyMs(method: string, path: string): number {
    return this.latency.delayMs(method, path)
  }

  /** Whether an object created at `createdAtMs` is still invisible because of replication delay. */
  isReplicating(createdAtMs: number): boolean {
    const delay = this.config.replicationDelayMs ?? 0
    if (delay <= 0 || createdAtMs <= 0 || this.clock() - createdAtMs >= delay) return false
    this.injected.replicationDelay += 1
    return true
  }

  /**
   * Whether a change made at `changedAtMs` (a user created, or its rule attributes changed) has been processed by
   * dynamic membership yet (`dynamicMembershipDelayMs`).
   */
  dynamicMembershipProcessed(changedAtMs: number): boolean {
    const delay = this.config.dynamicMembershipDelayMs ?? 0
    return delay <= 0 || this.clock() - changedAtMs >= delay
  }

  /** Whether the user (by id or UPN) is under a Conditional Access claims challenge. */
  needsClaimsChallenge(userId: string, userPrincipalName: string): boolean {
    const users = (this.config.claimsChallengeUsers ?? []).map((entry) => entry.toLowerCase())
    const hit = users.includes(userId.toLowerCase()) || users.includes(userPrincipalName.toLowerCase())
    if (hit) this.injected.claimsChallenge += 1
    return hit
  }

  /** Whether guest invitations are switched off for the tenant. */
  guestInvitesDisabled(tenantId: string): boolean {
    const setting = this.config.guestInvitesDisabled
    const id = tenantId.toLowerCase()
    return setting === true || (Array.isArray(setting) && setting.some((entry) => entry.toLowerCase() === id))
  }

  /** Whether cross-tenant access settings block invitations to this address's domain. */
  crossTenantBlocked(email: string): boolean {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase()
    return (this.config.crossTenantBlockedDomains ?? []).some((blocked) => blocked.toLowerCase() === domain)
  }

  private fires(rule: FaultRule): boolean {
    if (rule.next !== undefined) {
      const left = this.remaining.get(rule) ?? 0
      if (left <= 0) return false
      this.remaining.set(rule, left - 1)
      return true
    }
    return this.random() * 100 < (rule.percent ?? 100)
  }
}

/**
 * Throws a `TypeError` naming the bad option, so a mistyped fault never silently does nothing.
 *
 * @example
 * validateFaultConfig({ throttle: [{ percent: 140 }] }) // TypeError: faults.throttle[0].percent: expected a number from 0 to 100
 */
export function validateFaultConfig(config: unknown): asserts config is FaultConfig {
  if (!isPlainObject(config))
    throw new TypeError('faults: expected an object such as {"throttle":[{"percent":20}]}')
  for (const [key, value] of Object.entries(config)) {
    if (!KNOWN_FAULTS.includes(key)) {
      throw new TypeError(`faults.${key}: unknown fault; known faults are ${KNOWN_FAULTS.join(', ')}`)
    }
    if ((RULE_KINDS as readonly string[]).includes(key)) validateRules(key, value)
    if (key === 'latency') validateLatencyRules(value)
  }
  const { seed, throttleBudget, replicationDelayMs, dynamicMembershipDelayMs, guestInvitesDisabled } =
    config as Record<string, unknown>
  if (seed !== undefined && !Number.isInteger(seed))
    throw new TypeError('faults.seed: expected a whole number')
  if (
    throttleBudget !== undefined &&
    !(isPlainObject(throttleBudget) && isPositiveNumber(throttleBudget.requestsPerSecond))
  ) {
    throw new TypeError('faults.throttleBudget.requestsPerSecond: expected a positive number')
  }
  if (
    isPlainObject(throttleBudget) &&
    throttleBudget.windowSeconds !== undefined &&
    !isPositiveNumber(throttleBudget.windowSeconds)
  ) {
    throw new TypeError('faults.throttleBudget.windowSeconds: expected a positive number of seconds')
  }
  if (
    replicationDelayMs !== undefined &&
    !(typeof replicationDelayMs === 'number' && replicationDelayMs >= 0)
  ) {
    throw new TypeError('faults.replicationDelayMs: expected a number of milliseconds, 0 or more')
  }
  if (
    dynamicMembershipDelayMs !== undefined &&
    !(typeof dynamicMembershipDelayMs === 'number' && dynamicMembershipDelayMs >= 0)
  ) {
    throw new TypeError('faults.dynamicMembershipDelayMs: expected a number of milliseconds, 0 or more')
  }
  if (guestInvitesDisabled !== undefined && typeof guestInvitesDisabled !== 'boolean') {
    requireStrings('guestInvitesDisabled', guestInvitesDisabled, 'true, false or an array of tenant ids')
  }
  for (const key of ['claimsChallengeUsers', 'crossTenantBlockedDomains']) {
    const value = (config as Record<string, unknown>)[key]
    if (value !== undefined) requireStrings(key, value, 'an array of strings')
  }
}

function validateRules(kind: string, rules: unknown): void {
  if (!Array.isArray(rules)) throw new TypeError(`faults.${kind}: expected an array of rules`)
  rules.forEach((rule: unknown, index) => {
    const at = `faults.${kind}[${index}]`
    if (!isPlainObject(rule)) throw new TypeError(`${at}: expected an object`)
    if (
      rule.percent !== undefined &&
      !(typeof rule.percent === 'number' && rule.percent >= 0 && rule.percent <= 100)
    ) {
      throw new TypeError(`${at}.percent: expected a number from 0 to 100`)
    }
    if (rule.next !== undefined && !(Number.isInteger(rule.next) && (rule.next as number) >= 0)) {
      throw new TypeError(`${at}.next: expected a whole number of requests`)
    }
    if (rule.route !== undefined && typeof rule.route !== 'string')
      throw new TypeError(`${at}.route: expected a string`)
    if (kind !== 'connectionReset' && rule.retryAfterSeconds !== undefined) {
      if (!(Number.isInteger(rule.retryAfterSeconds) && (rule.retryAfterSeconds as number) >= 0)) {
        throw new TypeError(`${at}.retryAfterSeconds: expected a whole number of seconds`)
      }
    }
    if (kind === 'unavailable' && rule.status !== undefined && rule.status !== 503 && rule.status !== 504) {
      throw new TypeError(`${at}.status: expected 503 or 504`)
    }
  })
}

function requireStrings(key: string, value: unknown, expected: string): void {
  if (!(Array.isArray(value) && value.every((entry) => typeof entry === 'string'))) {
    throw new TypeError(`faults.${key}: expected ${expected}`)
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPositiveNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}

function emptyCounts(): InjectedCounts {
  return {
    throttle: 0,
    unavailable: 0,
    connectionReset: 0,
    throttleBudget: 0,
    replicationDelay: 0,
    claimsChallenge: 0,
  }
}
