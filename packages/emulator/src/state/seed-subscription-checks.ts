import type { TenantSeed } from './seed-schema.js'

/**
 * What is wrong with a tenant's subscriptions, users' licences and apps' directory extensions, or `undefined`: SKU
 * ids used twice, a licence of a SKU the tenant has no subscription for, an extension declared twice on one app.
 *
 * @example
 * subscriptionSeedProblem(tenant) // 'user Adele Vance holds SKU 0000…, which is not among subscribedSkus'
 */
export function subscriptionSeedProblem(tenant: TenantSeed): string | undefined {
  const skuIds = new Set<string>()
  for (const sku of tenant.subscribedSkus ?? []) {
    const id = sku.skuId.toLowerCase()
    if (skuIds.has(id)) return `subscribedSkus lists SKU ${sku.skuId} twice`
    skuIds.add(id)
  }
  for (const user of tenant.users) {
    for (const license of user.assignedLicenses ?? []) {
      if (!skuIds.has(license.skuId.toLowerCase())) {
        return `user ${user.displayName} holds SKU ${license.skuId}, which is not among subscribedSkus`
      }
    }
  }
  for (const app of tenant.applications) {
    const names = new Set<string>()
    for (const extension of app.extensionProperties ?? []) {
      const name = extension.name.toLowerCase()
      if (names.has(name))
        return `application ${app.displayName} declares extension property ${extension.name} twice`
      names.add(name)
    }
  }
  return undefined
}
