import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { jwksUri } from './authority.js'
import { createBulkProcessor } from './bulk/bulk-processor.js'
import { bulkRoutes } from './bulk/bulk-routes.js'
import { startBulkWorker } from './bulk/bulk-worker.js'
import type { BffConfig } from './config.js'
import { authenticate } from './http/authenticate.js'
import { refuseUnstorableText, registerProblemHandlers } from './http/problem-reply.js'
import { rateLimitsFor, readRateLimitFor } from './http/rate-limits.js'
import { startFollowUpRetrier } from './invitations/follow-up-retrier.js'
import { configRoutes } from './routes/config-routes.js'
import { healthRoutes } from './routes/health-routes.js'
import { invitationRoutes } from './routes/invitation-routes.js'
import { type BffServices, createServices, type ServiceOverrides } from './services.js'

export interface EntraShareOptions extends ServiceOverrides {
  config: BffConfig
  /** Services built by the caller (as {@link buildApp} does); the caller then closes them. */
  services?: BffServices
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The BFF's services (database, stores, invite service…), for hosts and tests. */
    entraShare: BffServices
  }
}

/** Headers a browser app must be able to read on our answers. */
const EXPOSED_HEADERS = ['WWW-Authenticate', 'Retry-After', 'request-id', 'Location', 'Idempotent-Replayed']

/**
 * The BFF as a Fastify plugin: mount it in a host app (it is encapsulated: its error handler, CORS and helmet
 * apply to its own routes only), or let {@link buildApp} mount it.
 *
 * @example
 * import Fastify from 'fastify'
 * import { entraShare, loadConfig } from '@entra-share/bff'
 * const host = Fastify({ logger: true })
 * await host.register(entraShare, { config: loadConfig(process.env) })
 * await host.listen({ port: 3001 })
 */
export async function entraShare(app: FastifyInstance, options: EntraShareOptions): Promise<void> {
  const { config } = options
  const services = options.services ?? (await createServices(config, options))
  if (!options.services) {
    app.decorate('entraShare', services)
    app.addHook('onClose', () => services.close())
  }

  app.addHook('onSend', async (request, reply) => {
    reply.header('request-id', request.id)
    // Answers of the API carry redeem URLs and directory data: no browser or proxy may keep a copy.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store')
  })
  registerProblemHandlers(app)
  app.addHook('preValidation', refuseUnstorableText)

  await app.register(cors, {
    origin: config.corsOrigins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'client-request-id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  })
  await app.register(helmet, { global: true })

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false })
    : undefined
  if (redis) app.addHook('onClose', async () => void (await redis.quit()))
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'entra-share-rate-' } : {}),
  })
  const rateLimits = [rateLimitsFor(app, config.rateLimits)]
  app.addHook('preParsing', readRateLimitFor(app, config.readRateLimitPerUserPerMinute))

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'entra-share BFF',
        version: '0.1.0',
        description:
          'Invite external users to Microsoft Entra ID B2B on behalf of the signed-in user. Errors are RFC 9457 ' +
          'problem+json documents with a catalogued `code`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  const authenticated = authenticate(services.validator)
  await app.register(invitationRoutes, {
    invites: services.invites,
    idempotency: services.idempotency,
    idempotencyLeaseSeconds: config.idempotencyLeaseSeconds,
    authenticate: authenticated,
    rateLimits,
  })
  await app.register(bulkRoutes, {
    bulk: services.bulk,
    authenticate: authenticated,
    rateLimits,
    maxFileBytes: services.bulkSettings.maxFileBytes,
  })
  await app.register(configRoutes, { config, authenticate: authenticated })
  await app.register(healthRoutes, { database: services.database, jwksUri: jwksUri(config) })

  if (config.followUpRetryIntervalSeconds > 0) {
    const retrier = startFollowUpRetrier(services.invites, {
      intervalSeconds: config.followUpRetryIntervalSeconds,
      logger: app.log,
    })
    app.addHook('onClose', () => retrier.stop())
  }

  // Every instance runs a bulk worker; SKIP LOCKED claims keep them apart.
  if (services.bulkSettings.workerEnabled) {
    const { bulkSettings } = services
    const worker = startBulkWorker(
      createBulkProcessor({
        store: services.bulkStore,
        graph: services.graph,
        tokens: services.tokens,
        inviterTokens: services.inviterTokens,
        instanceId: services.instanceId,
        followUpIdentities: config.followUpIdentities,
        logger: app.log,
        leaseSeconds: bulkSettings.leaseSeconds,
        holderTimeoutSeconds: bulkSettings.holderTimeoutSeconds,
      }),
      { pollIntervalMs: bulkSettings.pollIntervalMs, logger: app.log },
    )
    // Before the services close: the batch in flight still records its outcomes.
    app.addHook('onClose', () => worker.stop())
  }
}
