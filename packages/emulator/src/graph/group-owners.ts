import type { FastifyInstance } from 'fastify'
import { authenticateGraphRequest, holdsAnyPermission, requirePermission } from './auth.js'
import {
  DIRECTORY_OBJECT_PROPERTY_NAMES,
  DIRECTORY_OBJECT_TYPE_NAME,
  type DirectoryObjectEntry,
  directoryObjectJson,
} from './directory-object-view.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl, parseSelect } from './select.js'
import { servicePrincipalsOf } from './service-principal-view.js'
import { visibleUsers } from './visibility.js'

/** Listing a group's owners (https://learn.microsoft.com/graph/api/group-list-owners), least privileged first. */
const READ_OWNERS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
]

/** Permissions that let a caller read service principals; without one they come back with limited information. */
const READ_SERVICE_PRINCIPALS = [
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]

/**
 * `GET /v1.0/groups/{id}/owners`: the group's owners as `directoryObject`s (`#microsoft.graph.user` and
 * `#microsoft.graph.servicePrincipal`), with `$select`. Service principals come back as `@odata.type` and `id`
 * only when the caller may not read service principals, as Graph does for inaccessible object types.
 */
export async function groupOwnerRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get<{ Params: { groupId: string } }>('/v1.0/groups/:groupId/owners', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_OWNERS)) return reply
    const group = principal.tenant.groups.get(request.params.groupId.toLowerCase())
    if (!group) return sendResourceNotFound(reply, request.params.groupId)
    const select = parseSelect(
      (request.query as Record<string, unknown>).$select,
      DIRECTORY_OBJECT_PROPERTY_NAMES,
      DIRECTORY_OBJECT_TYPE_NAME,
    )
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    const owners: DirectoryObjectEntry[] = [
      ...visibleUsers(app.emulator, principal.tenant)
        .filter((user) => group.owners.has(user.id))
        .map((user) => ({ kind: 'user' as const, user })),
      ...servicePrincipalsOf(principal.tenant)
        .filter((servicePrincipal) => group.owners.has(servicePrincipal.id))
        .map((servicePrincipal) => ({ kind: 'servicePrincipal' as const, servicePrincipal })),
    ]
    const readsServicePrincipals = holdsAnyPermission(principal.permissions, READ_SERVICE_PRINCIPALS)
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('directoryObjects', select.properties, false),
      value: owners.map((owner) =>
        directoryObjectJson(
          owner,
          select.properties,
          owner.kind === 'servicePrincipal' && !readsServicePrincipals,
        ),
      ),
    })
  })
}
