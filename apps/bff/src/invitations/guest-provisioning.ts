import type { CreatedInvitation, CreateInvitationRequest, Invitation } from '@entra-share/contracts'
import { decodeJwt } from 'jose'
import type { BffConfig } from '../config.js'
import type { Caller, GraphTokenProvider } from '../identity/caller.js'
import type { InviteService } from './invite-service.js'
import { createdInvitation, publicInvitation } from './public-invitation.js'

/**
 * The invitation engine for a host's own code, without HTTP: the Finance & Operations "provision B2B user" task, a
 * workflow step, a back-office job. Every call runs as the BFF's own application (client credentials), like an
 * app-only caller of the HTTP API holding `Invitations.Send.All`: same pre-flight rules, presets, follow-up steps,
 * records, events and quota, with `invitedBy` the BFF's service principal.
 */
export interface GuestProvisioning {
  /**
   * Invites a guest and runs the follow-up steps; answers like `POST /api/invitations` (a `partial` invitation is
   * finished by the retrier). Throws `ProblemError` with a catalogued code.
   */
  inviteGuest(request: CreateInvitationRequest, options?: ProvisioningOptions): Promise<CreatedInvitation>
  /** One invitation by the BFF's id; `refresh` re-reads the guest's state from Graph. */
  getInvitation(id: string, options?: ProvisioningOptions & { refresh?: boolean }): Promise<Invitation>
  /** Sends the invitation again (a guest who already redeemed gets Graph's reset redemption). */
  resendInvitation(id: string, options?: ProvisioningOptions): Promise<CreatedInvitation>
}

export interface ProvisioningOptions {
  /** The tenant to act in (one of `ENTRA_SHARE_ALLOWED_TENANT_IDS`). Default: the BFF's home tenant. */
  tenantId?: string
}

/**
 * @example
 * // A host that mounts the BFF as a plugin: the same engine from a workflow task.
 * await host.register(entraShare, { config })
 * const invitation = await host.entraShare.provisioning.inviteGuest({
 *   email: 'ada@fabrikam.example',
 *   displayName: 'Ada Lovelace',
 *   presetId: 'apollo',
 * })
 * await myTable.insert({ objectId: invitation.invitedUserId, redeemUrl: invitation.inviteRedeemUrl })
 */
export function createGuestProvisioning(
  config: Pick<BffConfig, 'tenantId' | 'clientId' | 'adminRole' | 'allowedTenantIds'>,
  services: { invites: InviteService; tokens: Pick<GraphTokenProvider, 'appToken'> },
): GuestProvisioning {
  const { invites, tokens } = services

  /** The BFF's application as the caller: its service principal's object id is the app token's `oid`. */
  async function appCaller(options: ProvisioningOptions = {}): Promise<Caller> {
    const tenantId = options.tenantId ?? config.tenantId
    if (!config.allowedTenantIds.includes(tenantId)) {
      throw new RangeError(
        `Tenant ${tenantId} is not in ENTRA_SHARE_ALLOWED_TENANT_IDS (${config.allowedTenantIds.join(', ')}).`,
      )
    }
    const token = await tokens.appToken(tenantId)
    const { oid } = decodeJwt(token)
    return {
      tenantId,
      objectId: typeof oid === 'string' ? oid : config.clientId,
      name: null,
      username: null,
      scopes: [],
      roles: [config.adminRole],
      clientId: config.clientId,
      appOnly: true,
      isAdmin: true,
      accessToken: token,
    }
  }

  return {
    async inviteGuest(request, options) {
      return createdInvitation(await invites.invite(await appCaller(options), request))
    },
    async getInvitation(id, options = {}) {
      return publicInvitation(
        await invites.get(await appCaller(options), id, { refresh: options.refresh === true }),
      )
    },
    async resendInvitation(id, options) {
      return createdInvitation(await invites.resend(await appCaller(options), id))
    },
  }
}
