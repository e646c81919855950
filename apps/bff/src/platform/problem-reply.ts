import type { ProblemCode } from '@entra-share/contracts'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isProblemError, ProblemError } from './problem-error.js'
import { findUnstorableText, quoteInput } from './storable-text.js'

/**
 * Sends a {@link ProblemError} as `application/problem+json` with its headers, `Retry-After` when it has one, and
 * the request id in the body (the `request-id` header is set for every response by the app).
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ProblemError): FastifyReply {
  const problem = problemDocument(request, error)
  for (const [name, value] of Object.entries(error.extras.headers ?? {})) reply.header(name, value)
  if (error.extras.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(error.extras.retryAfterSeconds))
  return reply.code(error.status).type('application/problem+json').send(problem)
}

/** The problem document of `error` for this request: the catalogued members, `instance` and `requestId`. */
export function problemDocument(request: FastifyRequest, error: ProblemError) {
  return { ...error.toProblem(), instance: pathOf(request), requestId: request.id }
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
      const field = quoteInput(
        [path, missing ?? extra].filter(Boolean).join('.') || fastifyError.validationContext || 'body',
        120,
      )
      return {
        field,
        message: validationSentence(field, issue.message ?? 'is not valid', extra && quoteInput(extra)),
      }
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
  if (fastifyError.code === 'FST_ERR_BAD_URL')
    return new ProblemError('invalid_request', {
      detail: 'The request URL is not valid: a path segment is not correctly percent-encoded.',
    })
  if (fastifyError.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new ProblemError('uri_too_long', { detail: 'A path segment of the request URL is too long.' })
  // Other errors that carry a 4xx (a plugin's refusal, such as a static file outside its folder) keep their 4xx:
  // the caller's mistake is never a 500, and a framework's own message never reaches the caller.
  const status = statusOf(error)
  if (status !== undefined && status >= 400 && status < 500) {
    const code = codeForStatus(status)
    return new ProblemError(code, { detail: statusDetails[code] ?? undefined })
  }
  return new ProblemError('internal_error', { cause: error })
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown }
  const value = statusCode ?? status
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

/** The catalogued code of a bare HTTP status (a 4xx without a more specific meaning). */
export function codeForStatus(status: number): ProblemCode {
  switch (status) {
    case 401:
      return 'unauthenticated'
    case 403:
      return 'forbidden'
    case 404:
    case 405:
    case 410:
      return 'not_found'
    case 413:
      return 'payload_too_large'
    case 414:
    case 431:
      return 'uri_too_long'
    case 429:
      return 'rate_limited'
    case 502:
      return 'upstream_error'
    case 503:
    case 504:
      return 'upstream_unavailable'
    default:
      return status >= 500 ? 'internal_error' : 'invalid_request'
  }
}

const statusDetails: Partial<Record<ProblemCode, string>> = {
  forbidden: 'The server refused to serve this resource.',
  not_found: 'There is no such resource.',
  uri_too_long: 'The request URL or its headers are too long.',
}

/** The path of the request, without the query (which may hold anything), fit to quote. */
function pathOf(request: FastifyRequest): string {
  return quoteInput(request.url.split('?')[0] ?? '/', 512)
}

function validationSentence(field: string, message: string, extra: string | undefined): string {
  if (extra) return `'${extra}' is not a known field.`
  if (message.startsWith('must have required property')) return `${field} is required.`
  if (message.startsWith('must match pattern')) return `${field} is not in the expected format.`
  return `${field} ${message}.`
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a malformed percent-encoding, a path
 * segment over `maxParamLength`) answer as catalogued problems too. A host that mounts the plugin passes it to
 * its own `Fastify({ frameworkErrors })`; {@link buildApp} does.
 *
 * @example
 * const host = Fastify({ frameworkErrors: problemFrameworkErrors })
 */
export function problemFrameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem = toProblemError(error)
  request.log.info({ code: problem.code }, 'request refused')
  reply.header('request-id', request.id)
  void sendProblem(request, reply, problem)
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
        detail: `There is no ${quoteInput(request.method, 16)} ${pathOf(request)}.`,
      }),
    ),
  )
  // Whatever a plugin answers on its own (the CORS plugin's text/plain "Invalid Preflight Request", a static
  // file's HTML error page) still leaves as a catalogued problem.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || isProblemJson(reply.getHeader('content-type'))) return payload
    const code = codeForStatus(reply.statusCode)
    const detail =
      request.method === 'OPTIONS' && reply.statusCode === 400
        ? 'A CORS preflight request needs the Origin and Access-Control-Request-Method headers.'
        : statusDetails[code]
    const problem = new ProblemError(code, detail === undefined ? {} : { detail })
    reply.code(problem.status).type('application/problem+json')
    return JSON.stringify(problemDocument(request, problem))
  })
}

function isProblemJson(contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.startsWith('application/problem+json')
}

/**
 * A `preValidation` hook that refuses any body, query or path value (or object key) holding NUL or an unpaired
 * surrogate, with `invalid_request` naming the field: such text can be neither stored (PostgreSQL refuses NUL in
 * `text` and `jsonb`) nor encoded as UTF-8, so it must stop at the edge.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  for (const [context, value] of [
    ['body', request.body],
    ['querystring', request.query],
    ['params', request.params],
  ] as const) {
    const path = findUnstorableText(value)
    if (path === undefined) continue
    const field = path === '' ? context : path
    throw new ProblemError('invalid_request', {
      detail: `${field} holds a NUL character or an unpaired surrogate, which cannot be stored; remove it.`,
      errors: [{ field, message: `${field} must not hold NUL characters or unpaired surrogates.` }],
    })
  }
}
