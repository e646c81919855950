import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** The `Content-Type` Graph sends with JSON bodies. */
export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

/**
 * Sets the `request-id` and `client-request-id` headers every Graph answer carries
 * (the client's own `client-request-id` is echoed, as Graph does).
 */
export function setGraphRequestIds(request: FastifyRequest, reply: FastifyReply): void {
  const requestId = randomUUID()
  const clientRequestId = headerValue(request.headers['client-request-id']) ?? requestId
  reply.header('request-id', requestId)
  reply.header('client-request-id', clientRequestId)
  reply.header(
    'x-ms-ags-diagnostic',
    JSON.stringify({ ServerInfo: { DataCenter: 'Emulator', Slice: 'E', Ring: '0' } }),
  )
}

/** Graph's error body: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
export function graphErrorBody(reply: FastifyReply, code: string, message: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': String(reply.getHeader('request-id') ?? ''),
        'client-request-id': String(reply.getHeader('client-request-id') ?? ''),
      },
    },
  }
}

/** Answers with a Graph-shaped error. */
export function sendGraphError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .type(GRAPH_JSON)
    .send(graphErrorBody(reply, code, message))
}

/** Graph's 404 for an object id that does not exist (also seen right after creation: replication delay). */
export function sendResourceNotFound(reply: FastifyReply, id: string): FastifyReply {
  return sendGraphError(
    reply,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  )
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
