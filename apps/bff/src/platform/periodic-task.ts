/** A pino-compatible logger (Fastify's `app.log` fits). */
export interface PeriodicTaskLogger {
  info(details: object, message: string): void
  error(details: object, message: string): void
}

export interface PeriodicTask {
  /** Stops scheduling runs and waits for a run in progress to finish. */
  stop(): Promise<void>
}

/**
 * Runs `task` every `intervalSeconds`, one run at a time (the next is scheduled only when the previous one has
 * finished), on an unref'd timer so it never keeps the process alive. A run that throws is logged with `name`; the
 * next run goes ahead.
 *
 * @example
 * const task = startPeriodicTask('acceptance check', () => check.run(), { intervalSeconds: 300, logger: app.log })
 * app.addHook('onClose', () => task.stop())
 */
export function startPeriodicTask(
  name: string,
  task: () => Promise<void>,
  options: { intervalSeconds: number; logger: PeriodicTaskLogger },
): PeriodicTask {
  const { intervalSeconds, logger } = options
  if (!(Number.isFinite(intervalSeconds) && intervalSeconds > 0)) {
    throw new TypeError(
      `${name}: intervalSeconds must be a positive number of seconds, got ${intervalSeconds}.`,
    )
  }
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  const run = async () => {
    try {
      await task()
    } catch (error) {
      logger.error({ err: error }, `The ${name} failed; it tries again at its next run.`)
    }
  }
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      running = run().finally(() => {
        running = undefined
        schedule()
      })
    }, intervalSeconds * 1000)
    timer.unref()
  }
  schedule()

  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
