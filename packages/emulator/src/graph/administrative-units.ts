import type { FastifyInstance } from 'fastify'
import { isGroupInUnit, isUserInUnit, processingStateOf } from '../rbac/administrative-units.js'
import type { AdministrativeUnitRecord } from '../rbac/tenant-rbac.js'
import { authenticateGraphRequest, requirePermission } from './auth.js'
import {
  DIRECTORY_OBJECT_PROPERTY_NAMES,
  DIRECTORY_OBJECT_TYPE_NAME,
  type DirectoryObjectEntry,
  directoryObjectJson,
} from './directory-object-view.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl, parseSelect } from './select.js'
import { visibleUsers } from './visibility.js'

/**
 * Reading administrative units and their members (https://learn.microsoft.com/graph/api/administrativeunit-get,
 * https://learn.microsoft.com/graph/api/administrativeunit-list-members), least privileged first.
 */
const READ_UNITS = [
  'AdministrativeUnit.Read.All',
  'Directory.Read.All',
  'AdministrativeUnit.ReadWrite.All',
  'Directory.ReadWrite.All',
]

/** How each `microsoft.graph.administrativeUnit` property is read; also the default set, in Graph's order. */
const UNIT_PROPERTIES = {
  id: (unit) => unit.id,
  deletedDateTime: () => null,
  displayName: (unit) => unit.displayName,
  description: (unit) => unit.description,
  isMemberManagementRestricted: () => null,
  visibility: () => null,
  membershipRule: (unit) => unit.membershipRule,
  membershipType: (unit) => unit.membershipType,
  membershipRuleProcessingState: (unit) => processingStateOf(unit),
} satisfies Record<string, (unit: AdministrativeUnitRecord) => unknown>

const UNIT_PROPERTY_NAMES = Object.keys(UNIT_PROPERTIES)
const UNIT_TYPE_NAME = 'microsoft.graph.administrativeUnit'
const UNITS_SET = 'directory/administrativeUnits'

type Query = Record<string, unknown>

/**
 * `GET /v1.0/directory/administrativeUnits/{id}` (`$select`) and `GET …/{id}/members`. A dynamic unit's members are
 * the users its rule selects as dynamic membership last processed them (`faults.dynamicMembershipDelayMs`).
 */
export async function administrativeUnitRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.get<{ Params: { id: string } }>('/v1.0/directory/administrativeUnits/:id', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requirePermission(principal, reply, READ_UNITS)) return reply
    const select = parseSelect((request.query as Query).$select, UNIT_PROPERTY_NAMES, UNIT_TYPE_NAME)
    if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
    const unit = principal.tenant.administrativeUnits.get(request.params.id.toLowerCase())
    if (!unit) return sendResourceNotFound(reply, request.params.id)
    const json: Record<string, unknown> = {}
    for (const name of select.properties ?? UNIT_PROPERTY_NAMES) {
      json[name] = UNIT_PROPERTIES[name as keyof typeof UNIT_PROPERTIES](unit)
    }
    return reply
      .type(GRAPH_JSON)
      .send({ '@odata.context': contextUrl(UNITS_SET, select.properties, true), ...json })
  })

  app.get<{ Params: { id: string } }>(
    '/v1.0/directory/administrativeUnits/:id/members',
    async (request, reply) => {
      const principal = await authenticateGraphRequest(request, reply)
      if (!principal) return reply
      if (!requirePermission(principal, reply, READ_UNITS)) return reply
      const select = parseSelect(
        (request.query as Query).$select,
        DIRECTORY_OBJECT_PROPERTY_NAMES,
        DIRECTORY_OBJECT_TYPE_NAME,
      )
      if (!select.ok) return sendGraphError(reply, 400, 'BadRequest', select.message)
      const unit = principal.tenant.administrativeUnits.get(request.params.id.toLowerCase())
      if (!unit) return sendResourceNotFound(reply, request.params.id)
      const processed = (changedAtMs: number) => app.emulator.faults.dynamicMembershipProcessed(changedAtMs)
      const members: DirectoryObjectEntry[] = [
        ...visibleUsers(app.emulator, principal.tenant)
          .filter((user) => isUserInUnit(unit, user, processed))
          .map((user) => ({ kind: 'user' as const, user })),
        ...[...principal.tenant.groups.values()]
          .filter((group) => isGroupInUnit(unit, group))
          .map((group) => ({ kind: 'group' as const, group })),
      ]
      return reply.type(GRAPH_JSON).send({
        '@odata.context': contextUrl('directoryObjects', select.properties, false),
        value: members.map((member) => directoryObjectJson(member, select.properties)),
      })
    },
  )
}
