import { parseRetryAfter } from '@entra-share/contracts'
import type { GraphBatchResponse } from '../graph/graph-api.js'
import { isProblemError } from '../platform/problem-error.js'

/** Seconds to wait when Graph throttled without saying for how long (it normally says). */
const DEFAULT_RETRY_AFTER_SECONDS = 10

/** What Graph said about the app+tenant throttle budget in one answer. */
export interface ThrottleSignal {
  /**
   * The highest `x-ms-throttle-limit-percentage` among the items: the share of the limit used, which Graph reports
   * only past 0.8 (up to 1.8). Absent: below 0.8.
   */
  usage?: number
  /** `usage` as Graph wrote it: its decimals say how precise it is. */
  usageText?: string
  /** The longest `Retry-After` of a throttled (`429`) item, seconds. Absent: nothing was throttled. */
  retryAfterSeconds?: number
}

/**
 * Reads the throttle headers of a `$batch` answer's items (header names compared case-insensitively, as Graph
 * spells them either way).
 *
 * @example
 * throttleSignal([{ id: '1', status: 201, headers: { 'x-ms-throttle-limit-percentage': '0.9' } }]) // { usage: 0.9, usageText: '0.9' }
 */
export function throttleSignal(answers: readonly GraphBatchResponse[], now = Date.now()): ThrottleSignal {
  const signal: ThrottleSignal = {}
  for (const answer of answers) {
    for (const [name, value] of Object.entries(answer.headers ?? {})) {
      if (name.toLowerCase() !== 'x-ms-throttle-limit-percentage') continue
      const usage = Number(value)
      if (Number.isFinite(usage) && usage > (signal.usage ?? 0)) {
        signal.usage = usage
        signal.usageText = value.trim()
      }
    }
    if (answer.status === 429) {
      const header = Object.entries(answer.headers ?? {}).find(
        ([name]) => name.toLowerCase() === 'retry-after',
      )
      // At least a second, as for a single call; Graph normally says.
      const seconds = Math.max(1, parseRetryAfter(header?.[1], now) ?? DEFAULT_RETRY_AFTER_SECONDS)
      signal.retryAfterSeconds = Math.max(signal.retryAfterSeconds ?? 0, seconds)
    }
  }
  return signal
}

export interface GraphPacerOptions {
  /** Requests per second before Graph has said anything; it grows from there. @default 100 */
  initialRate?: number
  /** The slowest pace it falls to, requests per second. @default 5 */
  minimumRate?: number
  /** Milliseconds, monotonic. @default performance.now */
  clock?: () => number
}

/**
 * Keeps one instance's Graph requests (every `$batch` item counts) under the app+tenant budget it shares with every
 * other caller: the bulk worker's batches in flight wait here for their turn, first come first served.
 */
export interface GraphPacer {
  /**
   * Waits until `requests` more may go (and no `Retry-After` is running); `false` when `signal` aborted the wait,
   * nothing taken. `ahead`: work on rows already claimed (their follow-ups, a resend), which goes before waits for
   * new work, so that a guest's steps follow its invitation closely and a job's last follow-ups do not queue behind
   * everything still to be invited.
   */
  acquire(requests: number, options?: { signal?: AbortSignal; ahead?: boolean }): Promise<boolean>
  /** Gives back requests acquired but not sent. */
  refund(requests: number): void
  /**
   * Sends one `$batch` (already acquired) and learns from its answer: the items' `x-ms-throttle-limit-percentage`
   * and `Retry-After`, or a throttled envelope. The answer or error passes through.
   */
  track(send: () => Promise<GraphBatchResponse[]>): Promise<GraphBatchResponse[]>
  /**
   * How many requests one batch should hold, at most `limit`: a tenth of a second's worth at the pace now, so that a
   * small budget is not hit by a whole batch at once.
   */
  batchSize(limit: number): number
  /** The pace now, requests per second, and until when Graph asked to wait (clock milliseconds). */
  readonly state: { rate: number; blockedUntil: number }
}

/** Graph reports usage only past this share of the limit. */
const REPORTED_USAGE = 0.8
/** A `429` reporting this share of the limit or more is the budget's own; without such a reading, another limit's. */
const WALL_USAGE = 0.95
/** The share of the budget's lower bound aimed at: close to the wall, with a margin for bursts and other callers. */
const TARGET_SHARE = 0.99
/** Identity and access counts requests per 10 s: what was sent is measured over the same window. */
const WINDOW_MS = 10_000
/** How far what this instance counts as sent over the window may differ from what Graph counts. */
const MEASUREMENT_TOLERANCE = 0.03
/** Pace not used while every batch was busy may be used later, up to this many seconds' worth. */
const BANKED_SECONDS = 0.25
/** How fast the pace grows per second while Graph reports nothing (below 0.8) and the pace holds batches back. */
const GROWTH = 0.25
/** How long ago a batch must have waited for the pacer for growth to count (the pace, not the work, limits). */
const BOUND_MS = 500
/** …and what share of the pace was sent over the last second: a pace not reached is not raised. */
const REACHED_SHARE = 0.8
/** A batch holds this many seconds' worth of requests at the pace. */
const BATCH_SECONDS = 0.1

/**
 * What one reading says of the share used: `0.9` with one decimal means 0.85–0.95 (Graph does not document its
 * precision, so the number's own decimals say it); below 0.8 Graph sends nothing.
 *
 * @example
 * usageBand(0.9, '0.9') // { low: 0.85, high: 0.95 }
 * usageBand(undefined) // { low: 0, high: 0.8 }
 */
export function usageBand(usage: number | undefined, text = String(usage)): { low: number; high: number } {
  if (usage === undefined) return { low: 0, high: REPORTED_USAGE }
  const decimals = text.split('.')[1]?.length ?? 0
  const half = 0.5 * 10 ** -decimals
  return { low: Math.max(REPORTED_USAGE, usage - half), high: usage + half }
}

/**
 * A pacer that fills the app+tenant budget without hitting it, driven only by what Graph reports: the budget itself
 * is not known (it depends on the tenant's size and the kind of request), so the pacer bounds it.
 *
 * - Every answer says how much of the limit was used (`x-ms-throttle-limit-percentage`, or nothing: at most 0.8),
 *   and the pacer knows what it sent over the same window (Identity and access counts per 10 s; what it sent is
 *   divided by the whole window even in the first, since Graph's count holds the same). So each answer
 *   bounds the budget: sent / high ≤ budget ≤ sent / low, where the reading's precision gives low and high (0.9 is
 *   0.85–0.95; the upper bound allows 3 % for the difference between what this instance counts and what Graph's
 *   window holds). The pacer keeps the tightest lower and upper bound, and paces at 0.99 of the lower bound: in
 *   steady state Graph reports 0.96–0.99, close to the wall but under it. Requests Graph refused do not count as
 *   sent (its window does not hold them), and a quarter second of pace not used while every batch was busy may
 *   still be used, so the budget is filled, not only paced.
 * - The budget is shared with everything else the app sends in the tenant (other instances, single invitations):
 *   their requests raise the readings, so the bounds fall to what is left. A reading that contradicts the bounds
 *   (the budget changed, or others send more) replaces them.
 * - The budget is a count per window, and the pace is kept over the window too: once Graph has bounded it, a batch
 *   waits until what this instance sent over the last 10 s leaves room for it at the pace. What went faster before
 *   the first reading leaves the window first, rather than filling it into the wall.
 * - Growth: from `initialRate`, the pace grows by a quarter per second (`GROWTH`, compounded) while Graph reports
 *   nothing and the pace holds batches back (they wait here and the pace is reached: not the work or the machine),
 *   until the first reading. Later too, whenever Graph reports nothing while the pace holds (others stopped spending
 *   the budget, or it grew): what the window proves would take up to 10 s to catch up with the pace, so the pace
 *   does not wait for it.
 * - A `429` stops every request until its `Retry-After`. Its reading (past the wall) bounds the budget as any
 *   reading does, which cuts the pace. Without one, another limit or a fault throttled: the budget was not spent,
 *   so what would have been sent during the wait (0.8 of it) may go at once after it.
 *   Answers to requests sent before a cut do not cut again: one round trip's worth of them tells one thing.
 *
 * Waits are served first come, first served, except that work on rows already claimed (`ahead`) goes first.
 *
 * @example
 * const pacer = createGraphPacer()
 * if (await pacer.acquire(requests.length)) await pacer.track(() => graph.batch(token, requests))
 */
export function createGraphPacer(options: GraphPacerOptions = {}): GraphPacer {
  const minimumRate = options.minimumRate ?? 5
  const clock = options.clock ?? (() => performance.now())
  /** The pace, requests per second. */
  let rate = Math.max(minimumRate, options.initialRate ?? 100)
  /** What the answers so far prove of the budget, requests per second. */
  let lower = 0
  let upper = Number.POSITIVE_INFINITY
  /** `false` while starting: no reading from Graph yet. */
  let steady = false
  /** Requests that may go now; negative: requests owed before the next batch. */
  let allowance = 0
  /** How far `allowance` may build up: 0, or what a wait for another limit saved, until it is spent. */
  let credit = 0
  let refilledAt = clock()
  let blockedUntil = 0
  /** When a 429 last cut the pace. */
  let cutAt = Number.NEGATIVE_INFINITY
  let updatedAt = clock()
  /** When a batch last had to wait here. */
  let boundAt = Number.NEGATIVE_INFINITY
  const sent: { at: number; requests: number }[] = []
  const waiting: { requests: number; ahead: boolean; resolve: (taken: boolean) => void }[] = []
  let timer: NodeJS.Timeout | undefined

  /**
   * Requests per second sent over the `windowMs` before `at`. Over Graph's window it is what Graph's count holds, even
   * when sending began less than a window ago: dividing by the time since then would over-estimate the budget.
   */
  const sentRate = (at: number, windowMs: number) => {
    const now = clock()
    while (sent.length > 0 && (sent[0] as { at: number }).at < now - WINDOW_MS) sent.shift()
    let total = 0
    for (const entry of sent) if (entry.at > at - windowMs && entry.at <= at) total += entry.requests
    return (total * 1000) / windowMs
  }
  /** Whether the pace, not the work, holds batches back: they wait here, and the pace is reached. */
  const paceHolds = (now: number) => now - boundAt < BOUND_MS && sentRate(now, 1000) >= REACHED_SHARE * rate

  /**
   * Once Graph has bounded the budget: how long until the window has room for `requests` more at the pace, ms (0:
   * now). The limit is a count per window, so what went faster than the pace (the start, before the first reading)
   * must leave the window before more goes, or the window runs into the wall when it fills.
   */
  const windowWaitMs = (now: number, requests: number) => {
    if (!steady) return 0
    const held = sent.filter((entry) => entry.at > now - WINDOW_MS)
    // A batch larger than the window's room at the pace waits for an empty window, not forever.
    let excess =
      held.reduce((total, entry) => total + entry.requests, 0) +
      requests -
      Math.max(requests, (rate * WINDOW_MS) / 1000)
    if (excess <= 0) return 0
    for (const entry of held) {
      excess -= entry.requests
      if (excess <= 0) return entry.at + WINDOW_MS - now
    }
    return WINDOW_MS
  }

  const pump = () => {
    clearTimeout(timer)
    timer = undefined
    const now = clock()
    allowance = Math.min(
      Math.max(credit, rate * BANKED_SECONDS),
      allowance + ((now - refilledAt) / 1000) * rate,
    )
    refilledAt = now
    for (let next = waiting.shift(); next; next = waiting.shift()) {
      const waitMs =
        now < blockedUntil
          ? blockedUntil - now
          : allowance < 0
            ? (-allowance / rate) * 1000
            : windowWaitMs(now, next.requests)
      if (waitMs > 0) {
        waiting.unshift(next)
        boundAt = now
        timer = setTimeout(pump, Math.max(1, Math.ceil(waitMs)))
        timer.unref()
        return
      }
      allowance -= next.requests
      credit = Math.max(0, credit - next.requests)
      sent.push({ at: now, requests: next.requests })
      next.resolve(true)
    }
  }

  /** Narrows the bounds with what one answer proves: the budget is `low`–`high` requests per second. */
  const bound = (low: number, high: number) => {
    if (low > upper || high < lower) {
      // The budget changed, or others spend more of it: the latest answer is the truth, taken at its middle (its
      // low end alone would drop the pace by a whole band for what is often a moment's noise).
      lower = Number.isFinite(high) ? (low + high) / 2 : low
      upper = high
    } else {
      lower = Math.max(lower, low)
      upper = Math.min(upper, high)
    }
    rate = Math.max(minimumRate, TARGET_SHARE * lower)
  }
  /** What a reading of the share used proves of the budget, given what was sent over the window. */
  const proofOf = (usage: number | undefined, text: string | undefined, sentAt: number) => {
    const sending = sentRate(sentAt, WINDOW_MS)
    const band = usageBand(usage, text)
    return {
      sending,
      low: sending / band.high,
      // What this instance counts as sent and what Graph's window holds differ a little at the window's edges: an
      // upper bound set by that noise must not pin the pace below the budget.
      high: band.low > 0 ? (sending / band.low) * (1 + MEASUREMENT_TOLERANCE) : Number.POSITIVE_INFINITY,
    }
  }

  const observe = (signal: ThrottleSignal, sentAt: number) => {
    const now = clock()
    if (signal.retryAfterSeconds !== undefined) {
      blockedUntil = Math.max(blockedUntil, now + signal.retryAfterSeconds * 1000)
      // Without a reading at the wall, another limit throttled (or a fault): waiting is enough.
      const atWall = signal.usage !== undefined && signal.usage >= WALL_USAGE
      if (atWall && sentAt >= cutAt) {
        steady = true
        // Past the wall the budget is less than what was sent, whatever the reading's precision.
        const proof = proofOf(signal.usage, signal.usageText, sentAt)
        const high = Math.min(proof.high, proof.sending)
        bound(Math.min(proof.low, high), high)
        cutAt = now
      } else if (!atWall) {
        // Another limit (or a fault) throttled, not the budget: what would have been sent during the wait may go
        // at once after it. Not after the budget's own 429: its window still holds what was sent.
        credit = Math.max(credit, rate * signal.retryAfterSeconds * 0.8)
        allowance = Math.max(allowance, Math.min(0, allowance) + credit)
      }
      pump()
      return
    }
    // Graph sends a reading only past 0.8 of the limit: even `0.8` says more than 0.8 (0.8–0.85), not at most 0.8.
    const reading = signal.usage
    const seconds = Math.min(now - updatedAt, 500) / 1000
    updatedAt = now
    // No reading while the pace holds batches back: Graph has room the pace leaves unused (at the start, or once
    // other callers stop spending the budget), so the pace grows until Graph reports again.
    const grown = reading === undefined && paceHolds(now) ? rate * Math.exp(GROWTH * seconds) : rate
    if (!steady && reading === undefined) {
      rate = grown
      return
    }
    if (sentAt < cutAt) return
    steady = true
    const proof = proofOf(reading, reading === undefined ? undefined : signal.usageText, sentAt)
    bound(proof.low, proof.high)
    // What the window proves lags the pace by up to 10 s; growth does not wait for it, up to what Graph allows.
    if (reading === undefined) rate = Math.max(rate, Math.min(grown, TARGET_SHARE * upper))
  }

  return {
    acquire(requests, { signal, ahead = false } = {}) {
      if (signal?.aborted) return Promise.resolve(false)
      return new Promise<boolean>((resolve) => {
        const entry = {
          requests,
          ahead,
          resolve: (taken: boolean) => {
            signal?.removeEventListener('abort', onAbort)
            resolve(taken)
          },
        }
        const onAbort = () => {
          const index = waiting.indexOf(entry)
          if (index >= 0) waiting.splice(index, 1)
          entry.resolve(false)
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        // First come, first served; work ahead goes after the other work ahead, before the rest.
        const behind = ahead ? waiting.findIndex((other) => !other.ahead) : -1
        if (behind >= 0) waiting.splice(behind, 0, entry)
        else waiting.push(entry)
        pump()
      })
    },

    refund(requests) {
      if (requests <= 0) return
      allowance = Math.min(credit, allowance + requests)
      sent.push({ at: clock(), requests: -requests })
      pump()
    },

    async track(send) {
      const sentAt = clock()
      let answers: GraphBatchResponse[]
      try {
        answers = await send()
      } catch (error) {
        // A throttled envelope: nothing in it ran; the whole app waits.
        if (isProblemError(error) && error.code === 'graph_throttled') {
          observe(
            { retryAfterSeconds: error.extras.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS },
            sentAt,
          )
        }
        throw error
      }
      // A refused request takes nothing from Graph's window: it does not count as sent.
      const refused = answers.filter((answer) => answer.status === 429).length
      if (refused > 0) sent.push({ at: sentAt, requests: -refused })
      observe(throttleSignal(answers), sentAt)
      return answers
    },

    batchSize(limit) {
      return Math.max(1, Math.min(limit, Math.round(rate * BATCH_SECONDS)))
    },

    get state() {
      return { rate, blockedUntil }
    },
  }
}
