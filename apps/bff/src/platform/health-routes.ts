import { ProblemDocument } from '@entra-share/contracts'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { ProblemError } from './problem-error.js'
import { problemDocument } from './problem-reply.js'
import type { Database } from './types.js'

const Checks = Type.Record(Type.String(), Type.String())
const Health = Type.Object({ status: Type.Literal('ok'), checks: Type.Optional(Checks) })
/** Not ready: like every error answer of the BFF, a catalogued problem (`upstream_unavailable`), with the checks. */
const NotReady = Type.Object({ ...ProblemDocument.properties, checks: Checks })

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
    { schema: { tags: ['health'], response: { 200: Health, 503: NotReady } } },
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
      const failing = Object.entries(checks).filter(([, value]) => value !== 'ok')
      if (failing.length === 0) return reply.send({ status: 'ok', checks })
      request.log.warn({ checks }, 'not ready')
      const problem = new ProblemError('upstream_unavailable', {
        detail: `Not ready: ${failing.map(([name, value]) => `${name} ${value}`).join('; ')}.`,
      })
      return reply
        .code(503)
        .type('application/problem+json')
        .send({ ...problemDocument(request, problem), checks })
    },
  )
}

async function signingKeyCount(jwksUri: string): Promise<number> {
  const response = await fetch(jwksUri, { signal: AbortSignal.timeout(5000) })
  if (!response.ok) throw new Error(`JWKS answered ${response.status}`)
  const { keys } = (await response.json()) as { keys?: { kty?: string; use?: string }[] }
  return (keys ?? []).filter((key) => key.kty === 'RSA' && key.use !== 'enc').length
}
