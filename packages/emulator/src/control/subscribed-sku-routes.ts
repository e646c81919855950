import type { FastifyInstance } from 'fastify'
import { subscribedSkuJson } from '../graph/subscribed-skus.js'

/**
 * `PATCH /_emulator/tenants/{tenant}/subscribedSkus/{skuId}` with `{ "prepaidUnits": { "enabled": 5 } }`: sets how many
 * units of a subscription are bought, as an admin buying licences would (the test seam behind
 * `directory.setPrepaidUnits`). Answers 200 with the subscription as `GET /v1.0/subscribedSkus` shows it; 404 for an
 * unknown tenant or SKU, 400 `invalid_request` for a bad body. `POST /_emulator/reset` restores the seed's units.
 */
export async function subscribedSkuControlRoutes(app: FastifyInstance): Promise<void> {
  const { directory } = app.emulator

  app.patch<{ Params: { tenant: string; skuId: string } }>(
    '/_emulator/tenants/:tenant/subscribedSkus/:skuId',
    async (request, reply) => {
      const tenant = directory.tenant(request.params.tenant)
      const sku = tenant?.subscribedSkus.get(request.params.skuId.toLowerCase())
      if (!tenant || !sku) {
        return reply.code(404).send({
          error: 'not_found',
          message: `No subscription to SKU ${request.params.skuId} in tenant ${request.params.tenant}`,
        })
      }
      const enabled = (request.body as { prepaidUnits?: { enabled?: unknown } } | null)?.prepaidUnits?.enabled
      if (typeof enabled !== 'number' || !Number.isSafeInteger(enabled) || enabled < 0) {
        return reply.code(400).send({
          error: 'invalid_request',
          message: 'The body must be { "prepaidUnits": { "enabled": <whole number, 0 or more> } }',
        })
      }
      directory.setPrepaidUnits(tenant.id, sku.skuId, enabled)
      return subscribedSkuJson(directory, tenant, sku)
    },
  )
}
