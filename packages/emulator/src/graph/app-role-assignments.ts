import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { holdsTenantWideAction } from '../rbac/privileges.js'
import {
  type AppRoleAssignmentRecord,
  appRoleAssignmentId,
  appRoleAssignmentsOf,
  DEFAULT_ACCESS_APP_ROLE_ID,
} from '../state/app-role-assignments.js'
import type { TenantState } from '../state/directory.js'
import { servicePrincipalId } from '../state/service-principal-id.js'
import {
  APP_ROLE_ASSIGNMENT_PROPERTY_NAMES,
  APP_ROLE_ASSIGNMENT_TYPE_NAME,
  type AppRoleAssignmentView,
  appRoleAssignmentView,
  findServicePrincipal,
  type ServicePrincipalEntry,
} from './app-role-assignment-view.js'
import {
  authenticateGraphRequest,
  type GraphPrincipal,
  holdsAnyPermission,
  sendInsufficientPrivileges,
} from './auth.js'
import { type AccessRule, requireAccess, requireDelegatedScope } from './authorization.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { GRAPH_SERVICE_ROOT, parseSelect } from './select.js'
import { selectProperties } from './service-principal-view.js'
import { findVisibleUser } from './visibility.js'

/** Creating and deleting app role assignments (https://learn.microsoft.com/graph/api/user-post-approleassignments). */
const ASSIGN = ['AppRoleAssignment.ReadWrite.All']
/**
 * `appRoleAssignedTo` also needs an application-reading permission, delegated and app-only
 * (https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto: "AppRoleAssignment.ReadWrite.All and
 * Application.Read.All"); `Application.ReadWrite.All` and `Directory.ReadWrite.All` count as broader.
 */
const READ_APPLICATIONS = ['Application.Read.All', 'Directory.Read.All']
/** The role permission of the roles the docs list (Cloud Application Administrator, User Administrator, …). */
const UPDATE_ASSIGNED_TO = 'microsoft.directory/servicePrincipals/appRoleAssignedTo/update'

/** `GET /users/{id}/appRoleAssignments` (https://learn.microsoft.com/graph/api/user-list-approleassignments). */
const READ_USER_ASSIGNMENTS = ['AppRoleAssignment.ReadWrite.All', 'Directory.Read.All']
/** `GET /servicePrincipals/{id}/appRoleAssignedTo` (https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto). */
const READ_ASSIGNED_TO = ['Application.Read.All', 'Directory.Read.All']

const ALREADY_ASSIGNED = 'Permission being assigned already exists on the object.'
const ROLE_NOT_FOUND = 'Permission being assigned was not found on application.'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** OData alternate key of a service principal: `(appId='…')`. */
const APP_ID_KEY = /^\(appId='([^']*)'\)$/i
const FILTER_CLAUSE = /^\s*([A-Za-z]+)\s+eq\s+'?([0-9a-fA-F-]{36})'?\s*$/

interface AssignmentBody {
  principalId: string
  resourceId: string
  appRoleId: string
}

type AssignedPrincipal = { type: AppRoleAssignmentRecord['principalType']; id: string }

type Query = Record<string, unknown>

/**
 * App role assignments: `POST|GET /v1.0/users/{id}/appRoleAssignments`, `DELETE …/appRoleAssignments/{id}`,
 * `POST|GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo` (also by `(appId='…')`) and
 * `DELETE …/appRoleAssignedTo/{id}`. Assignments change the `roles` of the tokens Entra issues afterwards.
 */
export async function appRoleAssignmentRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)
  const context = app.emulator

  app.post<{ Params: { id: string } }>('/v1.0/users/:id/appRoleAssignments', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireDelegatedScope(principal, reply, ASSIGN)) return reply
    const body = parseAssignmentBody(request.body)
    if (typeof body === 'string') return sendGraphError(reply, 400, 'Request_BadRequest', body)
    const user = findVisibleUser(context, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    if (body.principalId !== user.id) {
      return sendGraphError(
        reply,
        400,
        'Request_BadRequest',
        `The principalId '${body.principalId}' is not the id of the user '${request.params.id}' the request is addressed to.`,
      )
    }
    const resource = findServicePrincipal(principal.tenant, { id: body.resourceId })
    if (!resource) return sendResourceNotFound(reply, body.resourceId)
    if (!mayAssign(principal, resource, false)) return sendInsufficientPrivileges(reply)
    return createAssignment(reply, context, principal.tenant, resource, { type: 'User', id: user.id }, body, {
      set: `users('${request.params.id}')/appRoleAssignments`,
    })
  })

  app.get<{ Params: { id: string } }>('/v1.0/users/:id/appRoleAssignments', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireDelegatedScope(principal, reply, READ_USER_ASSIGNMENTS)) return reply
    const user = findVisibleUser(context, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    const rule: AccessRule = {
      scopes: READ_USER_ASSIGNMENTS,
      applicationPermissions: READ_USER_ASSIGNMENTS,
      actions: ['microsoft.directory/users/appRoleAssignments/read'],
      target: { kind: 'user', user },
    }
    if (!requireAccess(principal, reply, rule)) return reply
    // The user's own assignments and those of the groups the user is a direct member of (the doc says so).
    const groups = [...principal.tenant.groups.values()].filter((group) => group.members.has(user.id))
    const principalIds = new Set([user.id, ...groups.map((group) => group.id)])
    const assignments = appRoleAssignmentsOf(principal.tenant).filter((record) =>
      principalIds.has(record.principalId),
    )
    return sendAssignments(
      request,
      reply,
      principal.tenant,
      assignments,
      `users('${request.params.id}')/appRoleAssignments`,
    )
  })

  app.delete<{ Params: { id: string; assignmentId: string } }>(
    '/v1.0/users/:id/appRoleAssignments/:assignmentId',
    async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!requireDelegatedScope(principal, reply, ASSIGN)) return reply
      const user = findVisibleUser(context, principal.tenant, request.params.id)
      if (!user) return sendResourceNotFound(reply, request.params.id)
      const assignments = appRoleAssignmentsOf(principal.tenant)
      const index = assignments.findIndex(
        (record) => record.id === request.params.assignmentId && record.principalId === user.id,
      )
      const record = assignments[index]
      if (!record) return sendResourceNotFound(reply, request.params.assignmentId)
      const resource = findServicePrincipal(principal.tenant, { id: record.resourceId })
      if (!resource || !mayAssign(principal, resource, false)) return sendInsufficientPrivileges(reply)
      assignments.splice(index, 1)
      return reply.code(204).send()
    },
  )

  for (const path of ['/v1.0/servicePrincipals/:key', '/v1.0/servicePrincipals:key(^\\([^/]+\\))']) {
    app.post<{ Params: { key: string } }>(`${path}/appRoleAssignedTo`, async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!requireDelegatedScopes(principal, reply, [ASSIGN, READ_APPLICATIONS])) return reply
      const body = parseAssignmentBody(request.body)
      if (typeof body === 'string') return sendGraphError(reply, 400, 'Request_BadRequest', body)
      const resource = resourceByKey(principal.tenant, request.params.key)
      if (!resource) return sendResourceNotFound(reply, keyValue(request.params.key))
      if (body.resourceId !== resource.view.id) {
        return sendGraphError(
          reply,
          400,
          'Request_BadRequest',
          `The resourceId '${body.resourceId}' is not the id of the service principal '${keyValue(request.params.key)}' the request is addressed to.`,
        )
      }
      const assigned = findPrincipal(context, principal.tenant, body.principalId)
      if (!assigned) return sendResourceNotFound(reply, body.principalId)
      if (!mayAssign(principal, resource, true)) return sendInsufficientPrivileges(reply)
      return createAssignment(reply, context, principal.tenant, resource, assigned, body, {
        set: `${servicePrincipalSegment(request.params.key)}/appRoleAssignedTo`,
      })
    })

    app.get<{ Params: { key: string } }>(`${path}/appRoleAssignedTo`, async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!requireDelegatedScope(principal, reply, READ_ASSIGNED_TO)) return reply
      const resource = resourceByKey(principal.tenant, request.params.key)
      if (!resource) return sendResourceNotFound(reply, keyValue(request.params.key))
      const rule: AccessRule = {
        scopes: READ_ASSIGNED_TO,
        applicationPermissions: READ_ASSIGNED_TO,
        actions: ['microsoft.directory/servicePrincipals/appRoleAssignedTo/read'],
        target: { kind: 'tenant' },
      }
      if (!requireAccess(principal, reply, rule)) return reply
      const assignments = appRoleAssignmentsOf(principal.tenant).filter(
        (record) => record.resourceId === resource.view.id,
      )
      return sendAssignments(
        request,
        reply,
        principal.tenant,
        assignments,
        `${servicePrincipalSegment(request.params.key)}/appRoleAssignedTo`,
      )
    })

    app.delete<{ Params: { key: string; assignmentId: string } }>(
      `${path}/appRoleAssignedTo/:assignmentId`,
      async (request, reply) => {
        const principal = await authenticateGraphRequest(request, reply)
        if (!principal) return reply
        if (!requireDelegatedScope(principal, reply, ASSIGN)) return reply
        const resource = resourceByKey(principal.tenant, request.params.key)
        if (!resource) return sendResourceNotFound(reply, keyValue(request.params.key))
        const assignments = appRoleAssignmentsOf(principal.tenant)
        const index = assignments.findIndex(
          (record) => record.id === request.params.assignmentId && record.resourceId === resource.view.id,
        )
        if (index < 0) return sendResourceNotFound(reply, request.params.assignmentId)
        if (!mayAssign(principal, resource, false)) return sendInsufficientPrivileges(reply)
        assignments.splice(index, 1)
        return reply.code(204).send()
      },
    )
  }
}

/**
 * Whether the caller may grant or remove assignments of the resource's app roles.
 *
 * - Delegated: `AppRoleAssignment.ReadWrite.All` (with `appRoleAssignedTo`, also an application-reading permission)
 *   and either a tenant-wide role holding `servicePrincipals/appRoleAssignedTo/update` (Directory Writers, User
 *   Administrator, Application Administrator, Cloud Application Administrator, Privileged Role Administrator) or,
 *   for a member of the tenant, ownership of the resource's enterprise application.
 * - App-only: `AppRoleAssignment.ReadWrite.All` (with `appRoleAssignedTo`, plus an application-reading permission),
 *   or a tenant-wide role of the app's service principal holding that role permission.
 */
function mayAssign(
  principal: GraphPrincipal,
  resource: ServicePrincipalEntry,
  viaResource: boolean,
): boolean {
  const { tenant, user, permissions } = principal
  const readsApplications = !viaResource || holdsAnyPermission(permissions, READ_APPLICATIONS)
  if (user) {
    if (!holdsAnyPermission(permissions, ASSIGN) || !readsApplications) return false
    if (user.userType === 'Member' && resource.owners.has(user.id)) return true
    return holdsTenantWideAction(tenant, { objectId: user.id, user }, UPDATE_ASSIGNED_TO)
  }
  if (holdsAnyPermission(permissions, ASSIGN)) return readsApplications
  const servicePrincipal = { objectId: servicePrincipalId(tenant.id, principal.appId), user: null }
  return holdsTenantWideAction(tenant, servicePrincipal, UPDATE_ASSIGNED_TO)
}

/** The delegated-scope part of the decision, made before anything is looked up: every list needs one of its scopes. */
function requireDelegatedScopes(
  principal: GraphPrincipal,
  reply: FastifyReply,
  lists: ReadonlyArray<readonly string[]>,
): boolean {
  return lists.every((scopes) => requireDelegatedScope(principal, reply, scopes))
}

function createAssignment(
  reply: FastifyReply,
  context: EmulatorContext,
  tenant: TenantState,
  resource: ServicePrincipalEntry,
  assigned: AssignedPrincipal,
  body: AssignmentBody,
  where: { set: string },
): FastifyReply {
  const memberType = assigned.type === 'ServicePrincipal' ? 'Application' : 'User'
  if (!roleAssignable(resource, body.appRoleId, memberType)) {
    return sendGraphError(reply, 400, 'Request_BadRequest', ROLE_NOT_FOUND)
  }
  const assignments = appRoleAssignmentsOf(tenant)
  const exists = assignments.some(
    (record) =>
      record.principalId === assigned.id &&
      record.resourceId === resource.view.id &&
      record.appRoleId === body.appRoleId,
  )
  if (exists) return sendGraphError(reply, 400, 'Request_BadRequest', ALREADY_ASSIGNED)
  const record: AppRoleAssignmentRecord = {
    id: appRoleAssignmentId(assigned.id),
    appRoleId: body.appRoleId,
    createdDateTime: new Date(context.clock()).toISOString(),
    principalId: assigned.id,
    principalType: assigned.type,
    resourceId: resource.view.id,
  }
  assignments.push(record)
  return reply
    .code(201)
    .type(GRAPH_JSON)
    .send({
      '@odata.context': `${GRAPH_SERVICE_ROOT}/$metadata#${where.set}/$entity`,
      ...appRoleAssignmentView(tenant, record),
    })
}

/**
 * Whether the app role may be assigned to a principal of that kind: an enabled role of the resource whose
 * `allowedMemberTypes` admit it, or the default app role id when the resource declares no app roles (the
 * appRoleAssignment resource doc). Microsoft Graph's own app roles are not modelled, so none of them is assignable.
 */
function roleAssignable(
  resource: ServicePrincipalEntry,
  appRoleId: string,
  memberType: 'User' | 'Application',
): boolean {
  if (!resource.app) return false
  const roles = resource.view.appRoles
  if (appRoleId === DEFAULT_ACCESS_APP_ROLE_ID) return roles.length === 0
  const role = roles.find((candidate) => candidate.id === appRoleId)
  return !!role && role.isEnabled && role.allowedMemberTypes.includes(memberType)
}

function sendAssignments(
  request: FastifyRequest,
  reply: FastifyReply,
  tenant: TenantState,
  records: AppRoleAssignmentRecord[],
  set: string,
): FastifyReply {
  const query = request.query as Query
  const select = parseSelect(query.$select, APP_ROLE_ASSIGNMENT_PROPERTY_NAMES, APP_ROLE_ASSIGNMENT_TYPE_NAME)
  if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
  let views = records.map((record) => appRoleAssignmentView(tenant, record))
  if (typeof query.$filter === 'string') {
    const filter = parseAssignmentFilter(query.$filter)
    if (typeof filter === 'object' && 'code' in filter) {
      return sendGraphError(reply, 400, filter.code, filter.message)
    }
    views = views.filter(filter)
  }
  const selection = select.properties ? `(${select.properties.join(',')})` : ''
  return reply.type(GRAPH_JSON).send({
    '@odata.context': `${GRAPH_SERVICE_ROOT}/$metadata#${set}${selection}`,
    value: views.map((view) => selectProperties(view, select.properties, APP_ROLE_ASSIGNMENT_PROPERTY_NAMES)),
  })
}

/**
 * `$filter` on the GUID properties Graph lets app role assignments be filtered by, e.g.
 * `resourceId eq 8e881353-1735-45af-af21-ee1344582a4d` (the doc's example: a GUID literal, no quotes).
 */
function parseAssignmentFilter(
  raw: string,
): ((view: AppRoleAssignmentView) => boolean) | { code: string; message: string } {
  const filterable = ['resourceId', 'principalId', 'appRoleId', 'id'] as const
  const predicates: Array<(view: AppRoleAssignmentView) => boolean> = []
  for (const clause of raw.split(/\s+and\s+/i)) {
    const match = FILTER_CLAUSE.exec(clause)
    if (!match) return { code: 'BadRequest', message: `Invalid filter clause: Syntax error in '${raw}'.` }
    const name = filterable.find((candidate) => candidate.toLowerCase() === match[1]?.toLowerCase())
    if (!name) {
      const declared = APP_ROLE_ASSIGNMENT_PROPERTY_NAMES.find(
        (candidate) => candidate.toLowerCase() === match[1]?.toLowerCase(),
      )
      return declared
        ? {
            code: 'Request_UnsupportedQuery',
            message: `Unsupported or invalid query filter clause specified for property '${declared}' of resource 'AppRoleAssignment'.`,
          }
        : {
            code: 'BadRequest',
            message: `Could not find a property named '${match[1]}' on type '${APP_ROLE_ASSIGNMENT_TYPE_NAME}'.`,
          }
    }
    const value = (match[2] as string).toLowerCase()
    predicates.push((view) => view[name].toLowerCase() === value)
  }
  return (view) => predicates.every((predicate) => predicate(view))
}

/** Validates the `appRoleAssignment` body; `appRoleId` defaults to the default app role id, as the resource doc says. */
function parseAssignmentBody(body: unknown): AssignmentBody | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'The request body must be a JSON appRoleAssignment object.'
  }
  const input = body as Record<string, unknown>
  const parsed: Record<string, string> = {}
  for (const name of ['principalId', 'resourceId', 'appRoleId'] as const) {
    const value = input[name] ?? (name === 'appRoleId' ? DEFAULT_ACCESS_APP_ROLE_ID : undefined)
    if (typeof value !== 'string' || !GUID.test(value)) {
      return `Invalid value specified for property '${name}' of resource 'AppRoleAssignment'.`
    }
    parsed[name] = value.toLowerCase()
  }
  return parsed as unknown as AssignmentBody
}

/** A user (still replicating: not found), group or service principal of the tenant. */
function findPrincipal(
  context: EmulatorContext,
  tenant: TenantState,
  id: string,
): AssignedPrincipal | undefined {
  if (findVisibleUser(context, tenant, id)) return { type: 'User', id }
  if (tenant.groups.has(id)) return { type: 'Group', id }
  if (findServicePrincipal(tenant, { id })) return { type: 'ServicePrincipal', id }
  return undefined
}

/** The service principal a path key names: an object id, or `(appId='…')`. */
function resourceByKey(tenant: TenantState, key: string): ServicePrincipalEntry | undefined {
  const appId = APP_ID_KEY.exec(key)?.[1]
  return findServicePrincipal(tenant, appId === undefined ? { id: key } : { appId })
}

/** The service principal as `@odata.context` names it: `servicePrincipals('{id}')` or `servicePrincipals(appId='…')`. */
function servicePrincipalSegment(key: string): string {
  return APP_ID_KEY.test(key) ? `servicePrincipals${key}` : `servicePrincipals('${key}')`
}

/** The id a 404 names: the object id, or the app id of an alternate key. */
function keyValue(key: string): string {
  return APP_ID_KEY.exec(key)?.[1] ?? key
}
