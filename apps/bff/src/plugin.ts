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
import {
  type EventDeliverer,
  type EventDeliveryTiming,
  type GuestEventHook,
  hookDeliverer,
  startEventDelivery,
} from './events/event-delivery.js'
import { eventRoutes } from './events/event-routes.js'
import { createWebhookDeliverer } from './events/webhook.js'
import { jwksUri } from './identity/authority.js'
import { createAcceptanceCheck } from './invitations/acceptance-check.js'
import { configRoutes } from './invitations/config-routes.js'
import { startFollowUpRetrier } from './invitations/follow-up-retrier.js'
import { invitationRoutes } from './invitations/invitation-routes.js'
import { ConfigError } from './load-config.js'
import { authenticate } from './platform/authenticate.js'
import { healthRoutes } from './platform/health-routes.js'
import { startPeriodicTask } from './platform/periodic-task.js'
import { refuseUnstorableText, registerProblemHandlers } from './platform/problem-reply.js'
import { rateLimitsFor, readRateLimitFor } from './platform/rate-limits.js'
import { type BffServices, createServices, type ServiceOverrides } from './services.js'

export interface EntraShareOptions extends ServiceOverrides, GuestEventOptions {
  config: BffConfig
}

/** How a host hears of guests in-process. */
export interface GuestEventOptions {
  /**
   * Called with every event (`invitation.created`, `invitation.completed`, `invitation.partial`,
   * `invitation.failed`, `guest.accepted`, and governance's: `invitation.approval_requested`, `invitation.approved`,
   * `invitation.denied`, `invitation.expiring`, `invitation.extended`, `invitation.review_requested`,
   * `invitation.reviewed`, `invitation.removing`, `invitation.removed`):
   * at least once (deduplicate on `event.id`), in order per invitation, awaited. A throw is retried with backoff, like a failed webhook, for `ENTRA_SHARE_EVENT_RETRY_HOURS`.
   *
   * @example
   * await host.register(entraShare, {
   *   config,
   *   onGuest: async (event) => {
   *     if (event.type === 'invitation.created') await users.upsert(event.data.invitation.invitedUserId)
   *   },
   * })
   */
  onGuest?: GuestEventHook
  /** Event delivery timing over the defaults (polling, leases, backoff); tests shorten it. */
  eventDelivery?: Partial<EventDeliveryTiming>
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
    if (options.onGuest !== undefined && typeof options.onGuest !== 'function') {
      throw new TypeError(
        '@entra-share/bff: onGuest must be a function, (event, { signal }) => Promise<void>.',
      )
    }
    const services = await createServices(options.config, options)
    await verifyPresetGrants(options.config, services, host.log)
    host.decorate('entraShare', services)
    // Added before the routes' hooks, so it runs after them (onClose hooks run last-added first): the bulk worker
    // and the retrier stop before the database closes.
    host.addHook('onClose', () => services.close())
    await host.register(bffRoutes, {
      config: options.config,
      services,
      ...(options.onGuest ? { onGuest: options.onGuest } : {}),
      ...(options.eventDelivery ? { eventDelivery: options.eventDelivery } : {}),
    })
  },
  { name: '@entra-share/bff', fastify: '5.x' },
)

/** The encapsulated part: hooks, error handling, CORS, helmet, rate limits, docs, routes and background work. */
async function bffRoutes(
  app: FastifyInstance,
  {
    config,
    services,
    onGuest,
    eventDelivery,
  }: { config: BffConfig; services: BffServices } & GuestEventOptions,
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
    methods: ['GET', 'POST', 'DELETE'],
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
  await app.register(eventRoutes, { events: services.events, authenticate: authenticated })
  await app.register(healthRoutes, { database: services.database, jwksUri: jwksUri(config) })

  if (config.acceptanceCheckIntervalSeconds > 0) {
    const check = createAcceptanceCheck({ ...services, logger: app.log })
    const task = startPeriodicTask(
      'acceptance check',
      async () => {
        const result = await check.run()
        if (result.accepted > 0) app.log.info(result, 'Guests redeemed their invitations.')
      },
      { intervalSeconds: config.acceptanceCheckIntervalSeconds, logger: app.log },
    )
    app.addHook('onClose', () => task.stop())
  }

  // Every instance runs it; each piece of work is a SKIP LOCKED claim changed in its own transaction.
  if (config.governanceIntervalSeconds > 0) {
    const task = startPeriodicTask(
      'governance work',
      async () => {
        const result = await services.governance.run()
        if (Object.values(result).some((count) => count > 0))
          app.log.info(
            result,
            'Ran the governance work: request deadlines, reminders, expiries, reviews, removals.',
          )
      },
      { intervalSeconds: config.governanceIntervalSeconds, logger: app.log },
    )
    app.addHook('onClose', () => task.stop())
  }

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
        grants: services.grants,
        presets: config.presets,
        emailMode: config.emailMode,
        ...(services.mailer ? { mailer: services.mailer } : {}),
        logger: app.log,
        leaseSeconds: bulkSettings.leaseSeconds,
        reconcileSettleSeconds: bulkSettings.reconcileSettleSeconds,
        giveUpAfterSeconds: bulkSettings.giveUpAfterSeconds,
        holderTimeoutSeconds: bulkSettings.holderTimeoutSeconds,
      }),
      { pollIntervalMs: bulkSettings.pollIntervalMs, concurrency: bulkSettings.concurrency, logger: app.log },
    )
    // A job uploaded here starts at once, not at the next poll.
    services.bulk.onJobReady(() => worker.wake())
    // Before the services close: the batch in flight still records its outcomes.
    app.addHook('onClose', () => worker.stop())
  }

  // Every instance delivers events to the destinations it is configured with; leased SKIP LOCKED claims keep them
  // apart, and an invitation's events go out in order.
  const destinations: { webhook?: EventDeliverer; hook?: EventDeliverer } = {
    ...(config.webhook ? { webhook: createWebhookDeliverer(config.webhook) } : {}),
    ...(onGuest ? { hook: hookDeliverer(onGuest) } : {}),
  }
  if (Object.keys(destinations).length > 0) {
    const delivery = await startEventDelivery({
      store: services.events,
      destinations,
      logger: app.log,
      timing: {
        ...(config.eventRetryHours === undefined
          ? {}
          : { retryPeriodSeconds: config.eventRetryHours * 3600 }),
        ...eventDelivery,
      },
    })
    app.addHook('onClose', () => delivery.stop())
  }
}

/**
 * Start-up check of the presets' licences and app roles against the home tenant: one that does not resolve (a SKU
 * the tenant does not subscribe to, an app role the application does not define) stops start-up with a line naming
 * it. When Graph cannot be asked now, start-up goes on with a warning and each invitation resolves its preset.
 */
async function verifyPresetGrants(
  config: BffConfig,
  services: BffServices,
  log: { warn(details: object, message: string): void },
): Promise<void> {
  let problems: string[]
  try {
    problems = await services.grants.verify(config.tenantId)
  } catch (error) {
    log.warn(
      { err: error },
      "The presets' licences and app roles could not be checked against the tenant now; each invitation checks its own.",
    )
    return
  }
  if (problems.length > 0) {
    await services.close()
    throw new ConfigError(problems.map((problem) => `ENTRA_SHARE_PRESETS_FILE: ${problem}`))
  }
}
