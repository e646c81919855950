import type { Invitation } from '@entra-share/contracts'
import type { InvitationRecord } from './types.js'

/** The API view of a stored invitation: drops what only the retrier needs (message, attributes, groups, retry state). */
export function publicInvitation(record: InvitationRecord): Invitation {
  const {
    message: _message,
    attributes: _attributes,
    groupIds: _groupIds,
    retryAttempts: _r,
    nextRetryAt: _n,
    ...invitation
  } = record
  return invitation
}
