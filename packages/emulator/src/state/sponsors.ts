import type { TenantState } from './directory.js'

/** The most sponsors a user may have (https://learn.microsoft.com/entra/external-id/b2b-sponsors). */
export const MAX_SPONSORS = 5

const stores = new WeakMap<TenantState, Map<string, string[]>>()

/**
 * The sponsors of a user (`user.sponsors`): object ids of users and groups, in the order they were added. The list is
 * live (callers may change it). Seeded users have none; a directory reset builds new tenants, hence no sponsors.
 */
export function sponsorsOf(tenant: TenantState, userId: string): string[] {
  let store = stores.get(tenant)
  if (!store) {
    store = new Map()
    stores.set(tenant, store)
  }
  const key = userId.toLowerCase()
  let sponsors = store.get(key)
  if (!sponsors) {
    sponsors = []
    store.set(key, sponsors)
  }
  return sponsors
}
