import type { RoleAssignmentRecord } from '../rbac/tenant-rbac.js'
import { type AppRoleAssignmentRecord, appRoleAssignmentsOf } from './app-role-assignments.js'
import type { Directory, DirectoryUser, TenantState } from './directory.js'

/**
 * A soft-deleted user in the tenant's deleted items, with what its deletion took away so that a restore can give it
 * back: "When deleted, user resources, including their mailbox and license assignments, are moved to a temporary
 * container and if the user is restored within 30 days, these objects are restored to them. The user is also restored
 * to any groups they were a member of." (https://learn.microsoft.com/graph/api/user-delete)
 */
export interface DeletedUserRecord {
  user: DirectoryUser
  /** ISO 8601, UTC, whole seconds (as Graph writes `deletedDateTime`). */
  deletedDateTime: string
  /** Ids of the groups the user was a member of, and of those it owned. */
  memberOf: string[]
  ownerOf: string[]
  /** The user's app role assignments (as principal), and its explicit directory role assignments. */
  appRoleAssignments: AppRoleAssignmentRecord[]
  roleAssignments: RoleAssignmentRecord[]
}

const stores = new WeakMap<TenantState, Map<string, DeletedUserRecord>>()

/**
 * The tenant's soft-deleted users by object id, in deletion order (live). A directory reset builds new tenants, hence
 * an empty container.
 */
export function deletedUsersOf(tenant: TenantState): Map<string, DeletedUserRecord> {
  let store = stores.get(tenant)
  if (!store) {
    store = new Map()
    stores.set(tenant, store)
  }
  return store
}

/**
 * Moves a user to deleted items: out of the tenant's users (lookups, lists and licence counts no longer see it, so its
 * licences are free again), out of the groups it was a member or owner of, its app role assignments and explicit role
 * assignments put aside. Administrative-unit membership is kept; units list only users that exist.
 *
 * @example
 * softDeleteUser(directory, contoso, grace, Date.now()).deletedDateTime // '2025-01-23T22:36:25Z'
 */
export function softDeleteUser(
  directory: Directory,
  tenant: TenantState,
  user: DirectoryUser,
  nowMs: number,
): DeletedUserRecord {
  const memberOf: string[] = []
  const ownerOf: string[] = []
  for (const group of tenant.groups.values()) {
    if (group.members.delete(user.id)) memberOf.push(group.id)
    if (group.owners.delete(user.id)) ownerOf.push(group.id)
  }
  const record: DeletedUserRecord = {
    user,
    deletedDateTime: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    memberOf,
    ownerOf,
    appRoleAssignments: takeWhere(appRoleAssignmentsOf(tenant), (entry) => entry.principalId === user.id),
    roleAssignments: takeWhere(tenant.roleAssignments, (entry) => entry.principalId === user.id),
  }
  directory.removeUser(tenant, user.id)
  deletedUsersOf(tenant).set(user.id, record)
  return record
}

/**
 * Brings a deleted user back with what its deletion took away: its groups (those that still exist), app role
 * assignments, role assignments and licences — "licenses that were assigned to the user at the time of deletion are
 * also restored even if there are no seats available" (https://learn.microsoft.com/entra/fundamentals/users-restore).
 */
export function restoreDeletedUser(
  directory: Directory,
  tenant: TenantState,
  record: DeletedUserRecord,
): DirectoryUser {
  const { user } = record
  deletedUsersOf(tenant).delete(user.id)
  directory.addUser(tenant, user)
  for (const groupId of record.memberOf) tenant.groups.get(groupId)?.members.add(user.id)
  for (const groupId of record.ownerOf) tenant.groups.get(groupId)?.owners.add(user.id)
  appRoleAssignmentsOf(tenant).push(...record.appRoleAssignments)
  tenant.roleAssignments.push(...record.roleAssignments)
  return user
}

/**
 * Deletes a soft-deleted user for good: it leaves deleted items and the administrative units it was assigned to.
 * `false` when deleted items hold no user with that id.
 */
export function purgeDeletedUser(tenant: TenantState, id: string): boolean {
  const key = id.toLowerCase()
  if (!deletedUsersOf(tenant).delete(key)) return false
  for (const unit of tenant.administrativeUnits.values()) unit.members.delete(key)
  return true
}

/** Removes the entries matching `predicate` from a live list and returns them. */
function takeWhere<T>(list: T[], predicate: (entry: T) => boolean): T[] {
  const taken = list.filter(predicate)
  for (const entry of taken) list.splice(list.indexOf(entry), 1)
  return taken
}
