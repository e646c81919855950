import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { EmulatorContext } from '../context.js'
import type { DirectoryUser } from '../state/directory.js'
import { sponsorsOf } from '../state/sponsors.js'
import { authenticateGraphRequest, type GraphPrincipal } from './auth.js'
import { type AccessRule, requireAccess, requireDelegatedScope } from './authorization.js'
import { useGraphErrorHandler } from './error-handler.js'
import { GRAPH_JSON, sendGraphError, sendResourceNotFound } from './errors.js'
import { composeInvitationEmail } from './invitation-email.js'
import { refuseInvitation } from './invitation-policy.js'
import { type InvitationRequest, parseInvitationRequest } from './invitation-request.js'
import { buildInviteRedeemUrl, newTicket } from './redeem-link.js'
import {
  EMAIL_NOT_ON_USER,
  holdsResetPermission,
  mayResetRedemption,
  notAnExternalUser,
  RESET_NOT_ALLOWED,
} from './reset-redemption.js'
import { GRAPH_SERVICE_ROOT } from './select.js'
import { sponsorEntry } from './sponsors.js'
import { findVisibleUser } from './visibility.js'

const INVITE_USERS = ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All']

/**
 * App-only callers invite with an application permission, or through a role of their service principal that holds
 * `users/inviteGuest` tenant-wide. Delegated callers' roles are weighed by the tenant's `allowInvitesFrom`.
 */
const APP_INVITES: AccessRule = {
  scopes: INVITE_USERS,
  applicationPermissions: INVITE_USERS,
  actions: ['microsoft.directory/users/inviteGuest'],
  target: { kind: 'tenant' },
}

type Invitee =
  | { user: DirectoryUser; alreadyInvited: boolean }
  | { fail: (reply: FastifyReply) => FastifyReply }

/**
 * `POST /v1.0/invitations`: B2B invitations. Creates (or finds) the guest, records the invitation, sends the
 * email to the outbox when asked, and answers 201 with the invitation entity. Re-inviting a guest keeps the
 * user and issues a new redeem URL; inviting someone who is already a member of the directory fails.
 */
export async function invitationRoutes(app: FastifyInstance): Promise<void> {
  useGraphErrorHandler(app)

  app.post('/v1.0/invitations', async (request, reply) => {
    const principal = await authenticateGraphRequest(request, reply)
    if (!principal) return reply
    if (!requireDelegatedScope(principal, reply, INVITE_USERS)) return reply
    if (!principal.user && !requireAccess(principal, reply, APP_INVITES)) return reply
    const parsed = parseInvitationRequest(request.body)
    if (!parsed.ok) return sendGraphError(reply, 400, 'BadRequest', parsed.message)
    const invitation = parsed.request
    const { tenant, user: inviter } = principal
    const context = app.emulator
    // Resetting a redemption needs User.ReadWrite.All (User.Invite.All is not enough), decided before any look-up.
    if (invitation.resetRedemption && !holdsResetPermission(principal)) {
      return sendGraphError(reply, 403, 'Forbidden', RESET_NOT_ALLOWED)
    }

    const refusal = refuseInvitation({
      tenant,
      // Who may reset is decided by the caller's roles (resolveInvitee), not by allowInvitesFrom's who-may-invite.
      inviter: invitation.resetRedemption ? null : inviter,
      email: invitation.invitedUserEmailAddress,
      faults: context.faults,
    })
    if (refusal) return sendGraphError(reply, 403, 'Forbidden', refusal.message)
    const unknownSponsor = invitation.invitedUserSponsors?.find((id) => !sponsorEntry(context, tenant, id))
    if (unknownSponsor) return sendResourceNotFound(reply, unknownSponsor)
    const invitee = resolveInvitee(context, principal, invitation)
    if ('fail' in invitee) return invitee.fail(reply)

    const { user } = invitee
    if (!invitee.alreadyInvited) {
      // A new guest's sponsors: those the invitation names, else the inviting user (an app is no sponsor).
      sponsorsOf(tenant, user.id).push(...(invitation.invitedUserSponsors ?? (inviter ? [inviter.id] : [])))
    }
    const id = randomUUID()
    const ticket = newTicket()
    const inviteRedeemUrl = buildInviteRedeemUrl(context.baseUrl, {
      tenantId: tenant.id,
      invitationId: id,
      ticket,
    })
    const now = new Date(context.clock()).toISOString()
    context.directory.invitations.set(id, {
      id,
      tenantId: tenant.id,
      invitedUserId: user.id,
      invitedUserEmailAddress: invitation.invitedUserEmailAddress,
      invitedUserDisplayName: invitation.invitedUserDisplayName,
      inviteRedirectUrl: invitation.inviteRedirectUrl,
      inviteRedeemUrl,
      ticket,
      sendInvitationMessage: invitation.sendInvitationMessage,
      appId: principal.appId,
      inviterId: inviter?.id ?? null,
      createdDateTime: now,
      redeemedDateTime: null,
    })
    if (invitation.sendInvitationMessage) {
      context.directory.outbox.push(
        composeInvitationEmail({
          tenant,
          inviter,
          invitationId: id,
          request: invitation,
          inviteRedeemUrl,
          sentDateTime: now,
        }),
      )
    }
    const completed = invitee.alreadyInvited && user.externalUserState === 'Accepted'
    return reply
      .code(201)
      .type(GRAPH_JSON)
      .send({
        '@odata.context': `${GRAPH_SERVICE_ROOT}/$metadata#invitations/$entity`,
        id,
        inviteRedeemUrl,
        invitedUserDisplayName: invitation.invitedUserDisplayName,
        invitedUserType: invitation.invitedUserType,
        invitedUserEmailAddress: invitation.invitedUserEmailAddress,
        sendInvitationMessage: invitation.sendInvitationMessage,
        resetRedemption: invitation.resetRedemption,
        inviteRedirectUrl: invitation.inviteRedirectUrl,
        status: completed ? 'Completed' : 'PendingAcceptance',
        invitedUserMessageInfo: invitation.invitedUserMessageInfo,
        invitedUser: { id: user.id },
      })
  })
}

/**
 * The user an invitation is for: the existing guest with that address, the user whose redemption is reset,
 * or a new guest. An address that belongs to a user the directory did not create by invitation is refused.
 *
 * A reset (https://learn.microsoft.com/entra/external-id/reset-redemption-status) keeps the user's object id, UPN,
 * memberships and app assignments and puts it back to `PendingAcceptance`. The address must already be the user's
 * `mail` or one of its `otherMails` (the reset does not change them), and the caller's roles must reach the user.
 */
function resolveInvitee(
  context: EmulatorContext,
  principal: GraphPrincipal,
  invitation: InvitationRequest,
): Invitee {
  const { tenant } = principal
  const email = invitation.invitedUserEmailAddress
  const holder = context.directory.userByEmail(tenant, email)
  if (invitation.resetRedemption) {
    const invitedUserId = invitation.invitedUserId as string
    const user = findVisibleUser(context, tenant, invitedUserId)
    if (!user) return { fail: (reply) => sendResourceNotFound(reply, invitedUserId) }
    if (user.creationType !== 'Invitation') {
      return { fail: (reply) => sendGraphError(reply, 400, 'BadRequest', notAnExternalUser(user.id)) }
    }
    if (holder && holder.id !== user.id) return { fail: (reply) => alreadyExists(reply, holder) }
    const addresses = [user.mail, ...user.otherMails].map((address) => address?.toLowerCase())
    if (!addresses.includes(email.toLowerCase())) {
      return { fail: (reply) => sendGraphError(reply, 400, 'BadRequest', EMAIL_NOT_ON_USER) }
    }
    const processed = (changedAtMs: number) => context.faults.dynamicMembershipProcessed(changedAtMs)
    if (!mayResetRedemption(principal, user, processed)) {
      return { fail: (reply) => sendGraphError(reply, 403, 'Forbidden', RESET_NOT_ALLOWED) }
    }
    context.directory.updateUser(user, {
      externalUserState: 'PendingAcceptance',
      externalUserStateChangeDateTime: new Date(context.clock()).toISOString(),
    })
    return { user, alreadyInvited: true }
  }
  if (holder) {
    if (!holder.accountEnabled) {
      return {
        fail: (reply) =>
          sendGraphError(
            reply,
            412,
            'PreconditionFailed',
            `The invited user already exists in the directory as object ID: ${holder.id}, but the account is blocked from signing in. If the account is unblocked, they can use that account to sign in to shared apps and resources.`,
          ),
      }
    }
    if (holder.creationType !== 'Invitation') return { fail: (reply) => alreadyExists(reply, holder) }
    return { user: holder, alreadyInvited: true }
  }
  const user = context.directory.createGuest(tenant, email, invitation.invitedUserDisplayName)
  user.userType = invitation.invitedUserType
  return { user, alreadyInvited: false }
}

function alreadyExists(reply: FastifyReply, holder: DirectoryUser): FastifyReply {
  return sendGraphError(
    reply,
    400,
    'BadRequest',
    `The invited user already exists in the directory as object ID: ${holder.id}`,
  )
}
