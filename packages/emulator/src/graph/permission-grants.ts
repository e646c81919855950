import type { FastifyInstance } from 'fastify'
import { authenticateGraphRequest, requirePermission } from './auth.js'
import { parseEqualityFilter } from './equality-filter.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError } from './errors.js'
import { contextUrl, parseSelect } from './select.js'
import {
  PERMISSION_GRANT_PROPERTY_NAMES,
  PERMISSION_GRANT_TYPE_NAME,
  type PermissionGrantView,
  permissionGrantsOf,
  selectProperties,
} from './service-principal-view.js'

/**
 * Reading delegated permission grants (Graph's list for `GET /oauth2PermissionGrants`). `Application.Read.All` is
 * not enough here, unlike for service principals.
 */
const READ_GRANTS = [
  'Directory.Read.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'Directory.ReadWrite.All',
]

/**
 * `GET /v1.0/oauth2PermissionGrants` with `$filter` on `clientId`, `resourceId`, `consentType` or `principalId`
 * (the client's service principal id, not its app id) and `$select`.
 */
export async function permissionGrantRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get('/v1.0/oauth2PermissionGrants', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_GRANTS)) return reply
    const query = request.query as Record<string, unknown>
    const select = parseSelect(query.$select, PERMISSION_GRANT_PROPERTY_NAMES, PERMISSION_GRANT_TYPE_NAME)
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    let grants = permissionGrantsOf(principal.tenant)
    if (typeof query.$filter === 'string') {
      const filter = parseEqualityFilter<PermissionGrantView>(query.$filter, {
        filterable: {
          clientId: (grant) => grant.clientId,
          resourceId: (grant) => grant.resourceId,
          consentType: (grant) => grant.consentType,
          principalId: (grant) => grant.principalId,
        },
        declared: PERMISSION_GRANT_PROPERTY_NAMES,
        typeName: PERMISSION_GRANT_TYPE_NAME,
        resourceName: 'OAuth2PermissionGrant',
      })
      if (!filter.ok) return sendGraphError(reply, 400, filter.code, filter.message)
      grants = grants.filter(filter.predicate)
    }
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('oauth2PermissionGrants', select.properties, false),
      value: grants.map((grant) =>
        selectProperties(grant, select.properties, PERMISSION_GRANT_PROPERTY_NAMES),
      ),
    })
  })
}
