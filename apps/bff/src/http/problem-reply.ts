import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isProblemError, ProblemError } from '../problem-error.js'

/**
 * Sends a {@link ProblemError} as `application/problem+json` with its headers, `Retry-After` when it has one, and
 * the request id in the body (the `request-id` header is set for every response by the app).
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ProblemError): FastifyReply {
  const problem = { ...error.toProblem(), instance: request.url.split('?')[0], requestId: request.id }
  for (const [name, value] of Object.entries(error.extras.headers ?? {})) reply.header(name, value)
  if (error.extras.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(error.extras.retryAfterSeconds))
  return reply.code(error.status).type('application/problem+json').send(problem)
}

/**
 * Turns whatever was thrown into a catalogued problem: our own ProblemErrors as they are, Fastify's schema
 * validation into `invalid_request` with one entry per field, oversized bodies into `payload_too_large`, and
 * anything else into `internal_error` without internals (the cause is logged, never sent).
 */
export function toProblemError(error: unknown): ProblemError {
  if (isProblemError(error)) return error
  const fastifyError = error as FastifyError
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((issue) => {
      const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty
      const extra = (issue.params as { additionalProperty?: string } | undefined)?.additionalProperty
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
      const field =
        [path, missing ?? extra].filter(Boolean).join('.') || fastifyError.validationContext || 'body'
      return { field, message: validationSentence(field, issue.message ?? 'is not valid', extra) }
    })
    return new ProblemError('invalid_request', {
      detail: errors.map((entry) => entry.message).join(' '),
      errors,
    })
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new ProblemError('payload_too_large', {
      detail: 'The request body is larger than the BFF accepts.',
    })
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new ProblemError('invalid_request', { detail: 'Send the request body as application/json.' })
  if (
    fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
  )
    return new ProblemError('invalid_request', { detail: 'The request body is not valid JSON.' })
  if (fastifyError.statusCode === 400 && fastifyError instanceof SyntaxError)
    return new ProblemError('invalid_request', { detail: 'The request body is not valid JSON.' })
  return new ProblemError('internal_error', { cause: error })
}

function validationSentence(field: string, message: string, extra: string | undefined): string {
  if (extra) return `'${extra}' is not a known field.`
  if (message.startsWith('must have required property')) return `${field} is required.`
  if (message.startsWith('must match pattern')) return `${field} is not in the expected format.`
  return `${field} ${message}.`
}

/** Installs the problem+json error and not-found handlers on `app` (and its children). */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblemError(error)
    if (problem.status >= 500)
      request.log.error({ err: problem.extras.cause ?? problem, code: problem.code }, problem.message)
    else request.log.info({ code: problem.code }, 'request refused')
    return sendProblem(request, reply, problem)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new ProblemError('not_found', {
        detail: `There is no ${request.method} ${request.url.split('?')[0]}.`,
      }),
    ),
  )
}
