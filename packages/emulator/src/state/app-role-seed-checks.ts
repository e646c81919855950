import { appRolesOf } from './app-role-assignments.js'
import type { TenantSeed } from './seed-schema.js'

/**
 * What is wrong with a tenant's app roles and enterprise-application owners, or `undefined`: within one application
 * app role ids and values are unique (Entra refuses duplicates in the manifest), and `owners` name users of the tenant.
 *
 * @example
 * appRoleSeedProblem(tenant) // "application entra-share BFF declares the app role value 'Invitations.Admin' twice"
 */
export function appRoleSeedProblem(tenant: TenantSeed): string | undefined {
  const userIds = new Set(tenant.users.map((user) => user.id.toLowerCase()))
  for (const app of tenant.applications) {
    const ids = new Set<string>()
    const values = new Set<string>()
    for (const role of appRolesOf(app)) {
      if (ids.has(role.id)) return `application ${app.displayName} declares the app role id ${role.id} twice`
      if (values.has(role.value))
        return `application ${app.displayName} declares the app role value '${role.value}' twice`
      ids.add(role.id)
      values.add(role.value)
    }
    for (const owner of app.owners ?? []) {
      if (!userIds.has(owner.toLowerCase()))
        return `application ${app.displayName} lists owner ${owner}, which is not a user of the tenant`
    }
  }
  return undefined
}
