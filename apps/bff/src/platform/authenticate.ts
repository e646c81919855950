import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { AccessTokenValidator, Caller } from '../identity/caller.js'
import { ProblemError } from './problem-error.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The validated caller; set by the `authenticate` pre-handler on protected routes. */
    caller?: Caller
  }
}

/**
 * An `onRequest` hook that validates the bearer token and sets `request.caller` (401/403 problems otherwise). It runs
 * before the body is parsed and validated, so an anonymous caller learns nothing about the API but "sign in".
 * A request that sends the token more than once is 400 `invalid_request` (see {@link checkOneTokenMethod}).
 */
export function authenticate(validator: AccessTokenValidator): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    checkOneTokenMethod(request)
    request.caller = await validator.validate(request.headers.authorization)
  }
}

/**
 * RFC 6750 §2: "Clients MUST NOT use more than one method to transmit the token in each request", and §3.1 answers
 * such a request 400 `invalid_request`. Node's HTTP parser keeps only the first of two `Authorization` headers, so
 * they are counted in the raw headers, where every copy stays. A token in the query string (`access_token`) is
 * never read — alone, the request has no token (401) — but beside the header it is a second method.
 */
function checkOneTokenMethod(request: FastifyRequest): void {
  const raw = request.raw.rawHeaders
  let authorizations = 0
  for (let index = 0; index < raw.length; index += 2)
    if (raw[index]?.toLowerCase() === 'authorization') authorizations += 1
  if (authorizations > 1)
    throw invalidRequest('The request has more than one Authorization header; send the access token once.')
  if (authorizations === 1 && hasQueryToken(request.raw.url ?? ''))
    throw invalidRequest(
      'The request sends an access token in both the Authorization header and the query string; send it only in the header.',
    )
}

function hasQueryToken(url: string): boolean {
  const query = url.indexOf('?')
  return query !== -1 && new URLSearchParams(url.slice(query + 1)).has('access_token')
}

function invalidRequest(detail: string): ProblemError {
  // The details are fixed ASCII without quotes, safe inside the challenge's quoted string.
  return new ProblemError('invalid_request', {
    detail,
    headers: { 'WWW-Authenticate': `Bearer error="invalid_request", error_description="${detail}"` },
  })
}

/** The caller of a route protected by {@link authenticate}. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new ProblemError('unauthenticated', { detail: 'Sign in to call this endpoint.' })
  return request.caller
}
