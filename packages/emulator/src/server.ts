import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import Fastify, { type FastifyInstance } from 'fastify'
import type { EmulatorContext } from './context.js'
import { controlRoutes } from './control/routes.js'
import { subscribedSkuControlRoutes } from './control/subscribed-sku-routes.js'
import { workloadIdentityRoutes } from './control/workload-identity-issuer.js'
import { entraRoutes } from './entra/index.js'
import { registerFaultInjection } from './faults/fault-injection.js'
import { graphRoutes } from './graph/index.js'
import { sendNotFound } from './graph/not-found.js'

export interface BuildEmulatorAppOptions {
  context: EmulatorContext
  https?: { key: string; cert: string }
  logger?: boolean
}

/** Builds the emulator's Fastify app without listening (tests may `inject` into it). */
export async function buildEmulatorApp(options: BuildEmulatorAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    ...(options.https ? { https: options.https } : {}),
    // Graph and Entra ids are case-insensitive GUIDs; keep URLs as sent.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    bodyLimit: 4 * 1024 * 1024,
    forceCloseConnections: true,
  })
  app.decorate('emulator', options.context)
  await app.register(formbody)
  await app.register(cookie)
  registerFaultInjection(app)
  await app.register(controlRoutes)
  await app.register(subscribedSkuControlRoutes)
  await app.register(workloadIdentityRoutes)
  await app.register(entraRoutes)
  await app.register(graphRoutes)
  // Unknown Graph segments answer as Graph does; other unknown paths keep Fastify's 404.
  app.setNotFoundHandler(sendNotFound)
  return app
}
