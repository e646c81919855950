import type { FaultEngine } from '../faults/engine.js'
import { holdsTenantWideAction } from '../rbac/privileges.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'

/** Why the directory refuses to send an invitation: Graph answers `403 Forbidden` with this message. */
export interface InvitationRefusal {
  message: string
}

export const GUEST_INVITES_NOT_ALLOWED =
  'Guest invitations not allowed for your company. Contact your company administrator for more details.'

export const CROSS_TENANT_BLOCKED =
  "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation."

/**
 * The role permission of Guest Inviter, User Administrator and Global Administrator that lets a user invite
 * whatever `allowInvitesFrom` says, short of `none`.
 */
const INVITE_GUEST = 'microsoft.directory/users/inviteGuest'

/**
 * Applies the tenant's external collaboration settings and the fault switches to an invitation, in the order
 * the service does: invitations switched off (`allowInvitesFrom: none` stops everyone, admins and apps included),
 * who may invite (`allowInvitesFrom`, for delegated callers: a tenant-wide role holding `users/inviteGuest`, all
 * members, or everyone; app-only callers that hold an invite permission pass), the domain allow/deny list, then
 * cross-tenant access. Returns `undefined` when the invitation may go ahead.
 * https://learn.microsoft.com/graph/api/resources/authorizationpolicy#allowinvitesfrom-values
 */
export function refuseInvitation(options: {
  tenant: TenantState
  /** The signed-in inviter; `null` for app-only calls. */
  inviter: DirectoryUser | null
  email: string
  faults: FaultEngine
}): InvitationRefusal | undefined {
  const { tenant, inviter, email, faults } = options
  const { allowInvitesFrom, allowedDomains = [], blockedDomains = [] } = tenant.settings
  if (allowInvitesFrom === 'none' || faults.guestInvitesDisabled(tenant.id))
    return { message: GUEST_INVITES_NOT_ALLOWED }
  if (inviter && !mayInvite(tenant, inviter, allowInvitesFrom)) return { message: GUEST_INVITES_NOT_ALLOWED }
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase()
  const listed = (domains: string[]) => domains.some((entry) => entry.toLowerCase() === domain)
  if ((allowedDomains.length > 0 && !listed(allowedDomains)) || listed(blockedDomains)) {
    return {
      message: `The domain '${domain}' of the invited user is currently blocked by your invitation policy.`,
    }
  }
  if (faults.crossTenantBlocked(email)) return { message: CROSS_TENANT_BLOCKED }
  return undefined
}

function mayInvite(
  tenant: TenantState,
  inviter: DirectoryUser,
  allowInvitesFrom: TenantState['settings']['allowInvitesFrom'],
): boolean {
  if (allowInvitesFrom === 'everyone') return true
  if (holdsTenantWideAction(tenant, { objectId: inviter.id, user: inviter }, INVITE_GUEST)) return true
  return allowInvitesFrom === 'adminsGuestInvitersAndAllMembers' && inviter.userType === 'Member'
}
