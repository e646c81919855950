import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { createBulkProcessor } from './bulk/bulk-processor.js'
import { bulkRoutes } from './bulk/bulk-routes.js'
import { startBulkWorker } from './bulk/bulk-worker.js'
import type { BffConfig } from './config.js'
import { jwksUri } from './identity/authority.js'
import { configRoutes } from './invitations/config-routes.js'
import { startFollowUpRetrier } from './invitations/follow-up-retrier.js'
import { invitationRoutes } from './invitations/invitation-routes.js'
import { authenticate } from './platform/authenticate.js'
import { healthRoutes } from './platform/health-routes.js'
import { refuseUnstorableText, registerProblemHandlers } from './platform/problem-reply.js'
import { rateLimitsFor, readRateLimitFor } from './platform/rate-limits.js'
import { type BffServices, createServices, type ServiceOverrides } from './services.js'

export interface EntraShareOptions extends ServiceOverrides {
  config: BffConfig
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
 * The BFF as a Fastify plugin, and its one composition root: it builds the services ({@link createServices}),
 * decorates the host with them (`host.entraShare`, closed with the host) and mounts the routes in an encapsulated
 * child context, so its error handler, CORS and helmet apply to its own routes only. {@link buildApp} mounts it too.
 *
 * @example
 * import Fastify from 'fastify'
 * import { entraShare, loadConfig } from '@entra-share/bff'
 * const host = Fastify({ logger: true })
 * await host.register(entraShare, { config: loadConfig(process.env) })
 * host.entraShare.database // the BFF's services
 * await host.listen({ port: 3001 })
 */
export const entraShare = fp<EntraShareOptions>(
  async (host, options) => {
    const services = await createServices(options.config, options)
    host.decorate('entraShare', services)
    // Added before the routes' hooks, so it runs after them (onClose hooks run last-added first): the bulk worker
    // and the retrier stop before the database closes.
    host.addHook('onClose', () => services.close())
    await host.register(bffRoutes, { config: options.config, services })
  },
  { name: '@entra-share/bff', fastify: '5.x' },
)

/** The encapsulated part: hooks, error handling, CORS, helmet, rate limits, docs, routes and background work. */
async function bffRoutes(
  app: FastifyInstance,
  { config, services }: { config: BffConfig; services: BffServices },
): Promise<void> {
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
        invitations: services.invitations,
        graph: services.graph,
        tokens: services.tokens,
        inviterTokens: services.inviterTokens,
        instanceId: services.instanceId,
        followUpIdentities: config.followUpIdentities,
        emailMode: config.emailMode,
        ...(services.mailer ? { mailer: services.mailer } : {}),
        logger: app.log,
        leaseSeconds: bulkSettings.leaseSeconds,
        holderTimeoutSeconds: bulkSettings.holderTimeoutSeconds,
      }),
      { pollIntervalMs: bulkSettings.pollIntervalMs, concurrency: bulkSettings.concurrency, logger: app.log },
    )
    // Before the services close: the batch in flight still records its outcomes.
    app.addHook('onClose', () => worker.stop())
  }
}
