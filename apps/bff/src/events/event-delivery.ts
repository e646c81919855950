import { randomUUID } from 'node:crypto'
import type { EventDestination, GuestEvent } from '@entra-share/contracts'
import { settings } from '../settings.js'
import type { AttemptResult, ClaimedDelivery, EventStore } from './event-store.js'

/** What one delivery attempt got back. */
export type DeliveryAnswer =
  | { ok: true; statusCode: number | null }
  | { ok: false; statusCode: number | null; error: string }

/**
 * Delivers one event to one destination. `signal` aborts when the attempt times out or the worker stops; a thrown
 * error is a failed attempt, retried.
 */
export type EventDeliverer = (event: GuestEvent, signal: AbortSignal) => Promise<DeliveryAnswer>

/**
 * The host's in-process hook: called with each event, at least once, in order per invitation, and awaited. A throw
 * (or a rejection) is a failed attempt, retried with backoff like a failed webhook. `signal` aborts when the attempt
 * has taken longer than its timeout or the BFF is closing: finish or give up then, the event comes again.
 */
export type GuestEventHook = (event: GuestEvent, context: { signal: AbortSignal }) => void | Promise<void>

/** Timing of event delivery; the defaults suit production, tests shorten them. */
export interface EventDeliveryTiming {
  /** How often an idle worker looks for due deliveries. @default 1000 */
  pollIntervalMs: number
  /** Deliveries claimed (and sent side by side) at a time, per destination. @default 20 */
  batchSize: number
  /** Longest wait for one attempt (the webhook's answer, the hook's promise). @default 15000 */
  attemptTimeoutMs: number
  /** How long a claim holds a delivery; longer than an attempt, so no two instances send one event at once. @default 60 */
  leaseSeconds: number
  /** First wait after a failed attempt, doubled per attempt (with jitter: half to all of it). @default 5 */
  retryBaseSeconds: number
  /** Longest wait between two attempts. @default 3600 */
  retryMaxSeconds: number
  /**
   * How long after the event an attempt is still made; a delivery still failing then is `expired`.
   * @default 259200 (`ENTRA_SHARE_EVENT_RETRY_HOURS`' default)
   */
  retryPeriodSeconds: number
}

export const DEFAULT_EVENT_DELIVERY_TIMING: EventDeliveryTiming = {
  pollIntervalMs: 1000,
  batchSize: 20,
  attemptTimeoutMs: 15_000,
  leaseSeconds: 60,
  retryBaseSeconds: 5,
  retryMaxSeconds: 3600,
  retryPeriodSeconds: settings.eventRetryHours.default * 3600,
}

/** A pino-compatible logger (Fastify's `app.log` fits). */
export interface EventDeliveryLogger {
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface EventDeliveryOptions {
  store: EventStore
  /** A deliverer per destination to deliver to; each runs its own queue. */
  destinations: Partial<Record<EventDestination, EventDeliverer>>
  logger: EventDeliveryLogger
  timing?: Partial<EventDeliveryTiming>
  clock?: () => Date
  /** The jitter's randomness, in [0, 1). */
  random?: () => number
}

export interface EventDeliveryWorker {
  /**
   * Stops claiming, aborts the attempts in flight (each is logged as `interrupted` and released, so the next
   * instance delivers it at once) and waits for them to be recorded.
   */
  stop(): Promise<void>
}

/**
 * Registers `destinations` (from now on every event written gets a delivery to each) and delivers their events: each
 * destination's queue is polled, claimed with `FOR UPDATE SKIP LOCKED` under a lease (so instances side by side never
 * send one event at once), and an invitation's events go out one after the other, in order. A failed attempt is
 * retried with exponential backoff and jitter until `retryPeriodSeconds` after the event. Timers are unref'd: the
 * worker never keeps the process alive.
 *
 * @example
 * const worker = await startEventDelivery({
 *   store: createEventStore(db),
 *   destinations: { webhook: createWebhookDeliverer({ url, secret }), hook: hookDeliverer(onGuest) },
 *   logger: app.log,
 * })
 * app.addHook('onClose', () => worker.stop())
 */
export async function startEventDelivery(options: EventDeliveryOptions): Promise<EventDeliveryWorker> {
  const { store, logger } = options
  const timing: EventDeliveryTiming = { ...DEFAULT_EVENT_DELIVERY_TIMING, ...options.timing }
  const clock = options.clock ?? (() => new Date())
  const random = options.random ?? Math.random
  if (!(timing.leaseSeconds * 1000 > timing.attemptTimeoutMs)) {
    throw new TypeError(
      `startEventDelivery: leaseSeconds (${timing.leaseSeconds}) must be longer than attemptTimeoutMs (${timing.attemptTimeoutMs} ms), or two instances could send one event at once.`,
    )
  }
  const destinations = Object.entries(options.destinations).filter(
    (entry): entry is [EventDestination, EventDeliverer] => entry[1] !== undefined,
  )
  for (const [destination] of destinations) await store.registerDestination(destination)

  const stopping = new AbortController()

  async function attempt(
    destination: EventDestination,
    deliver: EventDeliverer,
    owner: string,
    claimed: ClaimedDelivery,
  ): Promise<void> {
    const { event } = claimed
    const attemptedAt = clock()
    const started = performance.now()
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(timing.attemptTimeoutMs)])
    let answer: DeliveryAnswer
    try {
      answer = await untilAborted(deliver(event, signal), signal, timing.attemptTimeoutMs)
    } catch (error) {
      answer = { ok: false, statusCode: null, error: describeError(error) }
    }
    const durationMs = performance.now() - started
    let result: AttemptResult
    if (answer.ok) {
      result = { outcome: 'delivered', statusCode: answer.statusCode }
    } else if (stopping.signal.aborted) {
      result = { outcome: 'interrupted', error: 'The instance stopped during the attempt.' }
    } else {
      const attempts = claimed.attempts + 1
      const wait = Math.min(timing.retryMaxSeconds, timing.retryBaseSeconds * 2 ** (attempts - 1))
      const nextAttemptAt = new Date(clock().getTime() + wait * (0.5 + random() / 2) * 1000)
      const expire = nextAttemptAt.getTime() - Date.parse(event.timestamp) > timing.retryPeriodSeconds * 1000
      result = {
        outcome: 'failed',
        statusCode: answer.statusCode,
        error: answer.error,
        nextAttemptAt,
        expire,
      }
      const details = { eventId: event.id, type: event.type, destination, attempts, error: answer.error }
      if (expire) {
        logger.error(details, 'An event could not be delivered within the retry period; it is given up.')
      } else {
        logger.warn({ ...details, nextAttemptAt }, 'An event delivery failed; it is retried.')
      }
    }
    try {
      await store.recordAttempt({ eventId: event.id, destination, owner, attemptedAt, durationMs, result })
    } catch (error) {
      // The lease runs out and the delivery is claimed again: at least once, never lost.
      logger.error({ err: error, eventId: event.id, destination }, 'An event delivery could not be recorded.')
    }
  }

  /** Claims a batch and attempts it; the number claimed. */
  async function runOnce(destination: EventDestination, deliver: EventDeliverer): Promise<number> {
    const owner = randomUUID()
    const claimed = await store.claimDue({
      destination,
      owner,
      now: clock(),
      limit: timing.batchSize,
      leaseSeconds: timing.leaseSeconds,
    })
    // One event per invitation at most: side by side is safe for the order.
    await Promise.all(claimed.map((each) => attempt(destination, deliver, owner, each)))
    return claimed.length
  }

  async function loop(destination: EventDestination, deliver: EventDeliverer): Promise<void> {
    while (!stopping.signal.aborted) {
      let claimed = 0
      try {
        claimed = await runOnce(destination, deliver)
      } catch (error) {
        logger.error({ err: error, destination }, 'The event delivery worker failed; it tries again shortly.')
      }
      // Something was claimed: the next events of those invitations may be due now.
      if (claimed === 0) await sleep(timing.pollIntervalMs, stopping.signal)
    }
  }

  const loops = destinations.map(([destination, deliver]) => loop(destination, deliver))
  return {
    async stop() {
      stopping.abort()
      await Promise.all(loops)
    },
  }
}

/**
 * The in-process hook as a deliverer: awaited, given the attempt's `signal`; a throw is a failed attempt.
 *
 * @example
 * const deliver = hookDeliverer(async (event) => { await provisionGuest(event.data.invitation) })
 */
export function hookDeliverer(hook: GuestEventHook): EventDeliverer {
  return async (event, signal) => {
    // A copy per attempt: a hook that changes its event cannot change the next attempt's.
    await hook(structuredClone(event), { signal })
    return { ok: true, statusCode: null }
  }
}

/** `work`, or a rejection as soon as `signal` aborts (a hook that ignores its signal still ends the attempt). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () =>
      reject(
        new Error(
          signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError'
            ? `No answer within ${timeoutMs} ms.`
            : 'The instance stopped during the attempt.',
        ),
      )
    if (signal.aborted) abort()
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/** One line about a failed attempt: the error's message and, for network errors, its code. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: unknown }).cause
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? ` (${String(cause.code)})` : ''
  return `${error.message}${code}`.slice(0, 500)
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, milliseconds)
    timer.unref()
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
