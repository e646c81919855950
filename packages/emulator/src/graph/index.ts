import type { FastifyInstance } from 'fastify'
import { administrativeUnitRoutes } from './administrative-units.js'
import { appRoleAssignmentRoutes } from './app-role-assignments.js'
import { batchRoutes } from './batch.js'
import { deletedItemRoutes } from './deleted-items.js'
import { groupMembershipRoutes } from './group-membership.js'
import { groupOwnerRoutes } from './group-owners.js'
import { groupReadRoutes } from './group-read.js'
import { groupRoutes } from './groups.js'
import { invitationRoutes } from './invitations.js'
import { licenseRoutes } from './licenses.js'
import { permissionGrantRoutes } from './permission-grants.js'
import { redeemRoutes } from './redeem.js'
import { roleManagementRoutes } from './role-management.js'
import { servicePrincipalRoutes } from './service-principals.js'
import { sponsorRoutes } from './sponsors.js'
import { subscribedSkuRoutes } from './subscribed-skus.js'
import { userRoutes } from './users.js'

/** Microsoft Graph `/v1.0`: the subset entra-share calls, plus the guest's redeem page. */
export async function graphRoutes(app: FastifyInstance): Promise<void> {
  await app.register(invitationRoutes)
  await app.register(userRoutes)
  await app.register(groupRoutes)
  await app.register(groupReadRoutes)
  await app.register(groupMembershipRoutes)
  await app.register(licenseRoutes)
  await app.register(subscribedSkuRoutes)
  await app.register(batchRoutes)
  await app.register(redeemRoutes)
  await app.register(servicePrincipalRoutes)
  await app.register(permissionGrantRoutes)
  await app.register(groupOwnerRoutes)
  await app.register(roleManagementRoutes)
  await app.register(administrativeUnitRoutes)
  await app.register(appRoleAssignmentRoutes)
  await app.register(sponsorRoutes)
  await app.register(deletedItemRoutes)
}
