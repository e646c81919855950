import type { EmulatorContext } from '../context.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'

/**
 * A user of the tenant by object id or UPN, as Graph's replicas see it: a user still inside the
 * replication-delay window (see `faults.replicationDelayMs`) is not found yet.
 */
export function findVisibleUser(
  context: EmulatorContext,
  tenant: TenantState,
  idOrUpn: string,
): DirectoryUser | undefined {
  const user = context.directory.user(tenant, idOrUpn)
  if (!user || context.faults.isReplicating(user.createdAtMs)) return undefined
  return user
}

/** The tenant's users Graph's replicas already know about, in directory order. */
export function visibleUsers(context: EmulatorContext, tenant: TenantState): DirectoryUser[] {
  return [...tenant.users.values()].filter((user) => !context.faults.isReplicating(user.createdAtMs))
}

/**
 * The visible users with any of the keys (addresses or object ids), in directory order: a `$filter` that can only match
 * such users is answered from the directory's index instead of testing every user.
 */
export function visibleUsersByKeys(
  context: EmulatorContext,
  tenant: TenantState,
  keys: { addresses: readonly string[]; ids: readonly string[] },
): DirectoryUser[] {
  return context.directory
    .usersByKeys(tenant, keys)
    .filter((user) => !context.faults.isReplicating(user.createdAtMs))
}
