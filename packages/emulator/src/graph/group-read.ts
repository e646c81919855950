import type { FastifyInstance } from 'fastify'
import type { DirectoryGroup } from '../state/directory.js'
import { authenticateGraphRequest, requirePermission } from './auth.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl, parseSelect } from './select.js'

/** Reading a group (Graph's list for `GET /groups/{id}`, least privileged first). */
const READ_GROUPS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
]

/** How each modelled `microsoft.graph.group` property is read; also the default set, in Graph's order. */
const GROUP_PROPERTIES = {
  id: (group) => group.id,
  description: (group) => group.description,
  displayName: (group) => group.displayName,
  groupTypes: () => [],
  mail: () => null,
  mailEnabled: () => false,
  mailNickname: (group) => group.mailNickname,
  securityEnabled: (group) => group.securityEnabled,
} satisfies Record<string, (group: DirectoryGroup) => unknown>

/** Every group property `$select` may name, in Graph's order. */
export const GROUP_PROPERTY_NAMES = Object.keys(GROUP_PROPERTIES) as Array<keyof typeof GROUP_PROPERTIES>
export const GROUP_TYPE_NAME = 'microsoft.graph.group'

/**
 * A group as Graph serialises it: the selected properties (`null`: the default set), in the order asked for.
 *
 * @example
 * groupJson(group, ['id', 'displayName']) // { id: '…', displayName: 'Project Apollo partners' }
 */
export function groupJson(
  group: DirectoryGroup,
  properties: readonly string[] | null,
): Record<string, unknown> {
  const json: Record<string, unknown> = {}
  for (const name of properties ?? GROUP_PROPERTY_NAMES) {
    json[name] = GROUP_PROPERTIES[name as keyof typeof GROUP_PROPERTIES](group)
  }
  return json
}

/** `GET /v1.0/groups/{id}` with `$select`; an unknown id is Graph's 404 `Request_ResourceNotFound`. */
export async function groupReadRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get<{ Params: { groupId: string } }>('/v1.0/groups/:groupId', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_GROUPS)) return reply
    const select = parseSelect(
      (request.query as Record<string, unknown>).$select,
      GROUP_PROPERTY_NAMES,
      GROUP_TYPE_NAME,
    )
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    const group = principal.tenant.groups.get(request.params.groupId.toLowerCase())
    if (!group) return sendResourceNotFound(reply, request.params.groupId)
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('groups', select.properties, true),
      ...groupJson(group, select.properties),
    })
  })
}
