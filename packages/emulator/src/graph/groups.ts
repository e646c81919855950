import type { FastifyInstance } from 'fastify'
import type { DirectoryGroup } from '../state/directory.js'
import { authenticateGraphRequest, type GraphPrincipal, requirePermission } from './auth.js'
import { requireAccess, requireDelegatedScope } from './authorization.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { memberObjectsJson } from './group-membership.js'
import { contextUrl, parseSelect } from './select.js'
import { USER_PROPERTY_NAMES, USER_TYPE_NAME } from './user-view.js'
import { findVisibleUser } from './visibility.js'

const READ_MEMBERS = [
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
]
const WRITE_MEMBERS = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All']
const UPDATE_MEMBERS = ['microsoft.directory/groups/members/update']

const ALREADY_MEMBER =
  "One or more added object references already exist for the following modified properties: 'members'."

/** `@odata.id` of a directory object: Graph's own URL, or the same path on the emulator's host. */
const OBJECT_REFERENCE =
  /^https:\/\/([^/]+)\/(?:v1\.0|beta)\/(?:directoryObjects|users)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

/**
 * Group membership: `POST /v1.0/groups/{id}/members/$ref`, `GET /v1.0/groups/{id}/members`,
 * `DELETE /v1.0/groups/{id}/members/{memberId}/$ref`. Members are users and nested groups (listed as
 * `#microsoft.graph.group`; added through the seed or the state); a user still replicating is not found.
 */
export async function groupRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)
  const context = app.emulator

  app.post<{ Params: { groupId: string } }>('/v1.0/groups/:groupId/members/$ref', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireDelegatedScope(principal, reply, WRITE_MEMBERS)) return reply
    const group = findGroup(principal, request.params.groupId)
    if (!group) return sendResourceNotFound(reply, request.params.groupId)
    if (!requireAccess(principal, reply, membersUpdate(group))) return reply
    const reference = (request.body as { '@odata.id'?: unknown } | null)?.['@odata.id']
    const memberId = memberIdFromReference(reference, new URL(context.baseUrl).host)
    if (!memberId)
      return sendGraphError(
        reply,
        400,
        'Request_BadRequest',
        `Invalid object identifier '${String(reference ?? '')}'.`,
      )
    const member = findVisibleUser(context, principal.tenant, memberId)
    if (!member) return sendResourceNotFound(reply, memberId)
    if (group.members.has(member.id)) return sendGraphError(reply, 400, 'Request_BadRequest', ALREADY_MEMBER)
    group.members.add(member.id)
    return reply.code(204).send()
  })

  app.get<{ Params: { groupId: string } }>('/v1.0/groups/:groupId/members', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_MEMBERS)) return reply
    const group = findGroup(principal, request.params.groupId)
    if (!group) return sendResourceNotFound(reply, request.params.groupId)
    const select = parseSelect(
      (request.query as Record<string, unknown>).$select,
      USER_PROPERTY_NAMES,
      USER_TYPE_NAME,
    )
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('directoryObjects', select.properties, false),
      value: memberObjectsJson(principal, context, group.members, select.properties),
    })
  })

  app.delete<{ Params: { groupId: string; memberId: string } }>(
    '/v1.0/groups/:groupId/members/:memberId/$ref',
    async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!requireDelegatedScope(principal, reply, WRITE_MEMBERS)) return reply
      const group = findGroup(principal, request.params.groupId)
      if (!group) return sendResourceNotFound(reply, request.params.groupId)
      if (!requireAccess(principal, reply, membersUpdate(group))) return reply
      const memberId = request.params.memberId.toLowerCase()
      if (!group.members.has(memberId)) return sendResourceNotFound(reply, request.params.memberId)
      group.members.delete(memberId)
      return reply.code(204).send()
    },
  )
}

/** Changing a group's members: Graph's permissions, and the role permission (or ownership) the caller needs. */
function membersUpdate(group: DirectoryGroup) {
  return {
    scopes: WRITE_MEMBERS,
    applicationPermissions: WRITE_MEMBERS,
    actions: UPDATE_MEMBERS,
    target: { kind: 'group' as const, group },
  }
}

function findGroup(principal: GraphPrincipal, groupId: string): DirectoryGroup | undefined {
  return principal.tenant.groups.get(groupId.toLowerCase())
}

/** The object id named by an `@odata.id`, when it is a directory-object URL on Graph's host or ours. */
function memberIdFromReference(reference: unknown, emulatorHost: string): string | undefined {
  if (typeof reference !== 'string') return undefined
  const match = OBJECT_REFERENCE.exec(reference)
  if (!match) return undefined
  const host = (match[1] as string).toLowerCase()
  return host === 'graph.microsoft.com' || host === emulatorHost
    ? (match[2] as string).toLowerCase()
    : undefined
}
