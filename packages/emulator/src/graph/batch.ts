import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { BATCH_ITEM_HEADER, BATCH_PATH } from '../faults/fault-injection.js'
import { authenticateGraphRequest } from './auth.js'
import { type BatchItem, parseBatchPayload } from './batch-payload.js'
import { GRAPH_JSON, graphErrorBody, sendGraphError } from './errors.js'

/** One entry of the `responses` array of a batch answer. */
interface BatchItemResponse {
  id: string
  status: number
  headers: Record<string, string>
  body?: unknown
}

/**
 * The response headers a batch item keeps, spelled as Graph spells them: the Graph SDK's `BatchResponseContent`
 * looks up `Content-Type` case-sensitively to decide whether a body is JSON.
 */
const ITEM_RESPONSE_HEADERS: Record<string, string> = {
  'cache-control': 'Cache-Control',
  'content-type': 'Content-Type',
  etag: 'ETag',
  location: 'Location',
  'odata-version': 'OData-Version',
  'retry-after': 'Retry-After',
  'www-authenticate': 'WWW-Authenticate',
  'x-ms-resource-unit': 'x-ms-resource-unit',
  'x-ms-throttle-information': 'x-ms-throttle-information',
  'x-ms-throttle-limit-percentage': 'x-ms-throttle-limit-percentage',
  'x-ms-throttle-scope': 'x-ms-throttle-scope',
}

/**
 * The envelope's token speaks for every item, so an item cannot bring its own or pose as an internal replay;
 * and the body is serialised again here, so the item's own Content-Length no longer applies.
 */
const HEADERS_NOT_FORWARDED = new Set(['authorization', 'content-length', BATCH_ITEM_HEADER])

/**
 * `POST /v1.0/$batch`: JSON batching as Microsoft Graph does it. The envelope is authenticated, then every item is
 * replayed against `/v1.0{url}` with the caller's token, so permissions, faults and the throttle budget apply per
 * item. Items run in parallel unless they depend on others; an item whose dependency did not succeed answers 424
 * without running. The envelope answers 200 whatever its items did.
 */
export async function batchRoutes(app: FastifyInstance): Promise<void> {
  app.post(BATCH_PATH, async (request, reply) => {
    if (!(await authenticateGraphRequest(request, reply))) return reply
    const payload = parseBatchPayload(request.body)
    if (!payload.ok) return sendGraphError(reply, 400, 'BadRequest', payload.message)
    const responses = await runBatch(
      payload.items,
      (item) => runItem(app, request, reply, item),
      (item) => failedDependency(reply, item),
    )
    return reply.code(200).type(GRAPH_JSON).send({ responses })
  })
}

/** Runs each item once its dependencies are done; answers in request order. */
async function runBatch(
  items: BatchItem[],
  execute: (item: BatchItem) => Promise<BatchItemResponse>,
  answerFailedDependency: (item: BatchItem) => BatchItemResponse,
): Promise<BatchItemResponse[]> {
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]))
  const started = new Map<BatchItem, Promise<BatchItemResponse>>()
  const start = (item: BatchItem): Promise<BatchItemResponse> => {
    const existing = started.get(item)
    if (existing) return existing
    const result = Promise.all(
      item.dependsOn.map((id) => start(byId.get(id.toLowerCase()) as BatchItem)),
    ).then((dependencies) =>
      dependencies.every((response) => isSuccess(response.status))
        ? execute(item)
        : answerFailedDependency(item),
    )
    started.set(item, result)
    return result
  }
  return Promise.all(items.map(start))
}

async function runItem(
  app: FastifyInstance,
  envelope: FastifyRequest,
  envelopeReply: FastifyReply,
  item: BatchItem,
): Promise<BatchItemResponse> {
  const versionSegment = /^\/(v1\.0|beta)(\/|\?|$)/i.exec(item.url)?.[1]
  if (versionSegment) {
    // The Graph SDK 3.0.7 leaves the version in batch URLs; Graph reads it as a resource segment.
    return errorItem(
      envelopeReply,
      item,
      400,
      'BadRequest',
      `Resource not found for the segment '${versionSegment}'.`,
    )
  }
  // Items share the envelope's client-request-id, so their errors name the caller's request.
  const clientRequestId = String(envelopeReply.getHeader('client-request-id'))
  const response = await app.inject({
    method: item.method,
    url: `/v1.0${item.url}`,
    headers: {
      ...forwardedHeaders(item.headers),
      'client-request-id': clientRequestId,
      ...(envelope.headers.authorization ? { authorization: envelope.headers.authorization } : {}),
      [BATCH_ITEM_HEADER]: item.id,
    },
    ...(item.body === undefined
      ? {}
      : { payload: typeof item.body === 'string' ? item.body : JSON.stringify(item.body) }),
  })
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    const spelled = ITEM_RESPONSE_HEADERS[name.toLowerCase()]
    if (spelled && value !== undefined) headers[spelled] = String(value)
  }
  return {
    id: item.id,
    status: response.statusCode,
    headers,
    ...itemBody(response.payload, headers['Content-Type']),
  }
}

function failedDependency(envelopeReply: FastifyReply, item: BatchItem): BatchItemResponse {
  return errorItem(
    envelopeReply,
    item,
    424,
    'FailedDependency',
    'The request depends on a request that failed.',
  )
}

// Item errors carry the envelope's request ids, as Graph's do.
function errorItem(
  envelopeReply: FastifyReply,
  item: BatchItem,
  status: number,
  code: string,
  message: string,
): BatchItemResponse {
  return {
    id: item.id,
    status,
    headers: { 'Content-Type': 'application/json' },
    body: graphErrorBody(envelopeReply, code, message),
  }
}

function forwardedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HEADERS_NOT_FORWARDED.has(name.toLowerCase())),
  )
}

function itemBody(payload: string, contentType: string | undefined): { body?: unknown } {
  if (payload === '') return {}
  if (!contentType?.toLowerCase().startsWith('application/json')) return { body: payload }
  try {
    return { body: JSON.parse(payload) }
  } catch {
    return { body: payload }
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}
