import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  type DeletedUserRecord,
  deletedUsersOf,
  purgeDeletedUser,
  restoreDeletedUser,
  softDeleteUser,
} from '../state/deleted-users.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import {
  authenticateGraphRequest,
  type GraphPrincipal,
  requirePermission,
  sendInsufficientPrivileges,
} from './auth.js'
import { type AccessRule, requireAccess } from './authorization.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl, parseSelect } from './select.js'
import { DELETE_RESTORE_USERS, holdsOneOf, mayActOnUser, PURGE_USERS_APP_ONLY } from './user-lifecycle.js'
import { DEFAULT_USER_PROPERTIES, USER_PROPERTY_NAMES, USER_TYPE_NAME, userJson } from './user-view.js'
import { findVisibleUser } from './visibility.js'

/**
 * Reading deleted users: `User.Read.All` is the least privileged permission
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-list, …-get); broader ones count.
 */
const READ_DELETED_USERS = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]
const APPLICATION_READ = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All']

/**
 * The other casts the list page names, with their least privileged read permission (broader ones count) and entity set.
 */
const OTHER_DELETED_TYPES: ReadonlyMap<string, { read: string[]; entitySet: string }> = new Map([
  ['microsoft.graph.group', { read: ['Group.Read.All', 'Directory.Read.All'], entitySet: 'groups' }],
  ['microsoft.graph.application', { read: APPLICATION_READ, entitySet: 'applications' }],
  ['microsoft.graph.serviceprincipal', { read: APPLICATION_READ, entitySet: 'servicePrincipals' }],
  [
    'microsoft.graph.administrativeunit',
    {
      read: ['AdministrativeUnit.Read.All', 'AdministrativeUnit.ReadWrite.All', 'Directory.Read.All'],
      entitySet: 'administrativeUnits',
    },
  ],
])

const DELETE_USER = 'microsoft.directory/users/delete'
const RESTORE_USER = 'microsoft.directory/users/restore'

/**
 * Deleting users and the deleted items container, for users (the only deleted objects the emulator models):
 *
 * - `DELETE /v1.0/users/{id | userPrincipalName}` (https://learn.microsoft.com/graph/api/user-delete): 204; the user
 *   moves to deleted items (`state/deleted-users.ts`), after which `GET /users/{id}` answers 404.
 * - `GET /v1.0/directory/deletedItems/microsoft.graph.user` (https://learn.microsoft.com/graph/api/directory-deleteditems-list)
 *   and `GET /v1.0/directory/deletedItems/{id}` (https://learn.microsoft.com/graph/api/directory-deleteditems-get).
 * - `POST /v1.0/directory/deletedItems/{id}/restore` (https://learn.microsoft.com/graph/api/directory-deleteditems-restore):
 *   200 with the user as a `directoryObject`.
 * - `DELETE /v1.0/directory/deletedItems/{id}` (https://learn.microsoft.com/graph/api/directory-deleteditems-delete):
 *   204, for good.
 */
export async function deletedItemRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)
  const context = app.emulator

  app.delete<{ Params: { id: string } }>('/v1.0/users/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    const permitted = holdsOneOf(principal.permissions, DELETE_RESTORE_USERS)
    if (principal.user && !permitted) return sendInsufficientPrivileges(reply)
    const user = findVisibleUser(context, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    if (!mayChangeLifecycle(principal, reply, DELETE_USER, user, permitted)) return reply
    softDeleteUser(context.directory, principal.tenant, user, context.clock())
    return reply.code(204).send()
  })

  app.get('/v1.0/directory/deletedItems/microsoft.graph.user', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_DELETED_USERS)) return reply
    const select = parseDeletedUserSelect(request.query)
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('users', select.properties, false),
      value: [...deletedUsersOf(principal.tenant).values()].map((record) =>
        deletedUserJson(record, select.properties),
      ),
    })
  })

  app.get<{ Params: { id: string } }>('/v1.0/directory/deletedItems/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    const otherType = OTHER_DELETED_TYPES.get(request.params.id.toLowerCase())
    if (otherType) {
      // Deleting these is not modelled, so their container is always empty.
      if (!requirePermission(principal, reply, otherType.read)) return reply
      return reply
        .type(GRAPH_JSON)
        .send({ '@odata.context': contextUrl(otherType.entitySet, null, false), value: [] })
    }
    if (!requirePermission(principal, reply, READ_DELETED_USERS)) return reply
    const record = findDeletedUser(principal.tenant, request.params.id)
    if (!record) return sendResourceNotFound(reply, request.params.id)
    const select = parseDeletedUserSelect(request.query)
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    return reply.type(GRAPH_JSON).send(directoryObjectEntity(record, select.properties))
  })

  app.post<{ Params: { id: string } }>('/v1.0/directory/deletedItems/:id/restore', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    // The permission depends on the deleted object's type, so Graph has to find the object first.
    const record = findDeletedUser(principal.tenant, request.params.id)
    if (!record) return sendResourceNotFound(reply, request.params.id)
    const permitted = holdsOneOf(principal.permissions, DELETE_RESTORE_USERS)
    if (!mayChangeLifecycle(principal, reply, RESTORE_USER, record.user, permitted, record)) return reply
    restoreDeletedUser(context.directory, principal.tenant, record)
    return reply.type(GRAPH_JSON).send(directoryObjectEntity({ ...record, deletedDateTime: null }, null))
  })

  app.delete<{ Params: { id: string } }>('/v1.0/directory/deletedItems/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    const record = findDeletedUser(principal.tenant, request.params.id)
    if (!record) return sendResourceNotFound(reply, request.params.id)
    const permitted = holdsOneOf(
      principal.permissions,
      principal.user ? DELETE_RESTORE_USERS : PURGE_USERS_APP_ONLY,
    )
    if (!mayChangeLifecycle(principal, reply, DELETE_USER, record.user, permitted, record)) return reply
    purgeDeletedUser(principal.tenant, record.user.id)
    return reply.code(204).send()
  })
}

/**
 * Deleting, restoring and purging a user: the token's permission (broader ones not counting), the role permission over
 * the user (Graph's pages name User Administrator, Authentication Administrator and Privileged Authentication
 * Administrator), then "Who can perform sensitive actions". Answers 403 `Authorization_RequestDenied` when refused.
 */
function mayChangeLifecycle(
  principal: GraphPrincipal,
  reply: FastifyReply,
  action: string,
  user: DirectoryUser,
  permitted: boolean,
  record?: DeletedUserRecord,
): boolean {
  const rule: AccessRule = {
    scopes: DELETE_RESTORE_USERS,
    applicationPermissions: DELETE_RESTORE_USERS,
    permitted,
    actions: [action],
    target: { kind: 'user', user },
  }
  if (!requireAccess(principal, reply, rule)) return false
  if (mayActOnUser(principal, action, user, permitted, record?.roleAssignments)) return true
  sendInsufficientPrivileges(reply)
  return false
}

function findDeletedUser(tenant: TenantState, id: string): DeletedUserRecord | undefined {
  return deletedUsersOf(tenant).get(id.toLowerCase())
}

function parseDeletedUserSelect(query: unknown) {
  return parseSelect((query as Record<string, unknown>).$select, USER_PROPERTY_NAMES, USER_TYPE_NAME)
}

/** A deleted user as Graph lists it: the default (or selected) user properties, `deletedDateTime` when selected. */
function deletedUserJson(
  record: Pick<DeletedUserRecord, 'user'> & { deletedDateTime: string | null },
  properties: readonly string[] | null,
): Record<string, unknown> {
  const json = userJson(record.user, properties ?? DEFAULT_USER_PROPERTIES)
  if ('deletedDateTime' in json) json.deletedDateTime = record.deletedDateTime
  return json
}

/** One deleted (or just restored) user as a `directoryObject` entity, with its `@odata.type`. */
function directoryObjectEntity(
  record: Pick<DeletedUserRecord, 'user'> & { deletedDateTime: string | null },
  properties: readonly string[] | null,
): Record<string, unknown> {
  return {
    '@odata.context': contextUrl('directoryObjects', properties ? [...properties] : null, true),
    '@odata.type': '#microsoft.graph.user',
    ...deletedUserJson(record, properties),
  }
}
