import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify'
import type { RateLimitConfig } from '../config.js'
import { callerKey } from '../identity/caller.js'
import { ProblemError } from '../problem-error.js'

/**
 * One `onRequest` hook, run right after authentication and before the body is read, enforcing both limits: per
 * signed-in user (`tid:oid`) and a cap for the whole tenant. `@fastify/rate-limit` runs a single route limiter per request, so both are checked here with
 * `createRateLimit` on the plugin's store (in memory, or Redis when configured, shared by every instance).
 * Requires `@fastify/rate-limit` to be registered on `app`.
 */
export function rateLimitsFor(app: FastifyInstance, limits: RateLimitConfig): onRequestAsyncHookHandler {
  const perUser = app.createRateLimit({
    max: limits.perUserPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `user:${request.caller ? callerKey(request.caller) : request.ip}`,
  })
  const perTenant = app.createRateLimit({
    max: limits.perTenantPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `tenant:${request.caller?.tenantId ?? request.ip}`,
  })
  return async (request) => {
    for (const [check, who] of [
      [perUser, 'You have'],
      [perTenant, 'Your organization has'],
    ] as const) {
      const limit = await check(request)
      if (!limit.isAllowed && limit.isExceeded) {
        const retryAfterSeconds = Math.max(1, limit.ttlInSeconds)
        throw new ProblemError('rate_limited', {
          detail: `${who} sent too many invitations; try again in ${retryAfterSeconds} seconds.`,
          retryAfterSeconds,
        })
      }
    }
  }
}
