import { randomUUID } from 'node:crypto'
import type { DirectoryUser, OutboxMessage, TenantState } from '../state/directory.js'
import type { InvitationRequest } from './invitation-request.js'

/** Microsoft drops custom messages above this length without an error (the invitation is still sent). */
export const MAX_CUSTOMIZED_MESSAGE_LENGTH = 3000

/**
 * The email Microsoft sends for an invitation (`sendInvitationMessage: true`), as the outbox keeps it.
 * From `invites@microsoft.com` on behalf of the tenant, subject "{inviter} invited you to access applications
 * within their organization". The custom message is left out when it is too long, when an app sends the
 * invitation, or when the inviter has no mailbox — Microsoft's privacy rules for invitation emails.
 */
export function composeInvitationEmail(options: {
  tenant: TenantState
  inviter: DirectoryUser | null
  invitationId: string
  request: InvitationRequest
  inviteRedeemUrl: string
  sentDateTime: string
}): OutboxMessage {
  const { tenant, inviter, request } = options
  const { customizedMessageBody, messageLanguage, ccRecipients } = request.invitedUserMessageInfo
  const keepsMessage =
    customizedMessageBody !== null &&
    customizedMessageBody.length <= MAX_CUSTOMIZED_MESSAGE_LENGTH &&
    inviter?.hasMailbox === true
  return {
    id: randomUUID(),
    tenantId: tenant.id,
    invitationId: options.invitationId,
    from: `Microsoft Invitations on behalf of ${tenant.displayName} <invites@microsoft.com>`,
    to: request.invitedUserEmailAddress,
    cc: ccRecipients.flatMap((recipient) =>
      recipient.emailAddress.address ? [recipient.emailAddress.address] : [],
    ),
    subject: `${inviter?.displayName ?? tenant.displayName} invited you to access applications within their organization`,
    customizedMessageBody: keepsMessage ? customizedMessageBody : null,
    messageLanguage,
    inviteRedeemUrl: options.inviteRedeemUrl,
    sentDateTime: options.sentDateTime,
  }
}
