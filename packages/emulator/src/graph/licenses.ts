import type { FastifyInstance } from 'fastify'
import { authenticateGraphRequest } from './auth.js'
import { requireAccess, requireDelegatedScope } from './authorization.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { contextUrl } from './select.js'
import { userJson } from './user-view.js'
import { findVisibleUser } from './visibility.js'

const ASSIGN_LICENSES = ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']

const INVALID_USAGE_LOCATION = 'License assignment cannot be done for user with invalid usage location.'
/** A licence to remove that the user does not hold. */
const NOT_HELD = 'User does not have a corresponding license.'
/** A SKU the tenant has no subscription for (added or removed). */
const invalidLicense = (skuId: string) => `License ${skuId} does not correspond to a valid company License.`
/** Every enabled unit of the subscription is assigned already. */
const noAvailableLicenses = (skuId: string) =>
  `Subscription with SKU ${skuId} does not have any available licenses.`

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface LicenseChange {
  addLicenses: Array<{ skuId: string; disabledPlans: string[] }>
  removeLicenses: string[]
}

/**
 * `POST /v1.0/users/{id}/assignLicense`: adds and removes licences of the tenant's subscriptions (`subscribedSkus`).
 * As in Entra: a SKU the tenant has not subscribed to is refused, adding a licence needs the user's `usageLocation`,
 * and a new licence needs a free unit (enabled units minus those assigned); re-adding a licence the user holds takes
 * no unit and just replaces its `disabledPlans`. Success answers 200 with the user.
 */
export async function licenseRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.post<{ Params: { id: string } }>('/v1.0/users/:id/assignLicense', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireDelegatedScope(principal, reply, ASSIGN_LICENSES)) return reply
    const change = parseLicenseChange(request.body)
    if (typeof change === 'string') return sendGraphError(reply, 400, 'Request_BadRequest', change)
    const user = findVisibleUser(app.emulator, principal.tenant, request.params.id)
    if (!user) return sendResourceNotFound(reply, request.params.id)
    const rule = {
      scopes: ASSIGN_LICENSES,
      applicationPermissions: ASSIGN_LICENSES,
      actions: ['microsoft.directory/users/assignLicense'],
      target: { kind: 'user' as const, user },
    }
    if (!requireAccess(principal, reply, rule)) return reply
    const { directory } = app.emulator
    const tenant = principal.tenant
    const unknown = [...change.addLicenses.map((license) => license.skuId), ...change.removeLicenses].find(
      (skuId) => !tenant.subscribedSkus.has(skuId),
    )
    if (unknown) return sendGraphError(reply, 400, 'Request_BadRequest', invalidLicense(unknown))
    const notHeld = change.removeLicenses.find(
      (skuId) => !user.assignedLicenses.some((license) => license.skuId === skuId),
    )
    if (notHeld) return sendGraphError(reply, 400, 'Request_BadRequest', NOT_HELD)
    if (change.addLicenses.length > 0 && !user.usageLocation) {
      return sendGraphError(reply, 400, 'Request_BadRequest', INVALID_USAGE_LOCATION)
    }
    const held = new Set(user.assignedLicenses.map((license) => license.skuId))
    for (const license of change.addLicenses) {
      if (held.has(license.skuId)) continue
      const sku = tenant.subscribedSkus.get(license.skuId)
      const free = (sku?.prepaidUnits.enabled ?? 0) - directory.consumedUnits(tenant, license.skuId)
      if (free <= 0)
        return sendGraphError(reply, 400, 'Request_BadRequest', noAvailableLicenses(license.skuId))
    }
    const replaced = new Set([
      ...change.removeLicenses,
      ...change.addLicenses.map((license) => license.skuId),
    ])
    directory.updateUser(user, {
      assignedLicenses: [
        ...user.assignedLicenses.filter((license) => !replaced.has(license.skuId)),
        ...change.addLicenses,
      ],
    })
    return reply
      .type(GRAPH_JSON)
      .send({ '@odata.context': contextUrl('users', null, true), ...userJson(user) })
  })
}

/** The validated body, or Graph's message for what is wrong with it. */
function parseLicenseChange(body: unknown): LicenseChange | string {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const { addLicenses, removeLicenses } = input
  if (!Array.isArray(addLicenses) || !Array.isArray(removeLicenses)) {
    return "Both 'addLicenses' and 'removeLicenses' are required; pass an empty array for the one you do not use."
  }
  const added: LicenseChange['addLicenses'] = []
  for (const license of addLicenses as Array<{ skuId?: unknown; disabledPlans?: unknown } | null>) {
    const skuId = license?.skuId
    const disabledPlans = license?.disabledPlans ?? []
    if (typeof skuId !== 'string' || !GUID.test(skuId))
      return "Invalid value specified for property 'skuId' of resource 'AssignedLicense'."
    if (
      !Array.isArray(disabledPlans) ||
      !disabledPlans.every((plan) => typeof plan === 'string' && GUID.test(plan))
    ) {
      return "Invalid value specified for property 'disabledPlans' of resource 'AssignedLicense'."
    }
    const id = skuId.toLowerCase()
    const index = added.findIndex((license) => license.skuId === id)
    if (index >= 0) added.splice(index, 1)
    added.push({ skuId: id, disabledPlans: disabledPlans.map((plan: string) => plan.toLowerCase()) })
  }
  if (!removeLicenses.every((skuId) => typeof skuId === 'string' && GUID.test(skuId))) {
    return "Invalid value specified for property 'removeLicenses' of resource 'User'."
  }
  return { addLicenses: added, removeLicenses: removeLicenses.map((skuId: string) => skuId.toLowerCase()) }
}
