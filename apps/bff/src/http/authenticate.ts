import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { AccessTokenValidator, Caller } from '../identity/caller.js'
import { ProblemError } from '../problem-error.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The validated caller; set by the `authenticate` pre-handler on protected routes. */
    caller?: Caller
  }
}

/**
 * An `onRequest` hook that validates the bearer token and sets `request.caller` (401/403 problems otherwise). It runs
 * before the body is parsed and validated, so an anonymous caller learns nothing about the API but "sign in".
 */
export function authenticate(validator: AccessTokenValidator): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.caller = await validator.validate(request.headers.authorization)
  }
}

/** The caller of a route protected by {@link authenticate}. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new ProblemError('unauthenticated', { detail: 'Sign in to call this endpoint.' })
  return request.caller
}
