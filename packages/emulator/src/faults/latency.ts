/**
 * Simulated latency: how long the emulator takes to answer, so benchmarks can run against Graph-like response times
 * instead of the emulator's own few milliseconds. Off unless rules are given (`faults.latency`).
 */
import { GRAPH_ROUTES, routeMatches } from './route-match.js'
import { mulberry32 } from './seeded-random.js'

/** Which methods a latency rule selects: reads are `GET` and `HEAD`, writes `POST`, `PUT`, `PATCH` and `DELETE`. */
export type RequestKind = 'reads' | 'writes'

/**
 * How long matching requests take: `ms`, plus or minus up to `jitterMs` (uniformly), never below 0.
 *
 * @example
 * { route: 'POST /v1.0/invitations', ms: 300 } // every invitation answers after 300 ms
 * { requests: 'writes', ms: 150, jitterMs: 50 } // every other Graph write after 100–200 ms
 */
export interface LatencyRule {
  /**
   * Which requests, as fault rules select them (`"POST /v1.0/invitations"`, `"/v1.0/users/*"`); by default every
   * Microsoft Graph request (`* /v1.0/*`). Items of a `$batch` match by their own method and path; the envelope
   * itself never waits.
   */
  route?: string
  /** Only reads or only writes among the requests `route` selects. */
  requests?: RequestKind
  /** The fixed part of the delay, in milliseconds. */
  ms: number
  /** Up to this many milliseconds more or less, drawn from a generator seeded by `faults.seed`. @default 0 */
  jitterMs?: number
}

const RULE_FIELDS = ['route', 'requests', 'ms', 'jitterMs']
const READ_METHODS = new Set(['GET', 'HEAD'])
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Picks each request's delay from the first rule that matches it.
 *
 * @example
 * const latency = new LatencyModel([{ route: 'GET /v1.0/users/*', ms: 100 }, { requests: 'writes', ms: 150, jitterMs: 50 }], 7)
 * latency.delayMs('GET', '/v1.0/users/abc') // 100
 * latency.delayMs('POST', '/v1.0/invitations') // between 100 and 200, the same figures for seed 7 on every run
 * latency.delayMs('GET', '/v1.0/groups/abc') // 0
 */
export class LatencyModel {
  private readonly random: () => number

  constructor(
    private readonly rules: readonly LatencyRule[],
    seed = 1,
  ) {
    this.random = mulberry32(seed)
  }

  /** Milliseconds the request takes to answer; 0 when no rule matches. */
  delayMs(method: string, path: string): number {
    const rule = this.rules.find((candidate) => latencyRuleMatches(candidate, method, path))
    if (!rule) return 0
    const jitter = rule.jitterMs ?? 0
    // Only jittered rules draw, so a fixed rule leaves the others' sequence as it was.
    return jitter > 0 ? Math.max(0, rule.ms + (this.random() * 2 - 1) * jitter) : rule.ms
  }
}

function latencyRuleMatches(rule: LatencyRule, method: string, path: string): boolean {
  if (!routeMatches(rule.route ?? GRAPH_ROUTES, method, path)) return false
  const verb = method.toUpperCase()
  if (rule.requests === 'reads') return READ_METHODS.has(verb)
  if (rule.requests === 'writes') return WRITE_METHODS.has(verb)
  return true
}

/**
 * Throws a `TypeError` naming the bad field of `faults.latency`.
 *
 * @example
 * validateLatencyRules([{ ms: -5 }]) // TypeError: faults.latency[0].ms: expected a number of milliseconds, 0 or more
 */
export function validateLatencyRules(rules: unknown): asserts rules is LatencyRule[] {
  if (!Array.isArray(rules)) {
    throw new TypeError('faults.latency: expected an array of rules such as [{"requests":"writes","ms":150}]')
  }
  rules.forEach((rule: unknown, index) => {
    const at = `faults.latency[${index}]`
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule))
      throw new TypeError(`${at}: expected an object`)
    const unknown = Object.keys(rule).find((field) => !RULE_FIELDS.includes(field))
    if (unknown !== undefined) {
      throw new TypeError(`${at}.${unknown}: unknown field; a latency rule has ${RULE_FIELDS.join(', ')}`)
    }
    const { route, requests, ms, jitterMs } = rule as Record<string, unknown>
    if (route !== undefined && typeof route !== 'string')
      throw new TypeError(`${at}.route: expected a string`)
    if (requests !== undefined && requests !== 'reads' && requests !== 'writes') {
      throw new TypeError(`${at}.requests: expected "reads" or "writes"`)
    }
    if (!isMilliseconds(ms)) throw new TypeError(`${at}.ms: expected a number of milliseconds, 0 or more`)
    if (jitterMs !== undefined && !isMilliseconds(jitterMs)) {
      throw new TypeError(`${at}.jitterMs: expected a number of milliseconds, 0 or more`)
    }
  })
}

function isMilliseconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
