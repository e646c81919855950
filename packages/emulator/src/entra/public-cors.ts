import type { FastifyInstance } from 'fastify'

// Entra serves its discovery documents and keys to any origin, for reading only.
const ALLOWED_METHODS = 'GET, OPTIONS'
const PREFLIGHT_MAX_AGE_SECONDS = '86400'

/**
 * Lets browsers on any origin read every answer of the plugin's routes (`Access-Control-Allow-Origin: *`,
 * errors included) and answers CORS preflights for the given paths, as Entra does for OpenID Connect discovery and
 * the signing keys: a single-page app without `authorityMetadata` fetches them itself. No credentials are involved,
 * so the wildcard is what the Fetch standard allows.
 */
export function allowAnyOriginToRead(app: FastifyInstance, paths: readonly string[]): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Access-Control-Allow-Origin', '*')
    reply.header('Access-Control-Allow-Methods', ALLOWED_METHODS)
    return payload
  })
  for (const path of paths) {
    app.options(path, async (request, reply) => {
      const requested = request.headers['access-control-request-headers']
      if (requested) reply.header('Access-Control-Allow-Headers', requested)
      reply.header('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS)
      return reply.code(204).send()
    })
  }
}
