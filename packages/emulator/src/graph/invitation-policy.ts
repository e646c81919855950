import type { DirectoryUser, TenantState } from '../directory.js'
import type { FaultEngine } from '../faults.js'

/** Why the directory refuses to send an invitation: Graph answers `403 Forbidden` with this message. */
export interface InvitationRefusal {
  message: string
}

export const GUEST_INVITES_NOT_ALLOWED =
  'Guest invitations not allowed for your company. Contact your company administrator for more details.'

export const CROSS_TENANT_BLOCKED =
  "This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user's organization must configure cross-tenant access settings to allow the invitation."

/** Directory roles that may always invite unless invitations are switched off (`allowInvitesFrom: none`). */
const INVITING_ROLES = new Set(['global administrator', 'user administrator', 'guest inviter'])

/**
 * Applies the tenant's external collaboration settings and the fault switches to an invitation, in the order
 * the service does: invitations switched off, who may invite (`allowInvitesFrom`, delegated callers only —
 * app-only callers with an invite permission pass unless invitations are off), the domain allow/deny list,
 * then cross-tenant access. Returns `undefined` when the invitation may go ahead.
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
  if (inviter && !mayInvite(inviter, allowInvitesFrom)) return { message: GUEST_INVITES_NOT_ALLOWED }
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
  inviter: DirectoryUser,
  allowInvitesFrom: TenantState['settings']['allowInvitesFrom'],
): boolean {
  if (inviter.directoryRoles.some((role) => INVITING_ROLES.has(role.toLowerCase()))) return true
  if (allowInvitesFrom === 'everyone') return true
  return allowInvitesFrom === 'adminsGuestInvitersAndAllMembers' && inviter.userType === 'Member'
}
