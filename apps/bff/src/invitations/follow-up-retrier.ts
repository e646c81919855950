import type { InviteService } from './invite-service.js'

export interface FollowUpRetrierOptions {
  /** Seconds between the end of one run and the start of the next. */
  intervalSeconds: number
  /** A pino-compatible logger (Fastify's `app.log` fits). */
  logger: {
    info(details: object, message: string): void
    error(details: object, message: string): void
  }
}

export interface FollowUpRetrier {
  /** Stops scheduling runs and waits for a run in progress to finish. */
  stop(): Promise<void>
}

/**
 * Runs {@link InviteService.retryDueFollowUps} every `intervalSeconds`, one run at a time (the next is scheduled
 * only when the previous one has finished), on an unref'd timer so it never keeps the process alive.
 *
 * @example
 * const retrier = startFollowUpRetrier(invites, { intervalSeconds: 30, logger: app.log })
 * app.addHook('onClose', () => retrier.stop())
 */
export function startFollowUpRetrier(
  service: Pick<InviteService, 'retryDueFollowUps'>,
  options: FollowUpRetrierOptions,
): FollowUpRetrier {
  const { intervalSeconds, logger } = options
  if (!(Number.isFinite(intervalSeconds) && intervalSeconds > 0)) {
    throw new TypeError(
      `startFollowUpRetrier: intervalSeconds must be a positive number of seconds, got ${intervalSeconds}.`,
    )
  }
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  const run = async () => {
    try {
      const result = await service.retryDueFollowUps()
      if (result.claimed > 0) logger.info(result, 'Retried the follow-up steps of partial invitations.')
    } catch (error) {
      logger.error({ err: error }, 'The follow-up retrier failed; it tries again at its next run.')
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
