import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Directory, TenantState } from '../state/directory.js'
import { capabilityStatus, type SubscribedSkuRecord } from '../state/subscribed-skus.js'
import { authenticateGraphRequest, requirePermission } from './auth.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl, parseSelect } from './select.js'

/** Reading the tenant's subscriptions (https://learn.microsoft.com/graph/api/subscribedsku-list), least privileged first. */
const READ_SUBSCRIBED_SKUS = [
  'LicenseAssignment.Read.All',
  'Organization.Read.All',
  'Directory.Read.All',
  'LicenseAssignment.ReadWrite.All',
  'Organization.ReadWrite.All',
  'Directory.ReadWrite.All',
]

/** `microsoft.graph.subscribedSku` properties, in Graph's order. */
const SUBSCRIBED_SKU_PROPERTIES = [
  'accountId',
  'accountName',
  'appliesTo',
  'capabilityStatus',
  'consumedUnits',
  'id',
  'prepaidUnits',
  'servicePlans',
  'skuId',
  'skuPartNumber',
  'subscriptionIds',
]

const SUBSCRIBED_SKU_TYPE_NAME = 'microsoft.graph.subscribedSku'

type Query = Record<string, unknown>

/**
 * `GET /v1.0/subscribedSkus` and `GET /v1.0/subscribedSkus/{id}` (`{tenantId}_{skuId}`): the tenant's subscriptions
 * with `consumedUnits` counted from its users' licences; `$select` only, as Graph documents. Read-only: other methods
 * answer 405 through the not-found handler.
 */
export async function subscribedSkuRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get('/v1.0/subscribedSkus', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_SUBSCRIBED_SKUS)) return reply
    const select = selectOf(request, reply)
    if (!select) return reply
    const { tenant } = principal
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('subscribedSkus', select.properties, false),
      value: [...tenant.subscribedSkus.values()].map((sku) =>
        subscribedSkuJson(app.emulator.directory, tenant, sku, select.properties),
      ),
    })
  })

  app.get<{ Params: { id: string } }>('/v1.0/subscribedSkus/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_SUBSCRIBED_SKUS)) return reply
    const { tenant } = principal
    const [tenantId, skuId] = request.params.id.toLowerCase().split('_')
    const sku = tenantId === tenant.id && skuId ? tenant.subscribedSkus.get(skuId) : undefined
    if (!sku) return sendResourceNotFound(reply, request.params.id)
    const select = selectOf(request, reply)
    if (!select) return reply
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('subscribedSkus', select.properties, true),
      ...subscribedSkuJson(app.emulator.directory, tenant, sku, select.properties),
    })
  })
}

function selectOf(request: FastifyRequest, reply: FastifyReply): { properties: string[] | null } | undefined {
  const select = parseSelect(
    (request.query as Query).$select,
    SUBSCRIBED_SKU_PROPERTIES,
    SUBSCRIBED_SKU_TYPE_NAME,
  )
  if (select.ok) return select
  sendGraphError(reply, 400, 'BadRequest', select.message)
  return undefined
}

/**
 * A subscription as Graph serialises it (https://learn.microsoft.com/graph/api/resources/subscribedsku): `id` is
 * `{tenantId}_{skuId}`, `consumedUnits` the number of users holding the SKU.
 */
export function subscribedSkuJson(
  directory: Directory,
  tenant: TenantState,
  sku: SubscribedSkuRecord,
  properties: readonly string[] | null = null,
): Record<string, unknown> {
  const full: Record<string, unknown> = {
    accountId: sku.accountId,
    accountName: sku.accountName,
    appliesTo: sku.appliesTo,
    capabilityStatus: capabilityStatus(sku.prepaidUnits),
    consumedUnits: directory.consumedUnits(tenant, sku.skuId),
    id: `${tenant.id}_${sku.skuId}`,
    prepaidUnits: { ...sku.prepaidUnits },
    servicePlans: sku.servicePlans.map((plan) => ({ ...plan })),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: [...sku.subscriptionIds],
  }
  const json: Record<string, unknown> = {}
  for (const name of properties ?? SUBSCRIBED_SKU_PROPERTIES) json[name] = full[name]
  return json
}
