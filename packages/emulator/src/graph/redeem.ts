import type { FastifyInstance, FastifyReply } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { aadsts } from '../entra/aadsts.js'
import { errorPage } from '../entra/login-page.js'
import { newErrorTrace } from '../entra/oauth-errors.js'
import type { DirectoryUser, InvitationRecord, TenantState } from '../state/directory.js'
import { parseRedeemTarget, ticketsMatch } from './redeem-link.js'
import { PAGE_HEADERS, renderInvalidInvitationPage, renderReviewPermissionsPage } from './redeem-page.js'

interface Redemption {
  invitation: InvitationRecord
  tenant: TenantState
  guest: DirectoryUser
  /** The inner redeem URL the link carried. */
  target: string
}

/**
 * The guest's side of an invitation. `GET /redeem?rd=…` (the `inviteRedeemUrl`) and `GET /invitations/redeem/?…`
 * (the URL inside `rd`) show the "Review permissions" page; `POST /redeem` (its Accept button) marks the guest
 * `Accepted` and the invitation redeemed, then redirects to the invitation's `inviteRedirectUrl`.
 */
export async function redeemRoutes(app: FastifyInstance): Promise<void> {
  const context = app.emulator

  app.get('/redeem', async (request, reply) => {
    const rd = (request.query as { rd?: unknown }).rd
    const redemption = findRedemption(context, rd)
    if (redemption && !redemption.guest.accountEnabled) return sendAccountDisabled(reply, context)
    return showReviewPage(reply, redemption)
  })

  app.get('/invitations/redeem', async (request, reply) => {
    const redemption = findRedemption(context, `${context.baseUrl}${request.url}`)
    if (redemption && !redemption.guest.accountEnabled) return sendAccountDisabled(reply, context)
    return showReviewPage(reply, redemption)
  })

  app.post('/redeem', async (request, reply) => {
    const redemption = findRedemption(context, (request.body as { rd?: unknown } | null)?.rd)
    if (!redemption) return sendInvalidLink(reply)
    if (!redemption.guest.accountEnabled) return sendAccountDisabled(reply, context)
    const now = new Date(context.clock()).toISOString()
    if (redemption.guest.externalUserState !== 'Accepted') {
      redemption.guest.externalUserState = 'Accepted'
      redemption.guest.externalUserStateChangeDateTime = now
    }
    redemption.invitation.redeemedDateTime ??= now
    return reply.headers(PAGE_HEADERS).redirect(redemption.invitation.inviteRedirectUrl, 302)
  })
}

function showReviewPage(reply: FastifyReply, redemption: Redemption | undefined): FastifyReply {
  if (!redemption) return sendInvalidLink(reply)
  const { invitation, tenant, guest } = redemption
  const inviter = invitation.inviterId ? tenant.users.get(invitation.inviterId) : undefined
  const html = renderReviewPermissionsPage({
    organization: tenant.displayName,
    organizationDomain:
      tenant.verifiedDomains.find((domain) => !domain.endsWith('.onmicrosoft.com')) ?? tenant.initialDomain,
    inviterName: inviter?.displayName ?? null,
    guestEmail: guest.mail ?? invitation.invitedUserEmailAddress,
    redeemTarget: redemption.target,
  })
  return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html)
}

/**
 * A guest whose account in the inviting tenant is disabled cannot sign in there, so cannot redeem: Entra's sign-in
 * error AADSTS50057 "The user account is disabled." (https://learn.microsoft.com/entra/identity-platform/reference-error-codes),
 * on the emulator's sign-in error page. Nothing changes on the invitation or the guest.
 */
function sendAccountDisabled(reply: FastifyReply, context: EmulatorContext): FastifyReply {
  const html = errorPage(aadsts.userDisabled(), newErrorTrace(undefined, context.clock()))
  return reply.code(400).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html)
}

function sendInvalidLink(reply: FastifyReply): FastifyReply {
  return reply
    .code(400)
    .headers(PAGE_HEADERS)
    .type('text/html; charset=utf-8')
    .send(renderInvalidInvitationPage())
}

/** The invitation a redeem link names, if the link is well formed and its ticket matches. */
function findRedemption(context: EmulatorContext, innerUrl: unknown): Redemption | undefined {
  const target = parseRedeemTarget(context.baseUrl, innerUrl)
  if (!target) return undefined
  const invitation = context.directory.invitations.get(target.invitationId)
  if (
    !invitation ||
    invitation.tenantId !== target.tenantId ||
    !ticketsMatch(invitation.ticket, target.ticket)
  ) {
    return undefined
  }
  const tenant = context.directory.tenant(invitation.tenantId)
  const guest = tenant?.users.get(invitation.invitedUserId)
  if (!tenant || !guest) return undefined
  return { invitation, tenant, guest, target: innerUrl as string }
}
