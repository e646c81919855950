import { type PeriodicTask, type PeriodicTaskLogger, startPeriodicTask } from '../platform/periodic-task.js'
import type { InviteService } from './invite-service.js'

export interface FollowUpRetrierOptions {
  /** Seconds between the end of one run and the start of the next. */
  intervalSeconds: number
  /** A pino-compatible logger (Fastify's `app.log` fits). */
  logger: PeriodicTaskLogger
}

export type FollowUpRetrier = PeriodicTask

/**
 * Runs {@link InviteService.retryDueFollowUps} every `intervalSeconds`, one run at a time, on an unref'd timer.
 *
 * @example
 * const retrier = startFollowUpRetrier(invites, { intervalSeconds: 30, logger: app.log })
 * app.addHook('onClose', () => retrier.stop())
 */
export function startFollowUpRetrier(
  service: Pick<InviteService, 'retryDueFollowUps'>,
  options: FollowUpRetrierOptions,
): FollowUpRetrier {
  return startPeriodicTask(
    'follow-up retrier',
    async () => {
      const result = await service.retryDueFollowUps()
      if (result.claimed > 0)
        options.logger.info(result, 'Retried the follow-up steps of partial invitations.')
    },
    options,
  )
}
