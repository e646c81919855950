import type { Invitation } from '@entra-share/contracts'

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
export interface InvitationRecord extends Invitation {
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
  limit: number
  /** Opaque cursor from a previous page. */
  cursor?: string
}

export interface InvitationStore {
  /**
   * Inserts a new invitation and upserts its guest into the app user table, in one transaction with the events it
   * implies (`invitation.created`, …: see `eventsOfNewInvitation`).
   */
  createWithGuest(record: InvitationRecord, guest: AppUser): Promise<void>
  get(id: string): Promise<InvitationRecord | null>
  /**
   * Writes every mutable field of `record` (status, steps, redeem URL, state, retry fields, updatedAt), in one
   * transaction with the events the change implies (a new status, `guest.accepted`: see `eventsOfSavedInvitation`).
   */
  save(record: InvitationRecord): Promise<void>
  /** The newest invitation to `email` (any case) made by `inviter` since `since`, if any. */
  findLatest(options: {
    inviter: { tenantId: string; objectId: string }
    email: string
    since: Date
  }): Promise<InvitationRecord | null>
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
