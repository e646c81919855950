import { maySensitiveAction, roleIdsOf } from '../rbac/sensitive-actions.js'
import type { RoleAssignmentRecord } from '../rbac/tenant-rbac.js'
import type { DirectoryUser } from '../state/directory.js'
import { servicePrincipalId } from '../state/service-principal-id.js'
import { type GraphPrincipal, holdsAnyPermission } from './auth.js'

/**
 * The permissions behind disabling, deleting and restoring users, and the sensitive-action rule they share.
 *
 * - `PATCH /users/{id}`: `User.ReadWrite.All` or `Directory.ReadWrite.All`; a body that changes `accountEnabled` only
 *   may also come with `User.EnableDisableAccount.All` + `User.Read.All`, "the least privileged combination of
 *   permissions to update the accountEnabled property" (https://learn.microsoft.com/graph/api/user-update).
 * - `DELETE /users/{id}`, `POST /directory/deletedItems/{id}/restore`, `DELETE /directory/deletedItems/{id}`:
 *   `User.DeleteRestore.All` ("Allows the app to delete and restore all users",
 *   https://learn.microsoft.com/graph/permissions-reference) or `User.ReadWrite.All`
 *   (https://learn.microsoft.com/graph/api/user-delete) — not `Directory.ReadWrite.All`, which "does not allow user or
 *   group deletion" (permissions reference). Permanent deletion app-only takes `User.DeleteRestore.All` only
 *   (https://learn.microsoft.com/graph/api/directory-deleteditems-delete).
 */
export const WRITE_USERS = ['User.ReadWrite.All', 'Directory.ReadWrite.All']
export const DELETE_RESTORE_USERS = ['User.DeleteRestore.All', 'User.ReadWrite.All']
export const PURGE_USERS_APP_ONLY = ['User.DeleteRestore.All']

const ENABLE_DISABLE = ['User.EnableDisableAccount.All']
const READ_ALL_USERS = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]

/**
 * Whether a token's permissions allow a `PATCH /users/{id}` with this body (before any look-up): `User.ReadWrite.All`
 * or broader, or — for a body that sets `accountEnabled` and nothing else — `User.EnableDisableAccount.All` together
 * with a permission that reads all users.
 *
 * @example
 * userPatchPermitted(new Set(['User.EnableDisableAccount.All', 'User.Read.All']), { accountEnabled: false }) // true
 */
export function userPatchPermitted(permissions: ReadonlySet<string>, body: unknown): boolean {
  if (holdsAnyPermission(permissions, WRITE_USERS)) return true
  return (
    changesAccountEnabledOnly(body) &&
    holdsAnyPermission(permissions, ENABLE_DISABLE) &&
    holdsAnyPermission(permissions, READ_ALL_USERS)
  )
}

/**
 * Whether the token holds one of the permissions by name, broader ones not counting (`Directory.ReadWrite.All` must
 * not stand in for `User.ReadWrite.All` where Graph refuses it).
 */
export function holdsOneOf(permissions: ReadonlySet<string>, accepted: readonly string[]): boolean {
  const wanted = new Set(accepted.map((name) => name.toLowerCase()))
  return [...permissions].some((held) => wanted.has(held.toLowerCase()))
}

/**
 * "Who can perform sensitive actions" for this caller and target user (`rbac/sensitive-actions.ts`), after the
 * permission and role permission checks. `extraRoleAssignments`: role assignments a deleted user's record keeps.
 */
export function mayActOnUser(
  principal: GraphPrincipal,
  action: string,
  target: DirectoryUser,
  allowedByPermission: boolean,
  extraRoleAssignments: readonly RoleAssignmentRecord[] = [],
): boolean {
  const { tenant, user } = principal
  return maySensitiveAction({
    tenant,
    caller: user
      ? { objectId: user.id, user }
      : { objectId: servicePrincipalId(tenant.id, principal.appId), user: null },
    delegatedPermissions: user ? principal.permissions : null,
    allowedByApplicationPermission: !user && allowedByPermission,
    action,
    targetRoleIds: roleIdsOf(tenant, target, extraRoleAssignments),
  })
}

/** The role permission a change of `accountEnabled` needs. */
export function accountEnabledAction(enabled: boolean): string {
  return enabled ? 'microsoft.directory/users/enable' : 'microsoft.directory/users/disable'
}

function changesAccountEnabledOnly(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false
  const names = Object.keys(body).filter((name) => !name.startsWith('@'))
  return names.length === 1 && names[0] === 'accountEnabled'
}
