import type { FastifyReply } from 'fastify'
import {
  type ErrorTrace,
  OAuthError,
  oauthErrorBody,
  setTokenEndpointHeaders,
} from '../entra/oauth-errors.js'
import { GRAPH_JSON, graphErrorBody } from '../graph/errors.js'

/**
 * The answers an injected fault produces, shaped as the real services send them:
 * Microsoft Graph's error JSON for Graph, and for the Entra endpoints what the security token service sends.
 */

/**
 * Graph's 429: the body of the throttling guide's sample response (`TooManyRequests`, "Please retry again later.",
 * an `innerError` that repeats the status) with `Retry-After`.
 */
export function sendGraphThrottled(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  const body = graphErrorBody(reply, 'TooManyRequests', 'Please retry again later.')
  Object.assign(body.error.innerError, { code: '429', message: 'Please retry after', status: '429' })
  return reply.code(429).header('Retry-After', String(retryAfterSeconds)).type(GRAPH_JSON).send(body)
}

/** Graph's 503 / 504 with `Retry-After`, in the `serviceNotAvailable` terms of Graph's error reference. */
export function sendGraphUnavailable(
  reply: FastifyReply,
  status: 503 | 504,
  retryAfterSeconds: number,
): FastifyReply {
  const message =
    status === 503
      ? 'The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, the length of which may be specified in a Retry-After header.'
      : 'The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request.'
  return reply
    .code(status)
    .header('Retry-After', String(retryAfterSeconds))
    .type(GRAPH_JSON)
    .send(graphErrorBody(reply, 'serviceNotAvailable', message))
}

/**
 * The token service's 429: status and `Retry-After` with the plain-text body "Too Many Requests", not OAuth JSON
 * (as MSAL.NET's maintainers reported it, AzureAD/microsoft-authentication-library-for-dotnet#2855).
 */
export function sendTokenServiceThrottled(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  return reply
    .code(429)
    .header('Retry-After', String(retryAfterSeconds))
    .type('text/plain; charset=utf-8')
    .send('Too Many Requests')
}

/**
 * The token service's "too busy": 503 / 504 with `Retry-After` and Entra's OAuth error `temporarily_unavailable`
 * (AADSTS90024, RequestBudgetExceededError: "A transient error has occurred. Try again.").
 */
export function sendTokenServiceUnavailable(
  reply: FastifyReply,
  status: 503 | 504,
  retryAfterSeconds: number,
  trace: ErrorTrace,
): FastifyReply {
  // OAuthError carries the body; the status is the fault's own.
  const error = new OAuthError(
    400,
    'temporarily_unavailable',
    90024,
    'A transient error has occurred. Try again.',
  )
  setTokenEndpointHeaders(reply, trace)
  return reply
    .code(status)
    .header('Retry-After', String(retryAfterSeconds))
    .type('application/json; charset=utf-8')
    .send(oauthErrorBody(error, trace))
}
