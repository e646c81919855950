import type { CreatedInvitation, Invitation } from '@entra-share/contracts'
import type { InvitationRecord } from './types.js'

/**
 * The API view of a stored invitation: drops what only the retrier needs (message, attributes, groups, licences, app
 * roles, retry state) and what only an approval and the scheduler need (the request, the reminder and review times,
 * the decision claim); the steps say what each of them came to.
 */
export function publicInvitation(record: InvitationRecord): Invitation {
  const {
    message: _message,
    attributes: _attributes,
    groupIds: _groupIds,
    licenses: _licenses,
    appRoles: _appRoles,
    retryAttempts: _r,
    nextRetryAt: _n,
    bulkRowNumber: _b,
    request: _request,
    remindAt: _remindAt,
    decisionLeaseUntil: _lease,
    reviewAt: _reviewAt,
    ...invitation
  } = record
  return invitation
}

/** The API view of an invitation Graph has just answered for (a new invite or a resend): its id and link are known. */
export function createdInvitation(record: InvitationRecord): CreatedInvitation {
  const { invitationId, inviteRedeemUrl, status } = record
  if (invitationId === null || inviteRedeemUrl === null || (status !== 'completed' && status !== 'partial')) {
    throw new Error(
      `Invitation '${record.id}' has no Graph answer recorded; it cannot be reported as created.`,
    )
  }
  return { ...publicInvitation(record), status, invitationId, inviteRedeemUrl }
}
