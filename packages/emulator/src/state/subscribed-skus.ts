import { createHash } from 'node:crypto'
import type { SubscribedSkuSeed } from './seed-schema.js'

/** Prepaid units of a subscription by status (Graph's `licenseUnitsDetail`). */
export interface LicenseUnits {
  enabled: number
  suspended: number
  warning: number
  lockedOut: number
}

/** A service plan of a SKU (Graph's `servicePlanInfo`). */
export interface ServicePlanRecord {
  servicePlanId: string
  servicePlanName: string
  provisioningStatus: string
  appliesTo: 'User' | 'Company'
}

/** A commercial subscription of the tenant (Graph's `subscribedSku`); consumption is counted from the users. */
export interface SubscribedSkuRecord {
  skuId: string
  skuPartNumber: string
  appliesTo: 'User' | 'Company'
  prepaidUnits: LicenseUnits
  servicePlans: ServicePlanRecord[]
  accountId: string
  accountName: string
  subscriptionIds: string[]
}

/**
 * The tenant's subscriptions from its seed, by lower-case SKU id. `accountId` and the subscription id are stable GUIDs
 * derived from the tenant and SKU (Microsoft's billing objects are not emulated); `accountName` is the tenant's name.
 *
 * @example
 * subscribedSkusFromSeed('c0de…', 'Contoso', [{ skuId: 'f8a1db68-…', skuPartNumber: 'POWER_BI_PRO', prepaidUnits: { enabled: 1 } }])
 */
export function subscribedSkusFromSeed(
  tenantId: string,
  tenantName: string,
  seeds: readonly SubscribedSkuSeed[],
): Map<string, SubscribedSkuRecord> {
  const accountId = derivedGuid(`billingAccount:${tenantId}`)
  return new Map(
    seeds.map((seed) => {
      const skuId = seed.skuId.toLowerCase()
      const record: SubscribedSkuRecord = {
        skuId,
        skuPartNumber: seed.skuPartNumber,
        appliesTo: seed.appliesTo ?? 'User',
        prepaidUnits: {
          enabled: seed.prepaidUnits.enabled,
          suspended: seed.prepaidUnits.suspended ?? 0,
          warning: seed.prepaidUnits.warning ?? 0,
          lockedOut: seed.prepaidUnits.lockedOut ?? 0,
        },
        servicePlans: (seed.servicePlans ?? []).map((plan) => ({
          servicePlanId: plan.servicePlanId.toLowerCase(),
          servicePlanName: plan.servicePlanName,
          provisioningStatus: 'Success',
          appliesTo: plan.appliesTo ?? 'User',
        })),
        accountId,
        accountName: tenantName,
        subscriptionIds: [derivedGuid(`subscription:${tenantId}:${skuId}`)],
      }
      return [skuId, record]
    }),
  )
}

/**
 * `capabilityStatus` as Graph derives it from the units: `Enabled` while at least one unit is enabled (the
 * subscribedSku page), then `Warning`, `Suspended`, `LockedOut` by the units left; `Deleted` with none at all.
 */
export function capabilityStatus(units: LicenseUnits): string {
  if (units.enabled > 0) return 'Enabled'
  if (units.warning > 0) return 'Warning'
  if (units.suspended > 0) return 'Suspended'
  if (units.lockedOut > 0) return 'LockedOut'
  return 'Deleted'
}

function derivedGuid(name: string): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
