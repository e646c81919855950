import type { FastifyInstance, onRequestAsyncHookHandler, preParsingAsyncHookHandler } from 'fastify'
import type { RateLimitConfig } from '../config.js'
import { callerKey } from '../identity/caller.js'
import { ProblemError } from './problem-error.js'

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
      refuseWhenExceeded(await check(request), `${who} sent too many invitations`)
    }
  }
}

/** Throws `rate_limited` with `Retry-After` when `limit` is exceeded; `what` begins the sentence. */
function refuseWhenExceeded(
  limit: { isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number },
  what: string,
): void {
  if (limit.isAllowed || !limit.isExceeded) return
  const retryAfterSeconds = Math.max(1, limit.ttlInSeconds)
  throw new ProblemError('rate_limited', {
    detail: `${what}; try again in ${retryAfterSeconds} seconds.`,
    retryAfterSeconds,
  })
}

/**
 * A `preParsing` hook limiting reads (`GET`/`HEAD`) per signed-in user. Mounted at the plugin's level, it runs after
 * each route's own `onRequest` (authentication), so it knows the caller; anonymous requests never get this far on
 * protected routes and public ones (health, docs) are not counted. Reads call Graph (`externalUserState`), whose
 * throttling budget every user of the app shares, so one user's polling must not spend it all.
 */
export function readRateLimitFor(app: FastifyInstance, perUserPerMinute: number): preParsingAsyncHookHandler {
  const perUser = app.createRateLimit({
    max: perUserPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `read:${request.caller ? callerKey(request.caller) : request.ip}`,
  })
  return async (request) => {
    if (!request.caller || (request.method !== 'GET' && request.method !== 'HEAD')) return
    refuseWhenExceeded(await perUser(request), 'You have made too many requests')
  }
}
