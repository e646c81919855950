import type { BulkLogger, BulkProcessor } from './bulk-processor.js'

export interface BulkWorkerOptions {
  /** Milliseconds between looks for due rows when there was nothing to do. */
  pollIntervalMs: number
  logger: BulkLogger
}

export interface BulkWorker {
  /** Stops claiming and waits for the batch in progress to finish. */
  stop(): Promise<void>
}

/**
 * Runs the bulk processor on this instance: batch after batch while rows are due, then every `pollIntervalMs`;
 * after a throttled batch it waits for Graph's `Retry-After` (the budget is the app's and tenant's, not a row's).
 * Every instance runs one; `FOR UPDATE SKIP LOCKED` keeps them from claiming the same rows. Timers are unref'd, so
 * the worker never keeps the process alive.
 *
 * @example
 * const worker = startBulkWorker(processor, { pollIntervalMs: 1000, logger: app.log })
 * app.addHook('onClose', () => worker.stop())
 */
export function startBulkWorker(processor: BulkProcessor, options: BulkWorkerOptions): BulkWorker {
  const { pollIntervalMs, logger } = options
  if (!(Number.isFinite(pollIntervalMs) && pollIntervalMs > 0)) {
    throw new TypeError(`startBulkWorker: pollIntervalMs must be a positive number, got ${pollIntervalMs}.`)
  }
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  const schedule = (delayMs: number) => {
    if (stopped) return
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined
      })
    }, delayMs)
    timer.unref()
  }
  const tick = async () => {
    let delay = pollIntervalMs
    try {
      const result = await processor.runOnce()
      if (result.throttledUntil) delay = Math.max(0, result.throttledUntil.getTime() - Date.now())
      else if (result.claimed > 0) delay = 0
    } catch (error) {
      logger.error({ err: error }, 'The bulk worker failed; it tries again shortly.')
    }
    schedule(delay)
  }
  schedule(0)

  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
