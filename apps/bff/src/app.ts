import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { BffConfig } from './config.js'
import { problemFrameworkErrors } from './platform/problem-reply.js'

export { LOG_REDACT_PATHS, logSerializers, redactUrl } from './platform/log-redaction.js'

import { entraShare, type GuestEventOptions } from './plugin.js'
import type { ServiceOverrides } from './services.js'

export interface BuildAppOptions extends ServiceOverrides, GuestEventOptions {
  /** Fastify's logger option (pino); `false` by default. `server.ts` passes the redacting production logger. */
  logger?: FastifyServerOptions['logger']
  /** Trust `X-Forwarded-*` from a reverse proxy (for the client IP). @default false */
  trustProxy?: boolean
}

/**
 * Builds the BFF app without listening: tests `inject` into it, `server.ts` listens.
 *
 * @example
 * const app = await buildApp(loadConfig(process.env))
 * const response = await app.inject({ method: 'GET', url: '/healthz' })
 * await app.close()
 */
export async function buildApp(config: BffConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { logger, trustProxy, ...overrides } = options
  const app = Fastify({
    logger: logger ?? false,
    trustProxy: trustProxy ?? false,
    // The plugin opens the database (PGlite's start and the migrations) and checks the presets in the home tenant
    // before it is ready: seconds on an idle machine, more than Fastify's 10 s default on a loaded one.
    pluginTimeout: 60_000,
    bodyLimit: config.bodyLimitBytes,
    genReqId: (request) => {
      // Keep a caller's client-request-id when it is a sane token, so both sides log the same id.
      const sent = request.headers['client-request-id']
      return typeof sent === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(sent) ? sent : randomUUID()
    },
    frameworkErrors: problemFrameworkErrors,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()
  await app.register(entraShare, { config, ...overrides })
  return app
}
