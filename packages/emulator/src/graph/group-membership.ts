import type { FastifyInstance } from 'fastify'
import type { EmulatorContext } from '../context.js'
import type { DirectoryGroup, TenantState } from '../state/directory.js'
import {
  authenticateGraphRequest,
  type GraphPrincipal,
  holdsAnyPermission,
  sendInsufficientPrivileges,
} from './auth.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { GROUP_PROPERTY_NAMES, groupJson } from './group-read.js'
import { contextUrl, GRAPH_SERVICE_ROOT, parseSelect } from './select.js'
import { USER_PROPERTY_NAMES, USER_TYPE_NAME, userJson } from './user-view.js'
import { findVisibleUser, visibleUsers } from './visibility.js'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** "You can check up to a maximum of 20 groups per request." (user-checkmembergroups) */
const MAX_GROUP_IDS = 20

const READ_MEMBERS = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All']
const READ_ALL_DIRECTORY = ['Directory.Read.All']
const READ_GROUPS = ['GroupMember.Read.All', 'Group.Read.All']

/**
 * The ids of every group `objectId` belongs to, directly or through nested groups (a group that is a member of a
 * group), as Entra's transitive membership counts it. Cycles are followed once.
 *
 * @example
 * transitiveGroupIds(tenant, meganId) // Set { apolloId, apolloApproversId }
 */
export function transitiveGroupIds(tenant: TenantState, objectId: string): Set<string> {
  const found = new Set<string>()
  let frontier = [objectId.toLowerCase()]
  while (frontier.length > 0) {
    const next: string[] = []
    for (const group of tenant.groups.values()) {
      if (found.has(group.id)) continue
      if (frontier.some((id) => group.members.has(id))) {
        found.add(group.id)
        next.push(group.id)
      }
    }
    frontier = next
  }
  return found
}

/** The members of `group` and of the groups nested in it, each once: users and the nested groups themselves. */
function transitiveMemberIds(tenant: TenantState, group: DirectoryGroup): Set<string> {
  const members = new Set<string>()
  const queue = [group]
  const seen = new Set([group.id])
  while (queue.length > 0) {
    const current = queue.shift() as DirectoryGroup
    for (const id of current.members) {
      members.add(id)
      const nested = tenant.groups.get(id)
      if (nested && !seen.has(nested.id)) {
        seen.add(nested.id)
        queue.push(nested)
      }
    }
  }
  return members
}

/**
 * A directory object of a member list (`GET …/members`, `…/transitiveMembers`): a user or a nested group, with its
 * `@odata.type` and the selected properties it has (`null`: each type's default set).
 */
export function memberObjectsJson(
  principal: GraphPrincipal,
  context: EmulatorContext,
  memberIds: ReadonlySet<string>,
  properties: string[] | null,
): Array<Record<string, unknown>> {
  const users = visibleUsers(context, principal.tenant)
    .filter((user) => memberIds.has(user.id))
    .map((user) => ({ '@odata.type': '#microsoft.graph.user', ...userJson(user, properties) }))
  const groups = [...principal.tenant.groups.values()]
    .filter((group) => memberIds.has(group.id))
    .map((group) => ({
      '@odata.type': '#microsoft.graph.group',
      ...groupJson(
        group,
        properties
          ? properties.filter((name) => (GROUP_PROPERTY_NAMES as readonly string[]).includes(name))
          : null,
      ),
    }))
  return [...users, ...groups]
}

/**
 * Transitive membership, as Entra counts it through nested groups:
 *
 * - `POST /v1.0/users/{id}/checkMemberGroups` `{ "groupIds": [...] }` (https://learn.microsoft.com/graph/api/user-checkmembergroups):
 *   the ids of those groups the user is a member of, directly or not; at most 20 ids; unknown groups are left out.
 * - `GET /v1.0/groups/{id}/transitiveMembers` (https://learn.microsoft.com/graph/api/group-list-transitivemembers):
 *   a flat list of every nested member, users and groups, with `$select`.
 */
export async function groupMembershipRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)
  const context = app.emulator

  app.post<{ Params: { id: string } }>('/v1.0/users/:id/checkMemberGroups', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    // "User.ReadBasic.All and GroupMember.Read.All … Directory.Read.All" (delegated); application: User.Read.All
    // with GroupMember.Read.All or Group.Read.All, or Directory.Read.All.
    const userReads = principal.user ? ['User.ReadBasic.All', 'User.Read.All'] : ['User.Read.All']
    const allowed =
      holdsAnyPermission(principal.permissions, READ_ALL_DIRECTORY) ||
      (holdsAnyPermission(principal.permissions, userReads) &&
        holdsAnyPermission(principal.permissions, READ_GROUPS))
    if (!allowed) return sendInsufficientPrivileges(reply)
    const groupIds = (request.body as { groupIds?: unknown } | null)?.groupIds
    if (!Array.isArray(groupIds) || !groupIds.every((id) => typeof id === 'string' && GUID.test(id))) {
      return sendGraphError(
        reply,
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'groupIds' of resource 'checkMemberGroups'.",
      )
    }
    if (groupIds.length > MAX_GROUP_IDS) {
      return sendGraphError(
        reply,
        400,
        'Request_BadRequest',
        `The number of group ids exceeds the maximum of ${MAX_GROUP_IDS}.`,
      )
    }
    const user = findVisibleUser(context, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    const memberOf = transitiveGroupIds(principal.tenant, user.id)
    const value = [...new Set((groupIds as string[]).map((id) => id.toLowerCase()))].filter((id) =>
      memberOf.has(id),
    )
    return reply
      .type(GRAPH_JSON)
      .send({ '@odata.context': `${GRAPH_SERVICE_ROOT}/$metadata#Collection(Edm.String)`, value })
  })

  app.get<{ Params: { groupId: string } }>(
    '/v1.0/groups/:groupId/transitiveMembers',
    async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!holdsAnyPermission(principal.permissions, READ_MEMBERS)) return sendInsufficientPrivileges(reply)
      const group = principal.tenant.groups.get(request.params.groupId.toLowerCase())
      if (!group) return sendResourceNotFound(reply, request.params.groupId)
      const select = parseSelect(
        (request.query as Record<string, unknown>).$select,
        USER_PROPERTY_NAMES,
        USER_TYPE_NAME,
      )
      if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
      return reply.type(GRAPH_JSON).send({
        '@odata.context': contextUrl('directoryObjects', select.properties, false),
        value: memberObjectsJson(
          principal,
          context,
          transitiveMemberIds(principal.tenant, group),
          select.properties,
        ),
      })
    },
  )
}
