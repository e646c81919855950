import type { FastifyInstance } from 'fastify'
import type { EmulatorContext } from '../context.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import { MAX_SPONSORS, sponsorsOf } from '../state/sponsors.js'
import { authenticateGraphRequest, holdsAnyPermission } from './auth.js'
import { type AccessRule, requireAccess, requireDelegatedScope } from './authorization.js'
import {
  DIRECTORY_OBJECT_PROPERTY_NAMES,
  DIRECTORY_OBJECT_TYPE_NAME,
  type DirectoryObjectEntry,
  directoryObjectJson,
} from './directory-object-view.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl, parseSelect } from './select.js'
import { findVisibleUser } from './visibility.js'

/** `GET /users/{id}/sponsors`, delegated (https://learn.microsoft.com/graph/api/user-list-sponsors). */
const READ_SPONSORS_DELEGATED = ['User.Read', 'User.Read.All', 'User.ReadWrite.All']
/** The same, app-only: `User.Read` is delegated only. */
const READ_SPONSORS_APP = ['User.Read.All', 'User.ReadWrite.All']
/** Adding and removing sponsors (https://learn.microsoft.com/graph/api/user-post-sponsors, user-delete-sponsors). */
const WRITE_SPONSORS = ['User.ReadWrite.All', 'Directory.ReadWrite.All']
/** Without one of these, group sponsors come back with limited information (type and id). */
const READ_GROUPS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
]

/** The emulator's choice by analogy with `members/$ref` (Graph's text for sponsors is not documented). */
const ALREADY_SPONSOR =
  "One or more added object references already exist for the following modified properties: 'sponsors'."
/** The emulator's wording for the documented limit of five sponsors (the doc gives no error text). */
export const TOO_MANY_SPONSORS = `A user can have at most ${MAX_SPONSORS} sponsors.`

/** `@odata.id` of a user, group or directory object: Graph's own URL, or the same path on the emulator's host. */
const OBJECT_REFERENCE =
  /^https:\/\/([^/]+)\/(?:v1\.0|beta)\/(?:directoryObjects|users|groups)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

/**
 * A user's sponsors (users and groups responsible for a guest): `GET /v1.0/users/{id}/sponsors`,
 * `POST /v1.0/users/{id}/sponsors/$ref` and `DELETE /v1.0/users/{id}/sponsors/{id}/$ref`. Invitations stamp them too
 * (`invitedUserSponsors`, or the inviter).
 */
export async function sponsorRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)
  const context = app.emulator

  app.get<{ Params: { id: string } }>('/v1.0/users/:id/sponsors', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireDelegatedScope(principal, reply, READ_SPONSORS_DELEGATED)) return reply
    const user = findVisibleUser(context, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    // Reading one's own sponsors needs no role (User.Read is the least privileged permission); the doc is silent.
    const self = principal.user?.id === user.id
    const rule: AccessRule = {
      scopes: READ_SPONSORS_DELEGATED,
      applicationPermissions: READ_SPONSORS_APP,
      actions: ['microsoft.directory/users/sponsors/read'],
      target: { kind: 'user', user },
    }
    if (!self && !requireAccess(principal, reply, rule)) return reply
    const select = parseSelect(
      (request.query as Record<string, unknown>).$select,
      DIRECTORY_OBJECT_PROPERTY_NAMES,
      DIRECTORY_OBJECT_TYPE_NAME,
    )
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    const readsGroups = holdsAnyPermission(principal.permissions, READ_GROUPS)
    const sponsors = sponsorsOf(principal.tenant, user.id)
      .map((id) => sponsorEntry(context, principal.tenant, id))
      .filter((entry): entry is DirectoryObjectEntry => entry !== undefined)
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('directoryObjects', select.properties, false),
      value: sponsors.map((entry) =>
        directoryObjectJson(entry, select.properties, entry.kind === 'group' && !readsGroups),
      ),
    })
  })

  app.post<{ Params: { id: string } }>('/v1.0/users/:id/sponsors/$ref', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireDelegatedScope(principal, reply, WRITE_SPONSORS)) return reply
    const user = findVisibleUser(context, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    if (!requireAccess(principal, reply, sponsorsUpdate(user))) return reply
    const reference = (request.body as { '@odata.id'?: unknown } | null)?.['@odata.id']
    const sponsorId = objectIdFromReference(reference, new URL(context.baseUrl).host)
    if (!sponsorId) {
      return sendGraphError(
        reply,
        400,
        'Request_BadRequest',
        `Invalid object identifier '${String(reference ?? '')}'.`,
      )
    }
    if (!sponsorEntry(context, principal.tenant, sponsorId)) return sendResourceNotFound(reply, sponsorId)
    const sponsors = sponsorsOf(principal.tenant, user.id)
    if (sponsors.includes(sponsorId)) return sendGraphError(reply, 400, 'Request_BadRequest', ALREADY_SPONSOR)
    if (sponsors.length >= MAX_SPONSORS)
      return sendGraphError(reply, 400, 'Request_BadRequest', TOO_MANY_SPONSORS)
    sponsors.push(sponsorId)
    return reply.code(204).send()
  })

  app.delete<{ Params: { id: string; sponsorId: string } }>(
    '/v1.0/users/:id/sponsors/:sponsorId/$ref',
    async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!requireDelegatedScope(principal, reply, WRITE_SPONSORS)) return reply
      const user = findVisibleUser(context, principal.tenant, request.params.id)
      if (!user) return sendResourceNotFound(reply, request.params.id)
      if (!requireAccess(principal, reply, sponsorsUpdate(user))) return reply
      const sponsors = sponsorsOf(principal.tenant, user.id)
      const index = sponsors.indexOf(request.params.sponsorId.toLowerCase())
      if (index < 0) return sendResourceNotFound(reply, request.params.sponsorId)
      sponsors.splice(index, 1)
      return reply.code(204).send()
    },
  )
}

/**
 * A sponsor as a `directoryObject` entry: a user of the tenant (not while replicating) or a group; `undefined` for
 * anything else.
 */
export function sponsorEntry(
  context: EmulatorContext,
  tenant: TenantState,
  id: string,
): DirectoryObjectEntry | undefined {
  const user = findVisibleUser(context, tenant, id)
  if (user && user.id === id.toLowerCase()) return { kind: 'user', user }
  const group = tenant.groups.get(id.toLowerCase())
  return group ? { kind: 'group', group } : undefined
}

/**
 * Changing a user's sponsors: `User.ReadWrite.All` (or `Directory.ReadWrite.All`), and for delegated callers a role
 * holding `microsoft.directory/users/sponsors/update` over the user (Directory Writers, User Administrator).
 */
function sponsorsUpdate(user: DirectoryUser): AccessRule {
  return {
    scopes: WRITE_SPONSORS,
    applicationPermissions: WRITE_SPONSORS,
    actions: ['microsoft.directory/users/sponsors/update'],
    target: { kind: 'user', user },
  }
}

/** The object id named by an `@odata.id`, when it is a directory-object URL on Graph's host or ours. */
function objectIdFromReference(reference: unknown, emulatorHost: string): string | undefined {
  if (typeof reference !== 'string') return undefined
  const match = OBJECT_REFERENCE.exec(reference)
  if (!match) return undefined
  const host = (match[1] as string).toLowerCase()
  return host === 'graph.microsoft.com' || host === emulatorHost
    ? (match[2] as string).toLowerCase()
    : undefined
}
