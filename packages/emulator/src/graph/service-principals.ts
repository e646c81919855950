import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { authenticateGraphRequest, type GraphPrincipal, requirePermission } from './auth.js'
import { parseEqualityFilter } from './equality-filter.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl, parseSelect } from './select.js'
import {
  SERVICE_PRINCIPAL_PROPERTY_NAMES,
  SERVICE_PRINCIPAL_TYPE_NAME,
  type ServicePrincipalView,
  selectProperties,
  servicePrincipalsOf,
} from './service-principal-view.js'

/** Reading service principals (Graph's list for `GET /servicePrincipals`, least privileged first). */
const READ_SERVICE_PRINCIPALS = [
  'Application.Read.All',
  'Application.ReadWrite.OwnedBy',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]

/** OData alternate key: `(appId='…')`. */
const APP_ID_KEY = /^\(appId='([^']*)'\)$/i

type Query = Record<string, unknown>

/**
 * `GET /v1.0/servicePrincipals` (`$filter` by `appId`, `id` or `displayName`; `$select`),
 * `GET /v1.0/servicePrincipals/{id}` and `GET /v1.0/servicePrincipals(appId='{appId}')`.
 * As in Entra, an app may read its own service principal with an app-only token and no permission at all.
 */
export async function servicePrincipalRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get<{ Params: { key: string } }>('/v1.0/servicePrincipals:key(^\\(.+\\)$)', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    const appId = APP_ID_KEY.exec(request.params.key)?.[1]
    if (appId === undefined) {
      return sendGraphError(
        reply,
        400,
        'BadRequest',
        `The key segment '${request.params.key}' is not valid for 'servicePrincipals'; use (appId='{appId}').`,
      )
    }
    const found = servicePrincipalsOf(principal.tenant).find(
      (candidate) => candidate.appId === appId.toLowerCase(),
    )
    return sendOne(request, reply, principal, found, appId)
  })

  app.get<{ Params: { id: string } }>('/v1.0/servicePrincipals/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    const id = request.params.id.toLowerCase()
    const found = servicePrincipalsOf(principal.tenant).find((candidate) => candidate.id === id)
    return sendOne(request, reply, principal, found, request.params.id)
  })

  app.get('/v1.0/servicePrincipals', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_SERVICE_PRINCIPALS)) return reply
    const query = request.query as Query
    const select = parseSelect(query.$select, SERVICE_PRINCIPAL_PROPERTY_NAMES, SERVICE_PRINCIPAL_TYPE_NAME)
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    let principals = servicePrincipalsOf(principal.tenant)
    if (typeof query.$filter === 'string') {
      const filter = parseEqualityFilter<ServicePrincipalView>(query.$filter, {
        filterable: {
          id: (sp) => sp.id,
          appId: (sp) => sp.appId,
          displayName: (sp) => sp.displayName,
        },
        declared: SERVICE_PRINCIPAL_PROPERTY_NAMES,
        typeName: SERVICE_PRINCIPAL_TYPE_NAME,
        resourceName: 'ServicePrincipal',
      })
      if (!filter.ok) return sendGraphError(reply, 400, filter.code, filter.message)
      principals = principals.filter(filter.predicate)
    }
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('servicePrincipals', select.properties, false),
      value: principals.map((sp) =>
        selectProperties(sp, select.properties, SERVICE_PRINCIPAL_PROPERTY_NAMES),
      ),
    })
  })
}

function sendOne(
  request: FastifyRequest,
  reply: FastifyReply,
  principal: GraphPrincipal,
  found: ServicePrincipalView | undefined,
  requestedKey: string,
): FastifyReply {
  // Entra lets an app read its own service principal without any permission (app-only tokens).
  const ownServicePrincipal = principal.user === null && found?.appId === principal.appId.toLowerCase()
  if (!ownServicePrincipal && !requirePermission(principal, reply, READ_SERVICE_PRINCIPALS)) return reply
  if (!found) return sendResourceNotFound(reply, requestedKey)
  const select = parseSelect(
    (request.query as Query).$select,
    SERVICE_PRINCIPAL_PROPERTY_NAMES,
    SERVICE_PRINCIPAL_TYPE_NAME,
  )
  if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
  return reply.type(GRAPH_JSON).send({
    '@odata.context': contextUrl('servicePrincipals', select.properties, true),
    ...selectProperties(found, select.properties, SERVICE_PRINCIPAL_PROPERTY_NAMES),
  })
}
