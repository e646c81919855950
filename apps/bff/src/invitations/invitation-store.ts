import type { InvitationStep } from '@entra-share/contracts'
import { appendEvents, type InvitationEvents } from '../events/event-store.js'
import {
  eventsOfNewInvitation,
  eventsOfSavedInvitation,
  type InvitationOutcome,
  type PreviousInvitationState,
} from '../events/invitation-events.js'
import { ProblemError } from '../platform/problem-error.js'
import { toIsoString, toIsoStringOrNull } from '../platform/timestamps.js'
import type { Database, Queryable } from '../platform/types.js'
import { givesAccess } from './governance-policy.js'
import { decodeInvitationCursor, encodeInvitationCursor } from './invitation-cursor.js'
import type {
  AppRoleGrant,
  AppUser,
  GovernanceWork,
  GuestAttributes,
  InvitationRecord,
  InvitationStore,
  LicenseGrant,
  PendingRequest,
} from './types.js'

interface InvitationRow {
  id: string
  invitation_id: string | null
  /** `NULL` while no guest exists (a request pending approval, or denied). */
  invited_user_id: string | null
  invited_user_email_address: string
  invited_user_display_name: string | null
  invite_redeem_url: string | null
  invite_redirect_url: string
  status: InvitationRecord['status']
  external_user_state: InvitationRecord['externalUserState']
  email_sent_by_microsoft: boolean
  email_sent_by_bff: boolean
  reinvited: boolean
  preset_id: string | null
  bulk_job_id: string | null
  bulk_row_number: number | null
  invited_by_tenant_id: string
  invited_by_object_id: string
  invited_by_name: string | null
  message: string | null
  attributes: GuestAttributes
  group_ids: string[]
  licenses: LicenseGrant[]
  app_roles: AppRoleGrant[]
  steps: InvitationStep[]
  retry_attempts: number
  next_retry_at: unknown
  created_at: unknown
  updated_at: unknown
  request: PendingRequest | null
  approval: InvitationRecord['approval']
  decision_lease_until: unknown
  access: InvitationRecord['access']
  remind_at: unknown
  removal: InvitationRecord['removal']
  review: InvitationRecord['review']
  review_at: unknown
  announced_outcome: InvitationOutcome | null
}

/** The keyset of a listed row, exact to the microsecond (a JS `Date` keeps only milliseconds). */
interface ListedRow extends InvitationRow {
  created_at_micros: string
}

const INVITATION_COLUMNS = `id, invitation_id, invited_user_id, invited_user_email_address, invited_user_display_name,
    invite_redeem_url, invite_redirect_url, status, external_user_state, email_sent_by_microsoft,
    email_sent_by_bff, reinvited, preset_id, invited_by_tenant_id, invited_by_object_id, invited_by_name,
    message, attributes, group_ids, steps, retry_attempts, next_retry_at, created_at, updated_at,
    bulk_job_id, bulk_row_number, licenses, app_roles, request, approval, approval_expires_at,
    decision_lease_until, access, access_expires_at, remind_at, removal, review, review_at, review_deadline_at`
/** The casts of the governance columns, in {@link governanceValues}' order. */
const GOVERNANCE_CASTS = [
  '::jsonb',
  '::jsonb',
  '::timestamptz',
  '::timestamptz',
  '::jsonb',
  '::timestamptz',
  '::timestamptz',
  '::jsonb',
  '::jsonb',
  '::timestamptz',
  '::timestamptz',
]
const INVITATION_CASTS = [
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '',
  '::jsonb',
  '::text[]',
  '::jsonb',
  '',
  '::timestamptz',
  '::timestamptz',
  '::timestamptz',
  '',
  '',
  '::jsonb',
  '::jsonb',
  ...GOVERNANCE_CASTS,
]

const GUEST_COLUMNS = `object_id, email, display_name, user_type, external_user_state,
    invited_by_tenant_id, invited_by_object_id, created_at, updated_at`
const GUEST_CASTS = ['', '', '', '', '', '', '', '::timestamptz', '::timestamptz']

// A re-invited guest keeps its first inviter and creation time; a re-invite without a name keeps the known one.
const ON_GUEST_CONFLICT = `
  ON CONFLICT (object_id) DO UPDATE SET
    email = EXCLUDED.email,
    display_name = COALESCE(EXCLUDED.display_name, app_users.display_name),
    external_user_state = EXCLUDED.external_user_state,
    updated_at = EXCLUDED.updated_at`

/** `($1, $2::jsonb, …), ($27, …)`: one parenthesised group of placeholders per row, with each column's cast. */
function valuesList(rows: number, casts: readonly string[]): string {
  return Array.from(
    { length: rows },
    (_, row) => `(${casts.map((cast, column) => `$${row * casts.length + column + 1}${cast}`).join(', ')})`,
  ).join(', ')
}

// The identity of an invitation (id, inviter, creation time) never changes; everything else may. The guest is set
// once, when an approved request is invited.
const UPDATE_INVITATION = `
  UPDATE invitations SET
    invitation_id = $2, invited_user_email_address = $3, invited_user_display_name = $4,
    invite_redeem_url = $5, invite_redirect_url = $6, status = $7, external_user_state = $8,
    email_sent_by_microsoft = $9, email_sent_by_bff = $10, reinvited = $11, preset_id = $12,
    message = $13, attributes = $14::jsonb, group_ids = $15::text[], steps = $16::jsonb,
    retry_attempts = $17, next_retry_at = $18::timestamptz, updated_at = $19::timestamptz,
    licenses = $20::jsonb, app_roles = $21::jsonb, invited_user_id = COALESCE(invited_user_id, $22)
  WHERE id = $1`

/** The parameters of {@link UPDATE_INVITATION}. */
function invitationParams(record: InvitationRecord): unknown[] {
  return [
    record.id,
    record.invitationId,
    record.invitedUserEmailAddress,
    record.invitedUserDisplayName,
    record.inviteRedeemUrl,
    record.inviteRedirectUrl,
    record.status,
    record.externalUserState,
    record.emailSentByMicrosoft,
    record.emailSentByBff,
    record.reinvited,
    record.presetId,
    record.message,
    JSON.stringify(record.attributes),
    record.groupIds,
    JSON.stringify(record.steps),
    record.retryAttempts,
    record.nextRetryAt,
    record.updatedAt,
    JSON.stringify(record.licenses),
    JSON.stringify(record.appRoles),
    record.invitedUserId === '' ? null : record.invitedUserId,
  ]
}

/**
 * The governance columns: the request, the approval and its deadline and claim, the access term and its reminder,
 * the removal. Written only under the row lock by the changes that decide them (approval, extension, scheduled work,
 * revocation), never by a plain save of the saga's fields, so a stale copy cannot undo them.
 */
const UPDATE_GOVERNANCE = `
  UPDATE invitations SET
    request = $2::jsonb, approval = $3::jsonb, approval_expires_at = $4::timestamptz,
    decision_lease_until = $5::timestamptz, access = $6::jsonb, access_expires_at = $7::timestamptz,
    remind_at = $8::timestamptz, removal = $9::jsonb, review = $10::jsonb, review_at = $11::timestamptz,
    review_deadline_at = $12::timestamptz
  WHERE id = $1`

/** The governance columns' values, in {@link UPDATE_GOVERNANCE}'s (and the insert's) order. */
function governanceValues(record: InvitationRecord): unknown[] {
  return [
    record.request === null ? null : JSON.stringify(record.request),
    record.approval === null ? null : JSON.stringify(record.approval),
    record.status === 'pending_approval' ? (record.approval?.expiresAt ?? null) : null,
    record.decisionLeaseUntil,
    record.access === null ? null : JSON.stringify(record.access),
    record.access?.expiresAt ?? null,
    record.remindAt,
    record.removal === null ? null : JSON.stringify(record.removal),
    record.review === null ? null : JSON.stringify(record.review),
    record.reviewAt,
    // A review waits for a decision only while the guest has access: a removal takes it off the queue.
    record.review?.decision === null && givesAccess(record.status) ? record.review.deadlineAt : null,
  ]
}

/** The fields {@link UPDATE_GOVERNANCE} writes: a plain save keeps the database's. */
const GOVERNANCE_FIELDS = [
  'request',
  'approval',
  'decisionLeaseUntil',
  'access',
  'remindAt',
  'removal',
  'review',
  'reviewAt',
] as const satisfies readonly (keyof InvitationRecord)[]

/** What each kind of scheduled work claims: the rows due, in the order they fell due. */
const DUE: Record<GovernanceWork, { where: string; order: string }> = {
  // A request an approval is inviting right now is left to it.
  approvalDeadline: {
    where: `status = 'pending_approval' AND approval_expires_at <= $1::timestamptz
            AND (decision_lease_until IS NULL OR decision_lease_until <= $1::timestamptz)`,
    order: 'approval_expires_at',
  },
  reminder: {
    // Access that has ended already is removed instead.
    where: `remind_at <= $1::timestamptz AND status IN ('completed', 'partial')
            AND (access_expires_at IS NULL OR access_expires_at > $1::timestamptz)`,
    order: 'remind_at',
  },
  expiry: {
    where: `status IN ('completed', 'partial') AND access_expires_at <= $1::timestamptz`,
    order: 'access_expires_at',
  },
  removalRetry: {
    where: `status = 'removing' AND next_retry_at <= $1::timestamptz`,
    order: 'next_retry_at',
  },
  reviewStart: {
    // Access that has ended already is removed instead.
    where: `review_at <= $1::timestamptz AND status IN ('completed', 'partial')
            AND (access_expires_at IS NULL OR access_expires_at > $1::timestamptz)`,
    order: 'review_at',
  },
  reviewDeadline: {
    where: `review_deadline_at <= $1::timestamptz AND status IN ('completed', 'partial')`,
    order: 'review_deadline_at',
  },
}

/** The state before a change, as `eventsOfSavedInvitation` compares it. */
function previousState(row: InvitationRow): PreviousInvitationState {
  return {
    externalUserState: row.external_user_state,
    announcedOutcome: row.announced_outcome,
    status: row.status,
    remindAt: toIsoStringOrNull(row.remind_at),
    access: row.access,
    review: row.review ?? null,
  }
}

/** Writes every column of `record` and the events the change from `previous` implies, on `tx` (row locked). */
async function writeAll(tx: Queryable, record: InvitationRecord, previous: InvitationRow): Promise<void> {
  await tx.query(UPDATE_INVITATION, invitationParams(record))
  await tx.query(UPDATE_GOVERNANCE, [record.id, ...governanceValues(record)])
  await appendEvents(tx, [
    { invitationId: record.id, ...eventsOfSavedInvitation(record, previousState(previous)) },
  ])
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const MICROS_OF_CREATED_AT = `((extract(epoch FROM created_at) * 1000000)::bigint)::text AS created_at_micros`
// Integer arithmetic from the epoch: exact, unlike to_timestamp(double precision).
const CREATED_AT_FROM_MICROS = (param: string) =>
  `('epoch'::timestamptz + (${param}::bigint) * interval '1 microsecond')`

/**
 * Upserts the guests into the app user table and inserts their invitations, on `tx`, one statement each: the bulk
 * worker calls it inside the transaction that records its rows, so a row is never `invited` without its invitation
 * (or the reverse).
 */
export async function insertInvitationsWithGuests(
  tx: Queryable,
  entries: readonly { record: InvitationRecord; guest: AppUser | null }[],
): Promise<void> {
  if (entries.length === 0) return
  // One row per guest: ON CONFLICT may not touch a row twice in one statement.
  const guests = [
    ...new Map(
      entries.flatMap(({ guest }) => (guest === null ? [] : [[guest.objectId, guest] as const])),
    ).values(),
  ]
  if (guests.length > 0) await upsertGuests(tx, guests)
  await tx.query(
    `INSERT INTO invitations (${INVITATION_COLUMNS}) VALUES ${valuesList(entries.length, INVITATION_CASTS)}`,
    entries.flatMap(({ record }) => [
      record.id,
      record.invitationId,
      record.invitedUserId === '' ? null : record.invitedUserId,
      record.invitedUserEmailAddress,
      record.invitedUserDisplayName,
      record.inviteRedeemUrl,
      record.inviteRedirectUrl,
      record.status,
      record.externalUserState,
      record.emailSentByMicrosoft,
      record.emailSentByBff,
      record.reinvited,
      record.presetId,
      record.invitedBy.tenantId,
      record.invitedBy.objectId,
      record.invitedBy.name,
      record.message,
      JSON.stringify(record.attributes),
      record.groupIds,
      JSON.stringify(record.steps),
      record.retryAttempts,
      record.nextRetryAt,
      record.createdAt,
      record.updatedAt,
      record.bulkJobId,
      record.bulkRowNumber,
      JSON.stringify(record.licenses),
      JSON.stringify(record.appRoles),
      ...governanceValues(record),
    ]),
  )
  // In the same transaction: the host hears of every invitation recorded, and of nothing that was rolled back.
  await appendEvents(
    tx,
    entries.map(({ record }) => ({ invitationId: record.id, ...eventsOfNewInvitation(record) })),
  )
}

/** Upserts guests into the app user table (a re-invited guest keeps its first inviter and creation time). */
async function upsertGuests(tx: Queryable, guests: readonly AppUser[]): Promise<void> {
  await tx.query(
    `INSERT INTO app_users (${GUEST_COLUMNS}) VALUES ${valuesList(guests.length, GUEST_CASTS)} ${ON_GUEST_CONFLICT}`,
    guests.flatMap((guest) => [
      guest.objectId,
      guest.email,
      guest.displayName,
      guest.userType,
      guest.externalUserState,
      guest.invitedByTenantId,
      guest.invitedByObjectId,
      guest.createdAt,
      guest.updatedAt,
    ]),
  )
}

/**
 * Invitations as the saga records them, with what the follow-up retrier needs to finish a partial success later.
 *
 * @example
 * const invitations = createInvitationStore(db)
 * await invitations.createWithGuest(record, guest)
 * const page = await invitations.list({ inviter: { tenantId, objectId }, limit: 20, cursor })
 * for (const due of await invitations.claimDueFollowUps({ limit: 10, leaseSeconds: 60, now: new Date() })) {
 *   await invitations.save(await retryPendingSteps(due))
 * }
 */
export function createInvitationStore(db: Database): InvitationStore {
  async function saveAll(records: readonly InvitationRecord[]): Promise<void> {
    if (records.length === 0) return
    await db.transaction(async (tx) => {
      // The states before the save, under the rows' locks (taken in id order, so two savers never deadlock):
      // concurrent saves of one invitation announce each change once.
      const ids = [...new Set(records.map((record) => record.id))].sort()
      const rows = await tx.query<InvitationRow>(
        'SELECT * FROM invitations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
        [ids],
      )
      const previousById = new Map(rows.map((row) => [String(row.id), row]))
      const events: InvitationEvents[] = []
      for (const record of records) {
        const previous = previousById.get(record.id)
        // Saving a record that was never created is a bug in the caller, not something to paper over.
        if (!previous) throw new Error(`Cannot save invitation '${record.id}': it was never created.`)
        const current = toRecord(previous)
        // The governance fields are the database's (an extension, a reminder, a removal may have happened since
        // the caller read the record); the caller's copy learns them.
        for (const field of GOVERNANCE_FIELDS) Object.assign(record, { [field]: current[field] })
        // A plain save writes the saga's statuses only; any other change goes through `update`.
        if (!givesAccess(current.status) || !givesAccess(record.status)) {
          // Removed, being removed, or still a request meanwhile: that change wins over this stale copy.
          Object.assign(record, current)
          continue
        }
        await tx.query(UPDATE_INVITATION, invitationParams(record))
        events.push({ invitationId: record.id, ...eventsOfSavedInvitation(record, previousState(previous)) })
      }
      await appendEvents(tx, events)
    })
  }

  return {
    async createWithGuest(record, guest) {
      await db.transaction((tx) => insertInvitationsWithGuests(tx, [{ record, guest }]))
    },

    async get(id) {
      const [row] = await db.query<InvitationRow>('SELECT * FROM invitations WHERE id = $1 FOR UPDATE', [id])
      return row ? toRecord(row) : null
    },

    async findLatest({ inviter, email, since }) {
      const [row] = await db.query<InvitationRow>(
        `SELECT * FROM invitations
         WHERE invited_by_tenant_id = $1 AND invited_by_object_id = $2 AND created_at >= $4::timestamptz
           AND lower(invited_user_email_address) = lower($3)
         ORDER BY created_at DESC, id DESC LIMIT 1`,
        [inviter.tenantId, inviter.objectId, email, since.toISOString()],
      )
      return row ? toRecord(row) : null
    },

    async createRequest(record) {
      await db.transaction((tx) => insertInvitationsWithGuests(tx, [{ record, guest: null }]))
    },

    save: (record) => saveAll([record]),

    saveAll,

    async update(id, change) {
      return db.transaction(async (tx) => {
        const [row] = await tx.query<InvitationRow>('SELECT * FROM invitations WHERE id = $1 FOR UPDATE', [
          id,
        ])
        if (!row) return null
        const record = toRecord(row)
        if (!change(record)) return null
        await writeAll(tx, record, row)
        return record
      })
    },

    async recordApproved(record, guest) {
      await db.transaction(async (tx) => {
        const [row] = await tx.query<InvitationRow>('SELECT * FROM invitations WHERE id = $1 FOR UPDATE', [
          record.id,
        ])
        // Only the approval that claimed the request records it: another decision may have come after its lease.
        if (
          row?.status !== 'pending_approval' ||
          toIsoStringOrNull(row.decision_lease_until) !== record.decisionLeaseUntil
        ) {
          throw new ProblemError('approval_already_decided', {
            detail: `The request '${record.id}' was decided by someone else while this approval invited the guest.`,
          })
        }
        await upsertGuests(tx, [guest])
        await writeAll(tx, { ...record, decisionLeaseUntil: null }, row)
      })
      record.decisionLeaseUntil = null
    },

    async updateDue(work, { now, limit }, change) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`updateDue: limit must be a positive integer, got ${limit}.`)
      }
      const { where, order } = DUE[work]
      // SKIP LOCKED: instances claim side by side, each row once; the change is saved in the claim's transaction,
      // after which the row is no longer due.
      return db.transaction(async (tx) => {
        const rows = await tx.query<InvitationRow>(
          `WITH due AS (
             SELECT id FROM invitations WHERE ${where}
             ORDER BY ${order}, id LIMIT $2
             FOR UPDATE SKIP LOCKED
           )
           SELECT invitations.* FROM invitations JOIN due USING (id) ORDER BY invitations.${order}, id`,
          [now.toISOString(), limit],
        )
        const changed: InvitationRecord[] = []
        for (const row of rows) {
          const record = toRecord(row)
          change(record)
          await writeAll(tx, record, row)
          changed.push(record)
        }
        return changed
      })
    },

    async activeForGuest(invitedUserId, exceptId) {
      const rows = await db.query<InvitationRow>(
        `SELECT * FROM invitations
         WHERE invited_user_id = $1 AND id <> $2 AND status IN ('completed', 'partial')`,
        [invitedUserId, exceptId],
      )
      return rows.map(toRecord)
    },

    async pendingApproverGroups(tenantId) {
      const rows = await db.query<{ approver: string }>(
        `SELECT DISTINCT lower(approver) AS approver
         FROM invitations, jsonb_array_elements_text(approval->'approvers') AS approver
         WHERE status = 'pending_approval' AND invited_by_tenant_id = $1`,
        [tenantId],
      )
      return rows.map((row) => row.approver).filter((approver) => GUID.test(approver))
    },

    async list({ inviter, approver, reviewPending, limit, cursor }) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`list: limit must be a positive integer, got ${limit}.`)
      }
      const who = inviter ? `${inviter.tenantId}:${inviter.objectId}` : '*'
      // A cursor belongs to one listing: the caller's, everyone's, an approver's requests, reviews waiting.
      const scope = approver
        ? `approvals:${approver.tenantId}:${approver.objectId}`
        : reviewPending
          ? `reviews:${who}`
          : who
      const where: string[] = []
      const params: unknown[] = []
      if (inviter) {
        params.push(inviter.tenantId, inviter.objectId)
        where.push(
          `invited_by_tenant_id = $${params.length - 1} AND invited_by_object_id = $${params.length}`,
        )
      }
      if (approver) {
        params.push(approver.tenantId, approver.objectId, [...approver.roles], [...approver.groupIds])
        const [tenant, self, roles, groups] = [3, 2, 1, 0].map((back) => `$${params.length - back}`)
        // App role values compare exactly (as in the token), group ids without case.
        where.push(
          `status = 'pending_approval' AND invited_by_tenant_id = ${tenant} AND invited_by_object_id <> ${self}
           AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(approval->'approvers') AS approver
                       WHERE approver = ANY(${roles}::text[]) OR lower(approver) = ANY(${groups}::text[]))`,
        )
      }
      if (reviewPending) where.push('review_deadline_at IS NOT NULL')
      if (cursor !== undefined) {
        const after = decodeInvitationCursor(cursor, scope)
        params.push(after.createdAtMicros, after.id)
        where.push(
          `(created_at, id) < (${CREATED_AT_FROM_MICROS(`$${params.length - 1}`)}, $${params.length}::text)`,
        )
      }
      // One row more than asked tells whether another page exists without a count.
      params.push(limit + 1)
      const rows = await db.query<ListedRow>(
        `SELECT *, ${MICROS_OF_CREATED_AT} FROM invitations
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC
         LIMIT $${params.length}`,
        params,
      )
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        items: page.map(toRecord),
        ...(rows.length > limit && last
          ? {
              nextCursor: encodeInvitationCursor({
                createdAtMicros: last.created_at_micros,
                id: last.id,
                scope,
              }),
            }
          : {}),
      }
    },

    async claimDueFollowUps({ limit, leaseSeconds, now }) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`claimDueFollowUps: limit must be a positive integer, got ${limit}.`)
      }
      if (!(leaseSeconds > 0)) {
        throw new RangeError(`claimDueFollowUps: leaseSeconds must be positive, got ${leaseSeconds}.`)
      }
      // SKIP LOCKED lets instances claim side by side: rows another claimer holds are passed over, not waited for,
      // and once it commits their next_retry_at is in the future, so they are no longer due.
      const rows = await db.transaction((tx) =>
        tx.query<InvitationRow>(
          `WITH due AS (
             SELECT id FROM invitations
             WHERE status = 'partial' AND next_retry_at IS NOT NULL AND next_retry_at <= $1::timestamptz
             ORDER BY next_retry_at, id
             LIMIT $2
             FOR UPDATE SKIP LOCKED
           ), claimed AS (
             UPDATE invitations AS invitation
             SET next_retry_at = $1::timestamptz + make_interval(secs => $3)
             FROM due WHERE invitation.id = due.id
             RETURNING invitation.*
           )
           SELECT * FROM claimed ORDER BY created_at, id`,
          [now.toISOString(), limit, leaseSeconds],
        ),
      )
      return rows.map(toRecord)
    },

    async claimPendingAcceptance({ limit, now, recheckAfterSeconds, createdSince }) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`claimPendingAcceptance: limit must be a positive integer, got ${limit}.`)
      }
      // The least recently checked first; stamping the check is the claim, so other instances pass these over.
      const rows = await db.transaction((tx) =>
        tx.query<InvitationRow>(
          `WITH due AS (
             SELECT id FROM invitations
             WHERE external_user_state <> 'Accepted' AND created_at >= $3::timestamptz
               AND status IN ('completed', 'partial')
               AND (acceptance_checked_at IS NULL
                    OR acceptance_checked_at <= $1::timestamptz - make_interval(secs => $4))
             ORDER BY acceptance_checked_at NULLS FIRST, created_at, id
             LIMIT $2
             FOR UPDATE SKIP LOCKED
           ), claimed AS (
             UPDATE invitations AS invitation
             SET acceptance_checked_at = $1::timestamptz
             FROM due WHERE invitation.id = due.id
             RETURNING invitation.*
           )
           SELECT * FROM claimed ORDER BY created_at, id`,
          [now.toISOString(), limit, createdSince.toISOString(), recheckAfterSeconds],
        ),
      )
      return rows.map(toRecord)
    },
  }
}

/**
 * An invitation as a query reads it, `SELECT *` or `to_jsonb(invitations)` (timestamps as ISO strings then): the one
 * mapping of the table's columns, for queries that join invitations to other tables (a bulk job's results).
 *
 * @example
 * const [row] = await db.query<{ invitation: object }>('SELECT to_jsonb(i) AS invitation FROM invitations i …')
 * const record = invitationFromRow(row.invitation)
 */
export function invitationFromRow(row: object): InvitationRecord {
  return toRecord(row as InvitationRow)
}

function toRecord(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    invitationId: row.invitation_id,
    invitedUserId: row.invited_user_id ?? '',
    invitedUserEmailAddress: row.invited_user_email_address,
    invitedUserDisplayName: row.invited_user_display_name,
    inviteRedeemUrl: row.invite_redeem_url,
    inviteRedirectUrl: row.invite_redirect_url,
    status: row.status,
    externalUserState: row.external_user_state,
    emailSentByMicrosoft: row.email_sent_by_microsoft,
    emailSentByBff: row.email_sent_by_bff,
    reinvited: row.reinvited,
    presetId: row.preset_id,
    bulkJobId: row.bulk_job_id,
    invitedBy: {
      tenantId: row.invited_by_tenant_id,
      objectId: row.invited_by_object_id,
      name: row.invited_by_name,
    },
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
    steps: row.steps,
    message: row.message,
    attributes: row.attributes,
    groupIds: row.group_ids,
    licenses: row.licenses,
    appRoles: row.app_roles,
    retryAttempts: row.retry_attempts,
    nextRetryAt: toIsoStringOrNull(row.next_retry_at),
    bulkRowNumber: row.bulk_row_number,
    approval: row.approval ?? null,
    access: row.access ?? null,
    removal: row.removal ?? null,
    request: row.request ?? null,
    remindAt: toIsoStringOrNull(row.remind_at),
    decisionLeaseUntil: toIsoStringOrNull(row.decision_lease_until),
    review: row.review ?? null,
    reviewAt: toIsoStringOrNull(row.review_at),
  }
}
