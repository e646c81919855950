import { setMaxListeners } from 'node:events'
import type { BulkLogger, BulkProcessor } from './bulk-processor.js'

export interface BulkWorkerOptions {
  /** Milliseconds between looks for due rows when there was nothing to do. */
  pollIntervalMs: number
  /** Batches in flight at once on this instance. @default 1 */
  concurrency?: number
  logger: BulkLogger
}

export interface BulkWorker {
  /**
   * Looks for due rows now rather than at the next poll: a job was just uploaded here, so it starts at once, not up
   * to `pollIntervalMs` later.
   */
  wake(): void
  /** Stops claiming and waits for the batches in progress to finish. */
  stop(): Promise<void>
}

/**
 * Runs the bulk processor on this instance with up to `concurrency` batches in flight: each slot runs batch after
 * batch while rows are due, so that while Graph answers one batch others are already on their way and the app's
 * budget is filled even when Graph is slow. The processor's pacer decides when each batch may go (Graph's throttle
 * headers, `Retry-After`); the store hands jobs out in turn, so several jobs progress side by side. When there is
 * nothing to do, one slot looks again every `pollIntervalMs` (or when woken: a job was uploaded here) and the others
 * wait until it finds work.
 * Every instance runs one; `FOR UPDATE SKIP LOCKED` keeps them from claiming the same rows. Timers are unref'd, so
 * the worker never keeps the process alive.
 *
 * @example
 * const worker = startBulkWorker(processor, { pollIntervalMs: 1000, concurrency: 8, logger: app.log })
 * app.addHook('onClose', () => worker.stop())
 */
export function startBulkWorker(processor: BulkProcessor, options: BulkWorkerOptions): BulkWorker {
  const { pollIntervalMs, logger } = options
  const concurrency = options.concurrency ?? 1
  if (!(Number.isFinite(pollIntervalMs) && pollIntervalMs > 0)) {
    throw new TypeError(`startBulkWorker: pollIntervalMs must be a positive number, got ${pollIntervalMs}.`)
  }
  if (!(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new TypeError(`startBulkWorker: concurrency must be a positive whole number, got ${concurrency}.`)
  }
  const stopping = new AbortController()
  // Each slot waiting for the pacer listens for the stop.
  setMaxListeners(concurrency + 10, stopping.signal)
  /** Slots waiting for work: woken when another slot finds some, or when the worker stops. */
  let parked: (() => void)[] = []
  const wakeAll = () => {
    const waiting = parked
    parked = []
    for (const wake of waiting) wake()
  }
  stopping.signal.addEventListener('abort', wakeAll, { once: true })

  /** Waits `delayMs`, or (without a delay) until woken; either ends early when the worker stops. */
  const idle = (delayMs: number | undefined) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve()
      let timer: NodeJS.Timeout | undefined
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      if (delayMs !== undefined) {
        timer = setTimeout(done, delayMs)
        timer.unref()
      }
      parked.push(done)
    })

  const slot = async (index: number) => {
    // Not before the caller's turn ends; then the first slot's look decides whether the others are needed.
    await idle(index === 0 ? 0 : undefined)
    while (!stopping.signal.aborted) {
      let found = false
      try {
        found = (await processor.runOnce(stopping.signal)).claimed > 0
      } catch (error) {
        logger.error({ err: error }, 'The bulk worker failed; it tries again shortly.')
      }
      if (stopping.signal.aborted) return
      if (found) {
        wakeAll()
        // Yield to timers and I/O between batches.
        await new Promise((resolve) => setImmediate(resolve))
      } else {
        // The first slot keeps looking; the others rest until it finds work.
        await idle(index === 0 ? pollIntervalMs : undefined)
      }
    }
  }
  const slots = Array.from({ length: concurrency }, (_, index) => slot(index))

  return {
    wake: wakeAll,
    async stop() {
      stopping.abort()
      await Promise.all(slots)
    },
  }
}
