import type { FastifyInstance } from 'fastify'
import { authorizeRoutes } from './authorize.js'
import { deviceCodeRoutes } from './device-code.js'
import { discoveryRoutes } from './discovery.js'
import { tokenRoutes } from './token.js'

/** Entra ID: per-tenant OIDC discovery, JWKS, authorize (with a login page), the token endpoint and device codes. */
export async function entraRoutes(app: FastifyInstance): Promise<void> {
  await app.register(discoveryRoutes)
  await app.register(authorizeRoutes)
  await app.register(tokenRoutes)
  await app.register(deviceCodeRoutes)
}
