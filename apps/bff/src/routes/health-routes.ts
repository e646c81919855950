import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../store/types.js'

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
})

/**
 * `/healthz` (the process answers) and `/readyz` (the database answers and the signing keys can be fetched, so a
 * load balancer sends no traffic to an instance that would refuse every token).
 */
export async function healthRoutes(
  app: FastifyInstance,
  options: { database: Database; jwksUri: string },
): Promise<void> {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({
    status: 'ok',
  }))

  app.get(
    '/readyz',
    { schema: { tags: ['health'], response: { 200: Health, 503: Health } } },
    async (request, reply) => {
      const checks: Record<string, string> = {}
      const [database, keys] = await Promise.allSettled([
        options.database.ping(),
        signingKeyCount(options.jwksUri),
      ])
      checks.database = database.status === 'fulfilled' ? 'ok' : 'unreachable'
      checks.signingKeys =
        keys.status === 'fulfilled'
          ? keys.value > 0
            ? 'ok'
            : 'no RS256 keys in the JWKS'
          : 'JWKS unreachable'
      const ready = Object.values(checks).every((value) => value === 'ok')
      if (!ready) request.log.warn({ checks }, 'not ready')
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks })
    },
  )
}

async function signingKeyCount(jwksUri: string): Promise<number> {
  const response = await fetch(jwksUri, { signal: AbortSignal.timeout(5000) })
  if (!response.ok) throw new Error(`JWKS answered ${response.status}`)
  const { keys } = (await response.json()) as { keys?: { kty?: string; use?: string }[] }
  return (keys ?? []).filter((key) => key.kty === 'RSA' && key.use !== 'enc').length
}
