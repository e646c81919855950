import type { FastifyRequest } from 'fastify'

/** Paths redacted from every log line: credentials and tokens never reach the logs. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.client_secret',
  '*.assertion',
  '*.refresh_token',
  '*.id_token',
]

/** Query parameters whose values are credentials wherever they appear (OAuth 2.0, OIDC, SAS and API keys). */
const CREDENTIAL_PARAMETERS = new Set([
  'access_token',
  'id_token',
  'refresh_token',
  'token',
  'code',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
  'api_key',
  'apikey',
  'key',
  'sig',
  'signature',
])

/** A JWS or JWE in compact form: its header is base64url JSON, so it starts `eyJ`. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}/

/**
 * The URL fit for a log line: values of credential parameters replaced by `[redacted]`, and the whole query
 * dropped when it holds something that looks like a JWT under any name.
 *
 * @example
 * redactUrl('/api/invitations?access_token=eyJ0eXAi…&limit=5') // '/api/invitations?access_token=[redacted]&limit=5'
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return JWT.test(url) ? '[redacted]' : url
  const path = url.slice(0, at)
  const query = url.slice(at + 1)
  if (JWT.test(path)) return '[redacted]'
  let decoded: string
  try {
    decoded = decodeURIComponent(query.replaceAll('+', ' '))
  } catch {
    decoded = query
  }
  if (JWT.test(query) || JWT.test(decoded)) return `${path}?[redacted]`
  const redacted = query
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? ''
      let plainName: string
      try {
        plainName = decodeURIComponent(name).toLowerCase()
      } catch {
        plainName = name.toLowerCase()
      }
      return CREDENTIAL_PARAMETERS.has(plainName) && pair.includes('=') ? `${name}=[redacted]` : pair
    })
    .join('&')
  return `${path}?${redacted}`
}

/**
 * pino serializers for Fastify's request log: Fastify's own fields, with the URL through {@link redactUrl}.
 * Pass them with {@link LOG_REDACT_PATHS} when you build the logger of a host that mounts the plugin.
 *
 * @example
 * Fastify({ logger: { redact: LOG_REDACT_PATHS, serializers: logSerializers } })
 */
export const logSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    }
  },
}
