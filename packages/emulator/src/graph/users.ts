import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { noteUserTypeChange } from '../rbac/administrative-units.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import {
  authenticateGraphRequest,
  type GraphPrincipal,
  requirePermission,
  sendInsufficientPrivileges,
} from './auth.js'
import { requireAccess } from './authorization.js'
import { applyExtensionValues, userExtensionProperties } from './directory-extensions.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { parseUserFilter } from './filter.js'
import { contextUrl } from './select.js'
import { accountEnabledAction, mayActOnUser, userPatchPermitted, WRITE_USERS } from './user-lifecycle.js'
import { parseUserPatch } from './user-patch.js'
import { userPatchActions } from './user-patch-actions.js'
import { parseUserSelect, userJson } from './user-view.js'
import { findVisibleUser, visibleUsers, visibleUsersByKeys } from './visibility.js'

/** Reading any user of the tenant (Graph's list, least privileged first). */
const READ_USERS = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]
/** Reading the signed-in user: `User.Read` is enough. */
const READ_SELF = ['User.Read', 'User.ReadWrite', ...READ_USERS]

/** Graph's page size for `GET /users` without `$top`, and the largest `$top` it accepts. */
const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 999

type Query = Record<string, unknown>

/**
 * `GET /v1.0/me`, `GET /v1.0/users` (`$filter`, `$select`, `$top`, paging), `GET|PATCH /v1.0/users/{id | userPrincipalName}`.
 */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get('/v1.0/me', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!principal.user) {
      return sendGraphError(
        reply,
        400,
        'BadRequest',
        '/me request is only valid with delegated authentication flow.',
      )
    }
    if (!requirePermission(principal, reply, READ_SELF)) return reply
    return sendUser(request, reply, principal.user, principal.tenant)
  })

  app.get<{ Params: { id: string } }>('/v1.0/users/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, isSelf(principal, request.params.id) ? READ_SELF : READ_USERS))
      return reply
    const user = findVisibleUser(app.emulator, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    return sendUser(request, reply, user, principal.tenant)
  })

  app.patch<{ Params: { id: string } }>('/v1.0/users/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    // `accountEnabled` alone may also come with User.EnableDisableAccount.All + User.Read.All (user-lifecycle.ts).
    const permitted = userPatchPermitted(principal.permissions, request.body)
    if (principal.user && !permitted) return sendInsufficientPrivileges(reply)
    const user = findVisibleUser(app.emulator, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    const patch = parseUserPatch(request.body, userExtensionProperties(principal.tenant))
    if (!patch.ok) return sendGraphError(reply, 400, 'Request_BadRequest', patch.message)
    const rule = {
      scopes: WRITE_USERS,
      applicationPermissions: WRITE_USERS,
      permitted,
      actions: userPatchActions({ ...patch.changes, ...patch.extensions }),
      target: { kind: 'user' as const, user },
    }
    if (!requireAccess(principal, reply, rule)) return reply
    const enabled = patch.changes.accountEnabled
    if (enabled !== undefined && !mayActOnUser(principal, accountEnabledAction(enabled), user, permitted)) {
      return sendInsufficientPrivileges(reply)
    }
    if (patch.changes.userType) noteUserTypeChange(user, patch.changes.userType, app.emulator.clock())
    app.emulator.directory.updateUser(user, patch.changes)
    applyExtensionValues(user, patch.extensions)
    return reply.code(204).send()
  })

  app.get('/v1.0/users', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_USERS)) return reply
    const query = request.query as Query
    const select = parseUserSelect(query.$select, principal.tenant)
    if (!select.ok) return sendGraphError(reply, 400, select.code, select.message)
    let users: DirectoryUser[]
    if (typeof query.$filter === 'string') {
      const filter = parseUserFilter(query.$filter)
      if (!filter.ok) return sendGraphError(reply, 400, filter.code, filter.message)
      const candidates = filter.lookup
        ? visibleUsersByKeys(app.emulator, principal.tenant, filter.lookup)
        : visibleUsers(app.emulator, principal.tenant)
      users = candidates.filter(filter.predicate)
    } else {
      users = visibleUsers(app.emulator, principal.tenant)
    }
    const pageSize = parsePageSize(query.$top)
    if (pageSize === undefined) {
      return sendGraphError(
        reply,
        400,
        'Request_UnsupportedQuery',
        `Invalid page size specified: '${String(query.$top)}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
      )
    }
    const offset = decodeSkipToken(query.$skiptoken)
    if (offset === undefined)
      return sendGraphError(reply, 400, 'Request_BadRequest', 'The specified $skiptoken is not valid.')
    const end = offset + pageSize
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl('users', select.properties, false),
      ...(end < users.length ? { '@odata.nextLink': nextLink(app.emulator.baseUrl, request, end) } : {}),
      value: users.slice(offset, end).map((user) => userJson(user, select.properties)),
    })
  })
}

function sendUser(
  request: FastifyRequest,
  reply: FastifyReply,
  user: DirectoryUser,
  tenant: TenantState,
): FastifyReply {
  const select = parseUserSelect((request.query as Query).$select, tenant)
  if (!select.ok) return sendGraphError(reply, 400, select.code, select.message)
  return reply.type(GRAPH_JSON).send({
    '@odata.context': contextUrl('users', select.properties, true),
    ...userJson(user, select.properties),
  })
}

function isSelf(principal: GraphPrincipal, idOrUpn: string): boolean {
  const key = idOrUpn.toLowerCase()
  return (
    principal.user !== null &&
    (principal.user.id === key || principal.user.userPrincipalName.toLowerCase() === key)
  )
}

function parsePageSize(raw: unknown): number | undefined {
  if (raw === undefined) return DEFAULT_PAGE_SIZE
  const size = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  return size >= 1 && size <= MAX_PAGE_SIZE ? size : undefined
}

/** Skip tokens are opaque to clients; ours carry the offset of the next page. */
function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url')
}

function decodeSkipToken(raw: unknown): number | undefined {
  if (raw === undefined) return 0
  const match =
    typeof raw === 'string' ? /^offset:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null
  return match ? Number(match[1]) : undefined
}

/** The next page's URL on the emulator's host, so clients that follow `@odata.nextLink` stay local. */
function nextLink(baseUrl: string, request: FastifyRequest, offset: number): string {
  const url = new URL(request.url, baseUrl)
  url.searchParams.set('$skiptoken', encodeSkipToken(offset))
  return url.toString()
}
