import { randomUUID } from 'node:crypto'
import type { FastifyReply } from 'fastify'

/** Optional members of Entra's OAuth error body. */
export interface OAuthErrorExtras {
  /** `consent_required`, `basic_action`, ... (MSAL turns several of these into InteractionRequiredAuthError). */
  suberror?: string
  /** A claims challenge (JSON text) the client must send back on its next interactive request. */
  claims?: string
}

/** An OAuth 2.0 error as Entra ID answers it: an `error` code, an AADSTS number and its message. */
export class OAuthError extends Error {
  override name = 'OAuthError'

  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly aadsts: number,
    description: string,
    readonly extras: OAuthErrorExtras = {},
  ) {
    super(`AADSTS${aadsts}: ${description}`)
  }
}

/** Trace facts Entra appends to every error it reports. */
export interface ErrorTrace {
  traceId: string
  correlationId: string
  /** `2025-01-23 22:36:25Z`, Entra's format. */
  timestamp: string
}

/** A fresh trace; the correlation id is the client's `client-request-id` when it sent one, as Entra echoes it. */
export function newErrorTrace(clientRequestId: string | undefined, now: number): ErrorTrace {
  return {
    traceId: randomUUID(),
    correlationId: clientRequestId && clientRequestId.length <= 64 ? clientRequestId : randomUUID(),
    timestamp: entraTimestamp(now),
  }
}

/** `2025-01-23 22:36:25Z`: how Entra writes times in error bodies and descriptions. */
function entraTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z')
}

/** `2024-06-20T11:53:16.0000000Z`: the seven-digit form Entra uses for times inside AADSTS messages. */
export function entraPreciseTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
}

/**
 * The JSON body of a token or discovery error, field for field as Entra sends it. Current Entra separates the
 * trace facts in `error_description` with spaces (raw 2025 sample: stevenmaguire/oauth2-microsoft issue #31).
 */
export function oauthErrorBody(error: OAuthError, trace: ErrorTrace) {
  const { error: code, error_description, error_uri, ...extras } = oauthErrorParams(error, trace)
  return {
    error: code,
    error_description,
    error_codes: [error.aadsts],
    timestamp: trace.timestamp,
    trace_id: trace.traceId,
    correlation_id: trace.correlationId,
    error_uri,
    ...extras,
  }
}

/** The query/fragment/form parameters of an error sent back to the app's redirect URI. */
export function oauthErrorParams(error: OAuthError, trace: ErrorTrace): Record<string, string> {
  return {
    error: error.error,
    error_description: describe(error, trace),
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    ...(error.extras.suberror ? { suberror: error.extras.suberror } : {}),
    ...(error.extras.claims ? { claims: error.extras.claims } : {}),
  }
}

/** The full `AADSTSnnn: message Trace ID: ... Correlation ID: ... Timestamp: ...` text. */
function describe(error: OAuthError, trace: ErrorTrace): string {
  return `${error.message} Trace ID: ${trace.traceId} Correlation ID: ${trace.correlationId} Timestamp: ${trace.timestamp}`
}

/** Sends an OAuth error with the headers Entra's token endpoint sets. */
export function sendOAuthError(reply: FastifyReply, error: OAuthError, trace: ErrorTrace): FastifyReply {
  setTokenEndpointHeaders(reply, trace)
  return reply.code(error.status).type('application/json; charset=utf-8').send(oauthErrorBody(error, trace))
}

/** `Cache-Control`, `Pragma` and the request ids Entra puts on every token endpoint answer. */
export function setTokenEndpointHeaders(reply: FastifyReply, trace: ErrorTrace): void {
  reply.header('Cache-Control', 'no-store, no-cache')
  reply.header('Pragma', 'no-cache')
  reply.header('x-ms-request-id', trace.traceId)
  reply.header('client-request-id', trace.correlationId)
}
