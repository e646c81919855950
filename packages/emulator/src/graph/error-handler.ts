import type { FastifyInstance } from 'fastify'
import { sendGraphError } from './errors.js'

/** Graph's answer to a body it cannot read as JSON (bad JSON, empty body, wrong Content-Type). */
const UNREADABLE_JSON_MESSAGE =
  'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'

/**
 * Answers errors thrown inside a Graph route plugin in Graph's error shape instead of Fastify's.
 * Fastify error handlers are scoped to the plugin that sets them, so each Graph plugin calls this.
 */
export function useGraphErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, request, reply) => {
    if (error.code?.startsWith('FST_ERR_CTP_') || error.statusCode === 415) {
      return sendGraphError(reply, 400, 'BadRequest', UNREADABLE_JSON_MESSAGE)
    }
    request.log.error(error)
    return sendGraphError(
      reply,
      500,
      'UnknownError',
      `The emulator failed to handle the request: ${error.message}`,
    )
  })
}
