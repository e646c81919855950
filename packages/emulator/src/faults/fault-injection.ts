import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { decodeJwt } from 'jose'
import { newErrorTrace } from '../entra/oauth-errors.js'
import { isSpaOrigin } from '../entra/redirect-uris.js'
import { paramReader } from '../entra/request-params.js'
import { setGraphRequestIds } from '../graph/errors.js'
import type { Directory } from '../state/directory.js'
import type { FaultEngine } from './engine.js'
import {
  sendGraphThrottled,
  sendGraphUnavailable,
  sendTokenServiceThrottled,
  sendTokenServiceUnavailable,
} from './responses.js'

/** Header the `$batch` route sets on the requests it replays internally, one per batch item. */
export const BATCH_ITEM_HEADER = 'x-emulator-batch-item'

/** Path of Graph's JSON batching endpoint. */
export const BATCH_PATH = '/v1.0/$batch'

const CONTROL_PREFIX = '/_emulator'
// What a single-page app may read of an Entra answer, as the token endpoint exposes it.
const SPA_EXPOSED_HEADERS = 'x-ms-request-id, client-request-id, x-ms-clitelem, Retry-After'
// Graph reports usage only once an app has consumed more than 0.8 of its limit, and caps the figure at 1.8.
const USAGE_REPORT_THRESHOLD = 0.8
const USAGE_REPORT_CAP = 1.8

// When each delayed request may be answered (`performance.now()` time), set as it arrives.
const answerDeadlines = new WeakMap<FastifyRequest, number>()

/**
 * Global `onRequest` hook: Graph request ids, the request's simulated latency, then the configured faults in a fixed
 * order — connection reset, 503/504, 429 rules, then the per-app+tenant throttle budget.
 * The `$batch` envelope can be reset or answered 503/504 like any request, but Graph throttles the requests
 * inside a batch one by one, so 429 rules and the budget apply to the items and never to the envelope.
 * Latency likewise: each item waits its own (items without `dependsOn` run side by side), the envelope none.
 * An `onSend` hook holds every answer back until its request's latency has passed since it arrived, fault answers
 * included; a connection reset is immediate.
 */
export function registerFaultInjection(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] as string
    if (path.startsWith(CONTROL_PREFIX)) return undefined
    const isGraph = path.startsWith('/v1.0/') || path.startsWith('/beta/')
    if (isGraph) setGraphRequestIds(request, reply)
    const { faults, directory, clock } = app.emulator
    const { method } = request
    const isBatchEnvelope = path.toLowerCase() === BATCH_PATH.toLowerCase()
    const latencyMs = isBatchEnvelope ? 0 : faults.latencyMs(method, path)
    if (latencyMs > 0) answerDeadlines.set(request, performance.now() + latencyMs)

    // A batch item has no connection of its own to drop.
    if (request.headers[BATCH_ITEM_HEADER] === undefined && faults.pick('connectionReset', method, path)) {
      reply.hijack()
      request.raw.socket.destroy()
      return reply
    }
    const unavailable = faults.pick('unavailable', method, path)
    if (unavailable) {
      const status = unavailable.status ?? 503
      const retryAfter = unavailable.retryAfterSeconds ?? 1
      if (isGraph) return sendGraphUnavailable(reply, status, retryAfter)
      exposeToSinglePageApp(request, reply, directory, path)
      const clientRequestId = paramReader(request.query, request.headers)('client-request-id')
      return sendTokenServiceUnavailable(reply, status, retryAfter, newErrorTrace(clientRequestId, clock()))
    }
    if (isBatchEnvelope) return undefined
    const throttle = faults.pick('throttle', method, path)
    if (throttle) {
      const retryAfter = throttle.retryAfterSeconds ?? 1
      if (isGraph) return sendGraphThrottled(reply, retryAfter)
      exposeToSinglePageApp(request, reply, directory, path)
      return sendTokenServiceThrottled(reply, retryAfter)
    }
    return isGraph ? spendThrottleBudget(faults, request, reply) : undefined
  })

  app.addHook('onSend', async (request, _reply, payload) => {
    const deadline = answerDeadlines.get(request)
    if (deadline !== undefined) {
      answerDeadlines.delete(request)
      const waitMs = deadline - performance.now()
      if (waitMs > 0) await sleep(waitMs)
    }
    return payload
  })
}

/**
 * The `x-ms-throttle-limit-percentage` value for a share of the limit used: Graph's Identity and access sends it only
 * past 0.8 of the limit, as a figure from 0.8 to 1.8.
 *
 * @example
 * throttleLimitPercentage(0.8) // undefined
 * throttleLimitPercentage(0.93) // '0.9'
 * throttleLimitPercentage(2.4) // '1.8'
 */
export function throttleLimitPercentage(usedFraction: number): string | undefined {
  if (usedFraction <= USAGE_REPORT_THRESHOLD) return undefined
  return Math.min(USAGE_REPORT_CAP, usedFraction).toFixed(1)
}

/**
 * Counts the request against its app+tenant budget with Identity and access's headers: `x-ms-resource-unit` always,
 * `x-ms-throttle-limit-percentage` past 0.8 of the limit, and on a 429 the throttle scope and reason.
 */
function spendThrottleBudget(faults: FaultEngine, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-ms-resource-unit', '1')
  const caller = callerOf(request)
  // Requests without a readable token fail authentication; no app's budget pays for them.
  if (!caller) return undefined
  const decision = faults.spendBudget(caller.tenantId, caller.appId)
  const usage = throttleLimitPercentage(decision.usedFraction)
  if (usage !== undefined) reply.header('x-ms-throttle-limit-percentage', usage)
  if (decision.allowed) return undefined
  reply.header('x-ms-throttle-scope', `Tenant_Application/ReadWrite/${caller.appId}/${caller.tenantId}`)
  reply.header('x-ms-throttle-information', 'ResourceUnitLimitExceeded')
  return sendGraphThrottled(reply, decision.retryAfterSeconds)
}

/**
 * Lets a browser app read an Entra fault answer (status, `Retry-After`) when its origin may call the tenant's
 * endpoints, as it reads the endpoint's own answers; MSAL.js throttles on them only if it can read them.
 */
function exposeToSinglePageApp(
  request: FastifyRequest,
  reply: FastifyReply,
  directory: Directory,
  path: string,
): void {
  const { origin } = request.headers
  const tenant = directory.tenant(path.split('/')[1] ?? '')
  if (!origin || !tenant || !isSpaOrigin(tenant, origin)) return
  reply.header('Access-Control-Allow-Origin', origin)
  reply.header('Access-Control-Expose-Headers', SPA_EXPOSED_HEADERS)
  reply.header('Vary', 'Origin')
}

/** `tid` and `appid` of the bearer token, unverified: the budget is spent before the route authenticates. */
function callerOf(request: FastifyRequest): { tenantId: string; appId: string } | undefined {
  const token = request.headers.authorization?.replace(/^Bearer\s+/i, '') ?? ''
  try {
    const claims = decodeJwt(token)
    const appId = claims.appid ?? claims.azp
    if (typeof claims.tid !== 'string' || typeof appId !== 'string') return undefined
    return { tenantId: claims.tid, appId }
  } catch {
    return undefined
  }
}
