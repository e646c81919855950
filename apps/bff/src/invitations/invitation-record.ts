import { randomUUID } from 'node:crypto'
import type { InvitationAccess, InvitationApproval, InvitationStep } from '@entra-share/contracts'
import type { GraphInvitation } from '../graph/graph-api.js'
import type {
  AppRoleGrant,
  AppUser,
  GuestAttributes,
  InvitationRecord,
  LicenseGrant,
  PendingRequest,
} from './types.js'

/** What was asked for one guest, after pre-flight: from a single request or from a bulk row alike. */
export interface InvitationDraft {
  email: string
  redirectUrl: string
  displayName: string | null
  message: string | null
  presetId: string | null
  attributes: GuestAttributes
  groupIds: string[]
  licenses: LicenseGrant[]
  appRoles: AppRoleGrant[]
}

/** What Graph answered for the invitation; `null` when the answer was lost and the guest was found by address. */
export type GraphAnswer = Pick<
  GraphInvitation,
  'id' | 'inviteRedeemUrl' | 'status' | 'sendInvitationMessage'
> | null

export interface NewInvitation {
  draft: InvitationDraft
  graph: GraphAnswer
  /** The guest's object id (lower case). */
  guestId: string
  /** The guest as found before inviting, when the address already belonged to one. */
  existingGuest?: { externalUserState?: unknown; displayName?: string | null } | undefined
  invitedBy: InvitationRecord['invitedBy']
  now: Date
  /** Until when the retrier keeps off while the caller still works on the follow-ups. */
  inFlightUntil: Date
  /** The bulk row the guest came from. */
  bulk?: { jobId: string; rowNumber: number }
  /** The access term granted now, when to remind the sponsor of its end, when the first review starts. @default none */
  term?: { access: InvitationAccess | null; remindAt: string | null; reviewAt?: string | null }
  /** An approved request becomes this invitation: its id, creation time and decided approval. */
  approved?: Pick<InvitationRecord, 'id' | 'createdAt'> & { approval: InvitationApproval }
}

/**
 * The follow-up steps a draft asks for, all pending: attributes (if any), each group, each licence, each app role.
 */
export function followUpStepsOf(
  draft: Pick<InvitationDraft, 'attributes' | 'groupIds'> &
    Partial<Pick<InvitationDraft, 'licenses' | 'appRoles'>>,
): InvitationStep[] {
  const pending = (name: InvitationStep['name'], target?: string): InvitationStep => ({
    name,
    ...(target === undefined ? {} : { target }),
    status: 'pending',
    attempts: 0,
  })
  return [
    ...(Object.keys(draft.attributes).length > 0 ? [pending('updateAttributes')] : []),
    ...draft.groupIds.map((groupId) => pending('addToGroup', groupId)),
    ...(draft.licenses ?? []).map((license) => pending('assignLicense', license.skuId)),
    ...(draft.appRoles ?? []).map((grant) => pending('assignAppRole', grant.appRoleId)),
  ]
}

/**
 * The invitation record and app user row for a guest Graph has invited, whichever way it came (a single request or a
 * bulk row): one shape, so both are listed, resent and retried alike.
 *
 * @example
 * const { record, guest } = newInvitationRecord({ draft, graph: invitation, guestId, invitedBy, now, inFlightUntil })
 * await invitations.createWithGuest(record, guest)
 */
export function newInvitationRecord(input: NewInvitation): { record: InvitationRecord; guest: AppUser } {
  const { draft, graph, guestId, existingGuest, invitedBy, now, bulk } = input
  const createdAt = now.toISOString()
  const externalUserState = existingGuest
    ? toExternalUserState(existingGuest.externalUserState)
    : graph === null
      ? 'Unknown'
      : graph.status === 'Completed'
        ? 'Accepted'
        : 'PendingAcceptance'
  const followUps = followUpStepsOf(draft)
  const { approved } = input
  const record: InvitationRecord = {
    id: approved?.id ?? randomUUID(),
    invitationId: graph?.id ?? null,
    invitedUserId: guestId,
    invitedUserEmailAddress: draft.email,
    invitedUserDisplayName: draft.displayName,
    inviteRedeemUrl: graph?.inviteRedeemUrl ?? null,
    inviteRedirectUrl: draft.redirectUrl,
    status: followUps.length > 0 ? 'partial' : 'completed',
    externalUserState,
    emailSentByMicrosoft: graph?.sendInvitationMessage === true,
    emailSentByBff: false,
    reinvited: existingGuest !== undefined,
    presetId: draft.presetId,
    bulkJobId: bulk?.jobId ?? null,
    bulkRowNumber: bulk?.rowNumber ?? null,
    invitedBy,
    createdAt: approved?.createdAt ?? createdAt,
    updatedAt: createdAt,
    steps: [{ name: 'invite', status: 'succeeded', attempts: 1 }, ...followUps],
    message: draft.message,
    attributes: draft.attributes,
    groupIds: draft.groupIds,
    licenses: draft.licenses,
    appRoles: draft.appRoles,
    retryAttempts: 0,
    // Out of the retrier's reach while the caller works on it; after a crash, the retrier takes over.
    nextRetryAt: followUps.length > 0 ? input.inFlightUntil.toISOString() : null,
    approval: approved?.approval ?? null,
    access: input.term?.access ?? null,
    removal: null,
    request: null,
    remindAt: input.term?.remindAt ?? null,
    decisionLeaseUntil: null,
    review: null,
    reviewAt: input.term?.reviewAt ?? null,
  }
  const guest: AppUser = {
    objectId: guestId,
    email: draft.email,
    displayName: draft.displayName ?? existingGuest?.displayName ?? null,
    userType: 'Guest',
    externalUserState,
    invitedByTenantId: invitedBy.tenantId,
    invitedByObjectId: invitedBy.objectId,
    createdAt,
    updatedAt: createdAt,
  }
  return { record, guest }
}

/** A request for an invitation that waits for an approver: what was planned, and the request to run on approval. */
export interface NewPendingRequest {
  draft: Omit<InvitationDraft, 'licenses' | 'appRoles'>
  request: PendingRequest
  approval: Pick<InvitationApproval, 'approvers' | 'approversLabel' | 'reason' | 'expiresAt'>
  invitedBy: InvitationRecord['invitedBy']
  now: Date
}

/**
 * The record of an invitation waiting for approval (`pending_approval`): no guest, no Graph answer and no steps yet,
 * the request kept for the saga an approval runs.
 *
 * @example
 * const record = pendingRequestRecord({ draft, request, approval: { approvers, reason, expiresAt }, invitedBy, now })
 */
export function pendingRequestRecord(input: NewPendingRequest): InvitationRecord {
  const { draft, now } = input
  const createdAt = now.toISOString()
  return {
    id: randomUUID(),
    invitationId: null,
    invitedUserId: '',
    invitedUserEmailAddress: draft.email,
    invitedUserDisplayName: draft.displayName,
    inviteRedeemUrl: null,
    inviteRedirectUrl: draft.redirectUrl,
    status: 'pending_approval',
    externalUserState: 'Unknown',
    emailSentByMicrosoft: false,
    emailSentByBff: false,
    reinvited: false,
    presetId: draft.presetId,
    bulkJobId: null,
    bulkRowNumber: null,
    invitedBy: input.invitedBy,
    createdAt,
    updatedAt: createdAt,
    steps: [],
    message: draft.message,
    attributes: draft.attributes,
    groupIds: draft.groupIds,
    licenses: [],
    appRoles: [],
    retryAttempts: 0,
    nextRetryAt: null,
    approval: {
      ...input.approval,
      requestedAt: createdAt,
      decision: null,
      decidedBy: null,
      decidedAt: null,
      comment: null,
    },
    access: null,
    removal: null,
    request: input.request,
    remindAt: null,
    decisionLeaseUntil: null,
    review: null,
    reviewAt: null,
  }
}

/** The retrier's backoff: the first wait, doubled per run up to the longest. */
export interface RetryBackoff {
  retryBaseSeconds: number
  retryMaxSeconds: number
}

/** Production's backoff: 30 s, doubled per run, at most an hour. */
export const DEFAULT_RETRY_BACKOFF: RetryBackoff = { retryBaseSeconds: 30, retryMaxSeconds: 3600 }

/** Production's waits before retrying a follow-up that got a 404 just after the guest was created. */
export const DEFAULT_REPLICATION_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000]

/**
 * Sets status and `nextRetryAt` from the steps: exponential backoff on the retrier's attempts, or Graph's
 * `Retry-After` when it asked for longer.
 */
export function settleInvitation(
  record: InvitationRecord,
  now: Date,
  backoff: RetryBackoff,
  retryAfterSeconds = 0,
): void {
  const pending = record.steps.some((step) => step.status !== 'succeeded')
  const wait = Math.min(backoff.retryMaxSeconds, backoff.retryBaseSeconds * 2 ** record.retryAttempts)
  record.status = pending ? 'partial' : 'completed'
  record.nextRetryAt = pending
    ? new Date(now.getTime() + Math.max(wait, retryAfterSeconds) * 1000).toISOString()
    : null
  record.updatedAt = now.toISOString()
}

/**
 * Settles a removal after its steps ran: `removed` once every step succeeded, else `removing` with the retry time
 * (exponential backoff on the attempts, or Graph's `Retry-After` when longer).
 */
export function settleRemoval(
  record: InvitationRecord,
  now: Date,
  backoff: RetryBackoff,
  retryAfterSeconds = 0,
): void {
  const { removal } = record
  if (!removal) throw new Error(`settleRemoval: invitation '${record.id}' has no removal.`)
  const pending = removal.steps.some((step) => step.status !== 'succeeded')
  const wait = Math.min(backoff.retryMaxSeconds, backoff.retryBaseSeconds * 2 ** record.retryAttempts)
  record.status = pending ? 'removing' : 'removed'
  removal.completedAt = pending ? null : now.toISOString()
  record.nextRetryAt = pending
    ? new Date(now.getTime() + Math.max(wait, retryAfterSeconds) * 1000).toISOString()
    : null
  record.updatedAt = now.toISOString()
}

/** Graph's `externalUserState`, or `Unknown` for anything else. */
export function toExternalUserState(value: unknown): InvitationRecord['externalUserState'] {
  return value === 'PendingAcceptance' || value === 'Accepted' ? value : 'Unknown'
}
