import type { MembershipProcessed } from '../rbac/administrative-units.js'
import { grantsAction } from '../rbac/built-in-roles.js'
import { assignmentsOf, rolePermissionsOf, scopeCovers } from '../rbac/privileges.js'
import type { DirectoryUser } from '../state/directory.js'
import { type GraphPrincipal, holdsAnyPermission } from './auth.js'

/**
 * Resetting a guest's redemption needs `User.ReadWrite.All` ("the least privileged permission for the operation",
 * https://learn.microsoft.com/graph/api/invitation-post); `Directory.ReadWrite.All` is broader.
 */
const RESET_PERMISSIONS = ['User.ReadWrite.All', 'Directory.ReadWrite.All']

/**
 * Graph's refusal of a redemption reset the caller may not make: 403 `Forbidden` with this text, as Graph answered a
 * reset without the needed privileges in MicrosoftDocs/azure-docs issue 71825 (the docs give no error text).
 */
export const RESET_NOT_ALLOWED = 'Generic authorization exception.'

/**
 * Graph's 400 `BadRequest` when `invitedUserEmailAddress` is neither the user's `mail` nor one of its `otherMails`
 * (quoted in MicrosoftDocs/azure-docs issue 86773; the docs say to add the new address to the user first).
 */
export const EMAIL_NOT_ON_USER =
  'The email you’re using to invite this user doesn’t match any emails on the user object. Please add this email to the user object and try again.'

/** The emulator's wording for a reset of a user the directory did not create by invitation (the docs are silent). */
export function notAnExternalUser(userId: string): string {
  return `The user '${userId}' is not an external user: only the redemption status of an invited user can be reset.`
}

/** The role permission the roles that may reset redemption (Helpdesk Administrator, User Administrator) share. */
const RESET_ACTION = 'microsoft.directory/users/password/update'

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10'
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1'
const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8'
const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b'
const GUEST_INVITER = '95e79109-95c0-4d8e-aee3-d01accf2d47b'
const GROUPS_ADMINISTRATOR = 'fdd7a751-b60b-444a-984c-02652fe8fa1c'

/**
 * The roles a holder of each caller role may reset, from "Who can reset passwords"
 * (https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions#who-can-reset-passwords),
 * for the roles the emulator models. A target with any other role needs a Global Administrator.
 */
const RESETTABLE_ROLES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [HELPDESK_ADMINISTRATOR, new Set([DIRECTORY_READERS, GUEST_INVITER, HELPDESK_ADMINISTRATOR])],
  [
    USER_ADMINISTRATOR,
    new Set([
      DIRECTORY_READERS,
      GROUPS_ADMINISTRATOR,
      GUEST_INVITER,
      HELPDESK_ADMINISTRATOR,
      USER_ADMINISTRATOR,
    ]),
  ],
])

/** Whether the token's permissions allow a redemption reset at all (checked before anything is looked up). */
export function holdsResetPermission(principal: GraphPrincipal): boolean {
  return holdsAnyPermission(principal.permissions, RESET_PERMISSIONS)
}

/**
 * Whether the caller may reset this user's redemption.
 *
 * - App-only: not when the user holds any directory role ("For app-only calls, the redemption status can't be reset
 *   if there are any roles assigned to the target user account", https://learn.microsoft.com/entra/external-id/reset-redemption-status).
 * - Delegated: a role holding `users/password/update` over the user — Helpdesk Administrator or User Administrator
 *   (the invitation-post doc: "To reset the redemption status: Helpdesk Administrator or User Administrator"), or
 *   Global Administrator — that may reset the user's roles as it may reset their passwords. A role scoped to an
 *   administrative unit resets only users without roles (the doc's "further restrictions" are not detailed).
 */
export function mayResetRedemption(
  principal: GraphPrincipal,
  target: DirectoryUser,
  processed: MembershipProcessed,
): boolean {
  const { tenant, user } = principal
  const targetRoles = new Set(
    assignmentsOf(tenant, { objectId: target.id, user: target }).map(
      (assignment) => assignment.roleDefinitionId,
    ),
  )
  if (!user) return targetRoles.size === 0
  const options = { processed, administrativeUnitScopes: user.userType === 'Member' }
  return assignmentsOf(tenant, { objectId: user.id, user }).some((assignment) => {
    const roleId = assignment.roleDefinitionId
    if (!rolePermissionsOf(tenant, roleId).some((held) => grantsAction(held, RESET_ACTION))) return false
    if (!scopeCovers(tenant, assignment.directoryScopeId, { kind: 'user', user: target }, options))
      return false
    if (roleId === GLOBAL_ADMINISTRATOR) return true
    const resettable = assignment.directoryScopeId === '/' ? RESETTABLE_ROLES.get(roleId) : undefined
    return [...targetRoles].every((role) => resettable?.has(role) ?? false)
  })
}
