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
  /** The longest `Retry-After` of a throttled (`429`) item, seconds. Absent: nothing was throttled. */
  retryAfterSeconds?: number
}

/**
 * Reads the throttle headers of a `$batch` answer's items (header names compared case-insensitively, as Graph
 * spells them either way).
 *
 * @example
 * throttleSignal([{ id: '1', status: 201, headers: { 'x-ms-throttle-limit-percentage': '0.9' } }]) // { usage: 0.9 }
 */
export function throttleSignal(answers: readonly GraphBatchResponse[], now = Date.now()): ThrottleSignal {
  const signal: ThrottleSignal = {}
  for (const answer of answers) {
    for (const [name, value] of Object.entries(answer.headers ?? {})) {
      if (name.toLowerCase() !== 'x-ms-throttle-limit-percentage') continue
      const usage = Number(value)
      if (Number.isFinite(usage)) signal.usage = Math.max(signal.usage ?? 0, usage)
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
   * nothing taken.
   */
  acquire(requests: number, signal?: AbortSignal): Promise<boolean>
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
/** A `429` reporting this share of the limit or more is the budget's own: the estimate was too high. */
const WALL_USAGE = 0.95
/** The share of the limit aimed at: inside the band Graph reports, short of the wall. */
const TARGET_USAGE = 0.8
/** The pace moves this much per unit of usage off target (proportional part). */
const PROPORTIONAL_GAIN = 2
/** How fast the estimate grows per second at the start, while Graph reports nothing and batches wait here. */
const START_GROWTH = 0.25
/** The estimate of the budget moves this much per second per unit of usage off target (integral part). */
const INTEGRAL_GAIN = 0.1
/** How fast the estimate grows per second while Graph reports nothing and batches wait for the pacer. */
const QUIET_GROWTH = 0.05
/** How far below the target an answer without a reading is taken to be. */
const QUIET_MARGIN = 0.05
/** How long ago a batch must have waited for the pacer for growth to count (the pace, not the work, limits). */
const BOUND_MS = 500
/** …and what share of the pace was sent over the last second: a pace not reached is not raised. */
const REACHED_SHARE = 0.8
/** A batch holds this many seconds' worth of requests at the pace. */
const BATCH_SECONDS = 0.1

/**
 * A pacer that fills the app+tenant budget without hitting it, driven only by what Graph reports: the budget itself
 * is not known (it depends on the tenant's size and the kind of request), so the pacer estimates it.
 *
 * - Start: from `initialRate`, the estimate grows by a quarter per second (`START_GROWTH`, compounded) while Graph
 *   reports nothing and the pace holds batches back (they wait here and the pace is reached: not the work or the
 *   machine): slowly enough that the first reading comes before the wall. The first
 *   `x-ms-throttle-limit-percentage` (Graph sends it past 0.8 of the limit) sets it to 0.8 of what was sent over
 *   the last second.
 * - Then the pace is the estimate corrected by the last reading (`PROPORTIONAL_GAIN`): higher while Graph reports
 *   nothing, lower the further past 0.8 it reports, so usage hovers where Graph starts to report it, short of the
 *   wall with room for single invitations. The estimate itself drifts toward the pace that holds usage there
 *   (`INTEGRAL_GAIN`), and grows slowly while Graph reports nothing and the pace holds batches back
 *   (`QUIET_GROWTH`).
 * - A `429` stops every request until its `Retry-After`. When its reading says the budget is spent (0.95 and up),
 *   it also cuts the estimate to 0.9 of what was sent over the last three seconds (0.5 during the start); without
 *   one, another limit or a fault throttled, and waiting is enough. Graph's budget refills during the wait, so what
 *   would have been sent then (0.8 of it) may go at once after it.
 *
 * What was sent counts as at least half the estimate, since a short history says little. Answers to requests sent
 * before a cut do not cut again: one round trip's worth of them tells one thing.
 *
 * @example
 * const pacer = createGraphPacer()
 * if (await pacer.acquire(requests.length)) await pacer.track(() => graph.batch(token, requests))
 */
export function createGraphPacer(options: GraphPacerOptions = {}): GraphPacer {
  const minimumRate = options.minimumRate ?? 5
  const clock = options.clock ?? (() => performance.now())
  /** What the budget is thought to be, requests per second. */
  let estimate = Math.max(minimumRate, options.initialRate ?? 100)
  /** `false` while starting: no word from Graph yet. */
  let steady = false
  /** The last reading past 0.8; `undefined` when the last answer carried none. */
  let usage: number | undefined
  /** Requests that may go now; negative: requests owed before the next batch. */
  let allowance = 0
  /** How far `allowance` may build up: 0, or what a `Retry-After` wait saved, until it is spent. */
  let credit = 0
  let refilledAt = clock()
  let blockedUntil = 0
  /** When a 429 last cut the estimate. */
  let cutAt = Number.NEGATIVE_INFINITY
  let updatedAt = clock()
  /** When a batch last had to wait here. */
  let boundAt = Number.NEGATIVE_INFINITY
  const sent: { at: number; requests: number }[] = []
  const waiting: { requests: number; resolve: (taken: boolean) => void }[] = []
  let timer: NodeJS.Timeout | undefined

  const sentRate = (now: number, windowMs: number) => {
    while (sent.length > 0 && (sent[0] as { at: number }).at < now - 3000) sent.shift()
    let total = 0
    for (const entry of sent) if (entry.at >= now - windowMs) total += entry.requests
    return Math.max(minimumRate, (total * 1000) / windowMs)
  }
  /** What was sent over the window, per second; at least half the estimate. */
  const sentSince = (now: number, windowMs: number) => Math.max(sentRate(now, windowMs), estimate / 2)
  /** Whether the pace, not the work, holds batches back: they wait here, and the pace is reached. */
  const paceHolds = (now: number) => now - boundAt < BOUND_MS && sentRate(now, 1000) >= REACHED_SHARE * pace()
  const pace = () => {
    if (!steady) return estimate
    const off = usage === undefined ? QUIET_MARGIN : TARGET_USAGE - usage
    return Math.max(minimumRate, estimate * (1 + PROPORTIONAL_GAIN * off))
  }

  const pump = () => {
    clearTimeout(timer)
    timer = undefined
    const now = clock()
    allowance = Math.min(credit, allowance + ((now - refilledAt) / 1000) * pace())
    refilledAt = now
    for (let next = waiting.shift(); next; next = waiting.shift()) {
      const waitMs =
        now < blockedUntil ? blockedUntil - now : allowance < 0 ? (-allowance / pace()) * 1000 : 0
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

  const observe = (signal: ThrottleSignal, sentAt: number) => {
    const now = clock()
    if (signal.retryAfterSeconds !== undefined) {
      blockedUntil = Math.max(blockedUntil, now + signal.retryAfterSeconds * 1000)
      // Without a reading at the wall, another limit throttled (or a fault): waiting is enough.
      const atWall = signal.usage !== undefined && signal.usage >= WALL_USAGE
      if (atWall && sentAt >= cutAt) {
        estimate = Math.max(minimumRate, Math.min(estimate, sentSince(now, 3000)) * (steady ? 0.9 : 0.5))
        steady = true
        usage = signal.usage
        cutAt = now
        updatedAt = now
      }
      // The budget refills during the wait: what would have been sent meanwhile may go at once after it.
      credit = Math.max(credit, pace() * signal.retryAfterSeconds * 0.8)
      allowance = Math.max(allowance, Math.min(0, allowance) + credit)
      pump()
      return
    }
    const reading = signal.usage !== undefined && signal.usage > REPORTED_USAGE ? signal.usage : undefined
    const seconds = Math.min(now - updatedAt, 500) / 1000
    updatedAt = now
    if (!steady) {
      if (reading !== undefined) {
        steady = true
        usage = reading
        estimate = Math.max(minimumRate, Math.min(estimate, sentSince(now, 1000)) * 0.8)
      } else if (paceHolds(now)) {
        estimate *= Math.exp(START_GROWTH * seconds)
      }
      return
    }
    usage = reading
    if (reading !== undefined) {
      estimate = Math.max(minimumRate, estimate * (1 + INTEGRAL_GAIN * (TARGET_USAGE - reading) * seconds))
    } else if (paceHolds(now)) {
      estimate *= 1 + QUIET_GROWTH * seconds
    }
  }

  return {
    acquire(requests, signal) {
      if (signal?.aborted) return Promise.resolve(false)
      return new Promise<boolean>((resolve) => {
        const entry = {
          requests,
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
        waiting.push(entry)
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
      observe(throttleSignal(answers), sentAt)
      return answers
    },

    batchSize(limit) {
      return Math.max(1, Math.min(limit, Math.round(pace() * BATCH_SECONDS)))
    },

    get state() {
      return { rate: pace(), blockedUntil }
    },
  }
}
