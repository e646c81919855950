import { randomUUID } from 'node:crypto'
import type { AppUser, InvitationRecord } from '../../src/invitations/types.js'

export const inviterA = { tenantId: 'c0de0000-0000-4000-8000-000000000001', objectId: randomUUID() }
export const inviterB = { tenantId: 'c0de0000-0000-4000-8000-000000000001', objectId: randomUUID() }

/** A guest with every field set to something distinguishable. */
export function makeGuest(overrides: Partial<AppUser> = {}): AppUser {
  return {
    objectId: randomUUID(),
    email: `guest-${randomUUID().slice(0, 8)}@fabrikam.example`,
    displayName: 'Grace Guest',
    userType: 'Guest',
    externalUserState: 'PendingAcceptance',
    invitedByTenantId: inviterA.tenantId,
    invitedByObjectId: inviterA.objectId,
    createdAt: '2025-03-01T09:30:00.123Z',
    updatedAt: '2025-03-01T09:30:00.123Z',
    ...overrides,
  }
}

/** An invitation for `guest` with every optional field filled, so a round trip proves each column. */
export function makeInvitation(guest: AppUser, overrides: Partial<InvitationRecord> = {}): InvitationRecord {
  return {
    id: `inv_${randomUUID()}`,
    invitationId: randomUUID(),
    invitedUserId: guest.objectId,
    invitedUserEmailAddress: guest.email,
    invitedUserDisplayName: guest.displayName,
    inviteRedeemUrl: `https://login.microsoftonline.com/redeem?rd=${randomUUID()}`,
    inviteRedirectUrl: 'https://apps.contoso.example/welcome',
    status: 'completed',
    externalUserState: guest.externalUserState,
    emailSentByMicrosoft: true,
    emailSentByBff: false,
    reinvited: false,
    presetId: 'apollo',
    bulkJobId: null,
    bulkRowNumber: null,
    invitedBy: { tenantId: inviterA.tenantId, objectId: inviterA.objectId, name: 'Megan Bowen' },
    createdAt: '2025-03-01T09:30:00.123Z',
    updatedAt: '2025-03-01T09:30:00.456Z',
    steps: [{ name: 'invite', status: 'succeeded', attempts: 1 }],
    message: 'Welcome to Apollo.',
    attributes: { givenName: 'Grace', surname: 'Guest', usageLocation: 'NO' },
    groupIds: ['00000000-0000-4000-8000-0000000b0001'],
    licenses: [
      {
        skuId: '00000000-0000-4000-8000-00000000c001',
        disabledPlans: ['00000000-0000-4000-8000-00000000d001'],
      },
    ],
    appRoles: [{ resourceId: randomUUID(), appRoleId: randomUUID() }],
    retryAttempts: 0,
    nextRetryAt: null,
    approval: null,
    access: null,
    removal: null,
    request: null,
    remindAt: null,
    decisionLeaseUntil: null,
    review: null,
    reviewAt: null,
    ...overrides,
  }
}
