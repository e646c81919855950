import type { FastifyInstance } from 'fastify'
import { allRoleAssignments } from '../rbac/privileges.js'
import { authenticateGraphRequest } from './auth.js'
import { type AccessRule, requireAccess } from './authorization.js'
import { parseEqualityFilter } from './equality-filter.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import {
  ROLE_ASSIGNMENT_PROPERTY_NAMES,
  ROLE_ASSIGNMENT_TYPE_NAME,
  ROLE_DEFINITION_PROPERTY_NAMES,
  ROLE_DEFINITION_TYPE_NAME,
  type RoleAssignmentView,
  type RoleDefinitionView,
  roleAssignmentView,
  roleDefinitionsOf,
} from './role-management-view.js'
import { contextUrl, parseSelect } from './select.js'
import { selectProperties } from './service-principal-view.js'

/**
 * Reading the directory's role model (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments,
 * https://learn.microsoft.com/graph/api/unifiedroledefinition-get), least privileged first.
 */
const READ_ROLE_MANAGEMENT = [
  'RoleManagement.Read.Directory',
  'RoleManagement.Read.All',
  'Directory.Read.All',
  'RoleManagement.ReadWrite.Directory',
  'Directory.ReadWrite.All',
]

/**
 * Delegated callers must also hold a role that reads role assignments (Directory Readers, Global Reader, Privileged
 * Role Administrator, or one above them); Graph's documentation says so for role assignments, and the emulator
 * applies the same rule to role definitions.
 */
function readRule(action: string): AccessRule {
  return {
    scopes: READ_ROLE_MANAGEMENT,
    applicationPermissions: READ_ROLE_MANAGEMENT,
    actions: [action],
    target: { kind: 'tenant' },
  }
}

type Query = Record<string, unknown>

const ROLE_ASSIGNMENTS_SET = 'roleManagement/directory/roleAssignments'
const ROLE_DEFINITIONS_SET = 'roleManagement/directory/roleDefinitions'

/**
 * `GET /v1.0/roleManagement/directory/roleAssignments` (`$filter` on `principalId`, `roleDefinitionId`,
 * `directoryScopeId`; `$expand=roleDefinition`; `$select`), `GET …/roleDefinitions` and `GET …/roleDefinitions/{id}`.
 * Assignments include the tenant-wide ones users' seeded `directoryRoles` stand for; a service principal's
 * `principalId` is its object id.
 */
export async function roleManagementRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get('/v1.0/roleManagement/directory/roleAssignments', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireAccess(principal, reply, readRule('microsoft.directory/roleAssignments/standard/read')))
      return reply
    const query = request.query as Query
    const select = parseSelect(query.$select, ROLE_ASSIGNMENT_PROPERTY_NAMES, ROLE_ASSIGNMENT_TYPE_NAME)
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    const expand = typeof query.$expand === 'string' ? query.$expand.trim() : ''
    if (expand !== '' && expand.toLowerCase() !== 'roledefinition') {
      return sendGraphError(
        reply,
        400,
        'BadRequest',
        `Could not find a property named '${expand}' on type '${ROLE_ASSIGNMENT_TYPE_NAME}'.`,
      )
    }
    let assignments = allRoleAssignments(principal.tenant).map(roleAssignmentView)
    if (typeof query.$filter === 'string') {
      const filter = parseEqualityFilter<RoleAssignmentView>(query.$filter, {
        filterable: {
          principalId: (assignment) => assignment.principalId,
          roleDefinitionId: (assignment) => assignment.roleDefinitionId,
          directoryScopeId: (assignment) => assignment.directoryScopeId,
        },
        declared: ROLE_ASSIGNMENT_PROPERTY_NAMES,
        typeName: ROLE_ASSIGNMENT_TYPE_NAME,
        resourceName: 'UnifiedRoleAssignment',
      })
      if (!filter.ok) return sendGraphError(reply, 400, filter.code, filter.message)
      assignments = assignments.filter(filter.predicate)
    }
    const definitions = new Map(roleDefinitionsOf(principal.tenant).map((role) => [role.id, role]))
    // Graph names an expansion in the context as `(roleDefinition())`, after any selected properties.
    const shape = [...(select.properties ?? []), ...(expand ? ['roleDefinition()'] : [])]
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl(ROLE_ASSIGNMENTS_SET, shape.length ? shape : null, false),
      value: assignments.map((assignment) => ({
        ...selectProperties(assignment, select.properties, ROLE_ASSIGNMENT_PROPERTY_NAMES),
        ...(expand ? { roleDefinition: definitions.get(assignment.roleDefinitionId) ?? null } : {}),
      })),
    })
  })

  app.get('/v1.0/roleManagement/directory/roleDefinitions', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireAccess(principal, reply, readRule('microsoft.directory/roleDefinitions/standard/read')))
      return reply
    const query = request.query as Query
    const select = parseSelect(query.$select, ROLE_DEFINITION_PROPERTY_NAMES, ROLE_DEFINITION_TYPE_NAME)
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    let definitions = roleDefinitionsOf(principal.tenant)
    if (typeof query.$filter === 'string') {
      const filter = parseEqualityFilter<RoleDefinitionView>(query.$filter, {
        filterable: {
          id: (role) => role.id,
          displayName: (role) => role.displayName,
          templateId: (role) => role.templateId,
        },
        declared: ROLE_DEFINITION_PROPERTY_NAMES,
        typeName: ROLE_DEFINITION_TYPE_NAME,
        resourceName: 'UnifiedRoleDefinition',
      })
      if (!filter.ok) return sendGraphError(reply, 400, filter.code, filter.message)
      definitions = definitions.filter(filter.predicate)
    }
    return reply.type(GRAPH_JSON).send({
      '@odata.context': contextUrl(ROLE_DEFINITIONS_SET, select.properties, false),
      value: definitions.map((role) =>
        selectProperties(role, select.properties, ROLE_DEFINITION_PROPERTY_NAMES),
      ),
    })
  })

  app.get<{ Params: { id: string } }>(
    '/v1.0/roleManagement/directory/roleDefinitions/:id',
    async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!requireAccess(principal, reply, readRule('microsoft.directory/roleDefinitions/standard/read')))
        return reply
      const select = parseSelect(
        (request.query as Query).$select,
        ROLE_DEFINITION_PROPERTY_NAMES,
        ROLE_DEFINITION_TYPE_NAME,
      )
      if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
      const id = request.params.id.toLowerCase()
      const role = roleDefinitionsOf(principal.tenant).find((candidate) => candidate.id === id)
      if (!role) return sendResourceNotFound(reply, request.params.id)
      return reply.type(GRAPH_JSON).send({
        '@odata.context': contextUrl(ROLE_DEFINITIONS_SET, select.properties, true),
        ...selectProperties(role, select.properties, ROLE_DEFINITION_PROPERTY_NAMES),
      })
    },
  )
}
