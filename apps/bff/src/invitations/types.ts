import type {
  CreateInvitationRequest,
  Invitation,
  InvitationAccess,
  InvitationApproval,
  InvitationRemoval,
  InvitationReview,
} from '@entra-share/contracts'

/** Attributes the saga sets on a guest with `PATCH /users/{id}`. */
export interface GuestAttributes {
  givenName?: string
  surname?: string
  usageLocation?: string
  /** Directory extension attributes, `extension_{appIdWithoutDashes}_{name}` (from the preset). */
  [extension: `extension_${string}`]: string | number | boolean | undefined
}

/** A licence the saga assigns: a subscribed SKU's id and the service plans to leave off. */
export interface LicenseGrant {
  skuId: string
  disabledPlans: string[]
}

/** An app role the saga grants: the enterprise application (service principal object id) and the role's id. */
export interface AppRoleGrant {
  resourceId: string
  appRoleId: string
}

/**
 * An invitation as stored: the API's {@link Invitation} plus what the follow-up retrier needs to finish a partial
 * success later (the attributes and groups asked for, and when to try next).
 */
export interface InvitationRecord extends Omit<Invitation, 'review'> {
  /** The personal message as sent (already sanitised), or `null`. */
  message: string | null
  /** Attributes requested (preset's merged with the request's). */
  attributes: GuestAttributes
  /** Groups requested (from the preset). */
  groupIds: string[]
  /** Licences to assign (from the preset, resolved in the invitation's tenant). */
  licenses: LicenseGrant[]
  /** App roles to grant (from the preset, resolved in the invitation's tenant). */
  appRoles: AppRoleGrant[]
  /** How many times the retrier has run this record's pending steps. */
  retryAttempts: number
  /** When the retrier may next pick this record up; `null` when nothing is pending. */
  nextRetryAt: string | null
  /** The row of the bulk job ({@link Invitation.bulkJobId}) this guest came from; `null` for a single invitation. */
  bulkRowNumber: number | null
  /** The approval its preset asked for, and the decision; `null` when none was needed. */
  approval: InvitationApproval | null
  /** The access term; `null` when access does not expire (or was never granted). */
  access: InvitationAccess | null
  /** The removal of access, once started. */
  removal: InvitationRemoval | null
  /** What an approver's approval carries out: the request as asked; `null` once decided (or never asked). */
  request: PendingRequest | null
  /** When the sponsor is reminded of the expiry; `null` once reminded, or without an expiry. */
  remindAt: string | null
  /** An approval of this request is inviting the guest until then (no other decision meanwhile). */
  decisionLeaseUntil: string | null
  /** The latest periodic review (its preset has `review`); `null` before the first. */
  review: InvitationReview | null
  /** When the next review starts; `null` while one waits for a decision, without reviews, or once removed. */
  reviewAt: string | null
}

/** A request waiting for approval, as the saga will run it once approved. */
export interface PendingRequest {
  body: CreateInvitationRequest
  /** The guest's language for the BFF's own email, as the request said (body or Accept-Language). */
  locale: string | readonly string[] | null
  /** The requester's address (the BFF's own email names them) and app roles (their presets, at approval). */
  requesterUsername: string | null
  requesterRoles: string[]
}

/** A guest in the app's own user table, keyed by the Entra object id. */
export interface AppUser {
  objectId: string
  email: string
  displayName: string | null
  userType: 'Guest' | 'Member'
  externalUserState: Invitation['externalUserState']
  invitedByTenantId: string
  invitedByObjectId: string
  createdAt: string
  updatedAt: string
}

export interface InvitationListOptions {
  /** Only this inviter's invitations; absent: everyone's (admins). */
  inviter?: { tenantId: string; objectId: string }
  /**
   * Only requests `pending_approval` of this tenant that `approver` may decide: one of their app roles or groups is
   * among the request's approvers, and they did not ask themselves.
   */
  approver?: { tenantId: string; objectId: string; roles: readonly string[]; groupIds: readonly string[] }
  /** Only invitations that give access and whose periodic review waits for a decision. */
  reviewPending?: boolean
  limit: number
  /** Opaque cursor from a previous page. */
  cursor?: string
}

/**
 * Scheduled governance work, each a queue of due invitations: requests nobody decided by their deadline, reminders
 * of an expiry, expired access, removal steps to retry, reviews to start, reviews nobody answered by their deadline.
 */
export type GovernanceWork =
  | 'approvalDeadline'
  | 'reminder'
  | 'expiry'
  | 'removalRetry'
  | 'reviewStart'
  | 'reviewDeadline'

export interface InvitationStore {
  /**
   * Inserts a new invitation and upserts its guest into the app user table, in one transaction with the events it
   * implies (`invitation.created`, …: see `eventsOfNewInvitation`).
   */
  createWithGuest(record: InvitationRecord, guest: AppUser): Promise<void>
  /** Inserts a request waiting for approval (no guest yet), with `invitation.approval_requested`. */
  createRequest(record: InvitationRecord): Promise<void>
  get(id: string): Promise<InvitationRecord | null>
  /**
   * Writes the saga's mutable fields of `record` (status, steps, redeem URL, state, retry fields, updatedAt), in one
   * transaction with the events the change implies (a new status, `guest.accepted`: see `eventsOfSavedInvitation`).
   * The governance fields (approval, access, removal…) stay the database's and are copied into `record`; a record
   * that meanwhile stopped being `completed`/`partial` (being removed, say) is not written: `record` becomes it.
   */
  save(record: InvitationRecord): Promise<void>
  /**
   * {@link InvitationStore.save} for several records in one transaction, their events in one statement: a bulk
   * batch's invitations after their follow-up steps, one commit instead of one each.
   */
  saveAll(records: readonly InvitationRecord[]): Promise<void>
  /**
   * Locks the invitation, lets `change` decide on the fresh record (change it and return `true`, or `false` to leave
   * it), and writes every field with the events implied, in one transaction. Returns the record as written, or `null`
   * when there is no such invitation or `change` left it.
   */
  update(id: string, change: (record: InvitationRecord) => boolean): Promise<InvitationRecord | null>
  /**
   * Records an approved request now invited: upserts its guest and writes every field, with `invitation.approved`,
   * `invitation.created`…, in one transaction. Throws `approval_already_decided` unless the request is still
   * pending under this approval's claim (`decisionLeaseUntil`).
   */
  recordApproved(record: InvitationRecord, guest: AppUser): Promise<void>
  /**
   * Claims up to `limit` invitations due for `work` at `now` (`FOR UPDATE SKIP LOCKED`) and, in the claim's
   * transaction, changes each with `change` and writes it with its events: each due change happens once, across
   * instances and restarts. Returns the changed records.
   */
  updateDue(
    work: GovernanceWork,
    options: { now: Date; limit: number },
    change: (record: InvitationRecord) => void,
  ): Promise<InvitationRecord[]>
  /** The guest's other invitations that give access (`completed` or `partial`). */
  activeForGuest(invitedUserId: string, exceptId: string): Promise<InvitationRecord[]>
  /** The newest invitation to `email` (any case) made by `inviter` since `since`, if any. */
  findLatest(options: {
    inviter: { tenantId: string; objectId: string }
    email: string
    since: Date
  }): Promise<InvitationRecord | null>
  /**
   * The approver group ids named by the requests `pending_approval` of `tenantId` (lower case), so a listing asks
   * Graph about the caller's membership in those only.
   */
  pendingApproverGroups(tenantId: string): Promise<string[]>
  /** Newest first, keyset-paginated. Throws `ProblemError('invalid_request')` for a cursor it did not issue. */
  list(options: InvitationListOptions): Promise<{ items: InvitationRecord[]; nextCursor?: string }>
  /**
   * Claims up to `limit` partial invitations whose `nextRetryAt` is due, with `FOR UPDATE SKIP LOCKED`, and pushes
   * their `nextRetryAt` forward by `leaseSeconds` so no other instance takes them meanwhile.
   */
  claimDueFollowUps(options: { limit: number; leaseSeconds: number; now: Date }): Promise<InvitationRecord[]>
  /**
   * Claims up to `limit` invitations made since `createdSince` whose guest has not accepted yet and which were not
   * checked in the last `recheckAfterSeconds` (never-checked first), stamping the check so other instances pass them
   * over (`FOR UPDATE SKIP LOCKED`).
   */
  claimPendingAcceptance(options: {
    limit: number
    now: Date
    recheckAfterSeconds: number
    createdSince: Date
  }): Promise<InvitationRecord[]>
}

export interface AppUserStore {
  get(objectId: string): Promise<AppUser | null>
  setExternalUserState(objectId: string, state: AppUser['externalUserState']): Promise<void>
}
