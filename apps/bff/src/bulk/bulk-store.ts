import type { BulkJobStatus, BulkRowReason, BulkRowStatus } from '@entra-share/contracts'
import { insertInvitationsWithGuests, invitationFromRow } from '../invitations/invitation-store.js'
import type { AppUser, InvitationRecord } from '../invitations/types.js'
import type { PostgresConnection } from '../platform/postgres-connection.js'
import { toStorableText } from '../platform/storable-text.js'
import { toIsoString, toIsoStringOrNull } from '../platform/timestamps.js'
import type { Database, Queryable } from '../platform/types.js'
import { INSERT_BULK_ROWS_JSON, type newBulkRowJson } from './bulk-row-json.js'
import type { BulkRowPlan } from './bulk-row-plan.js'
import { invitedRowResult } from './invited-row.js'

/** A job as stored. */
export interface BulkJobRecord {
  id: string
  invitedBy: { tenantId: string; objectId: string; name: string | null }
  /** The uploader's sign-in name (`preferred_username`), named in the BFF's own emails; `null` when unknown. */
  inviterUsername: string | null
  /** The uploader's language preference (`Accept-Language`), for the BFF's own emails; `null`: English. */
  locale: string | null
  mode: 'delegated' | 'app'
  status: BulkJobStatus | 'uploading'
  totalRows: number
  rejectedRows: number
  exampleRowSkipped: boolean
  columns: string[]
  createdAt: string
  updatedAt: string
  finishedAt: string | null
}

/**
 * A row the worker claimed; `stale` when it was found `sending` past its lease (a dead instance's, or an answer lost),
 * so it may have been invited. `notFoundBefore`: a stale row an earlier lookup by address already missed (at least the
 * reconcile settle time ago: `bulk_rows.not_found_at`, migration 010); a second miss is trusted, a first one may be
 * Graph's replication delay.
 */
export interface ClaimedBulkRow {
  rowNumber: number
  plan: BulkRowPlan
  attempts: number
  /** When the row was first attempted: this claim's time for a row never attempted before (migration 011). */
  firstAttemptAt: Date
  stale: boolean
  notFoundBefore: boolean
}

/**
 * What the worker learned about one row. An `invited` row only leaves the queue: its guest, link and follow-ups are
 * its invitation's, recorded with it (see {@link BulkStore.recordOutcomes}) and read from there.
 */
export type BulkRowOutcome =
  | { rowNumber: number; status: 'invited' }
  | { rowNumber: number; status: 'failed'; reason: BulkRowReason; detail: string }
  /**
   * Not sent (throttled): back in the queue after `notBefore`, or cancelled if its job is. `unattempted`: this claim
   * did not ask Graph to invite the row (it waited for the budget, or Graph throttled it and so did not run it), so
   * the claim does not count among the row's attempts. `reason` is `null` where nothing went wrong.
   */
  | {
      rowNumber: number
      status: 'pending'
      notBefore: Date
      reason: BulkRowReason | null
      detail: string
      unattempted?: boolean
    }
  /**
   * Outcome unknown (5xx, lost answer): reconciled by address lookup after `notBefore`. `notFound`: this claim's
   * lookup by address found no guest (noted, so the next claim trusts a second miss: see
   * {@link ClaimedBulkRow.notFoundBefore}); `reason` is then `null`, nothing went wrong. `unattempted`: this claim
   * only looked the address up and found no guest yet, or Graph throttled its request.
   */
  | {
      rowNumber: number
      status: 'uncertain'
      notBefore: Date
      reason: BulkRowReason | null
      detail: string
      unattempted?: boolean
      notFound?: boolean
    }

/**
 * A row for the results CSV. For an invited row, `reason`, `detail`, `invitedUserId` and `inviteRedeemUrl` are its
 * invitation's as it stands when read (see {@link invitedRowResult}); for the others, the queue's.
 */
export interface BulkResultRow {
  rowNumber: number
  cells: string[]
  status: BulkRowStatus
  reason: string | null
  detail: string | null
  invitedUserId: string | null
  inviteRedeemUrl: string | null
}

export type BulkRowCounts = Record<BulkRowStatus, number>

export interface BulkStore {
  /**
   * PostgreSQL: where an upload's worker thread stores the rows it judged, over a connection of its own, so that they
   * never pass through the main thread. Absent on PGlite (it lives in the main thread): the rows come back to
   * {@link BulkStore.insertRowsJson}.
   */
  readonly uploadConnection?: PostgresConnection
  createJob(job: BulkJobRecord): Promise<void>
  /**
   * Stores a batch an upload's worker thread made: one JSON array of {@link newBulkRowJson} objects as UTF-8, stored
   * from those bytes (`Database.executeJsonBytes`), so the main thread makes neither a string nor a row object of it.
   */
  insertRowsJson(jobId: string, rowsJsonArray: Uint8Array): Promise<void>
  /** Ends the upload: the job starts running (or is complete at once when no row is left to send). */
  finishUpload(
    jobId: string,
    summary: Pick<BulkJobRecord, 'totalRows' | 'rejectedRows' | 'exampleRowSkipped' | 'columns'>,
    now: Date,
  ): Promise<void>
  deleteJob(jobId: string): Promise<void>
  getJob(jobId: string): Promise<BulkJobRecord | null>
  /**
   * Rows by queue status. The queue's `invited` is written in the transaction that records the row's invitation, so it
   * counts the job's invitations; what became of each is in {@link BulkStore.resultRows}.
   */
  counts(jobId: string): Promise<BulkRowCounts>
  /** Rows finished (invited or failed by the worker) since `since`: the queue's pace, for the rate and ETA. */
  finishedSince(jobId: string, since: Date): Promise<number>
  rejectedRows(
    jobId: string,
    limit: number,
  ): Promise<{ rowNumber: number; email: string | null; reason: string; detail: string }[]>
  /** Pending rows become cancelled and the job stops; rows in flight finish. */
  cancel(jobId: string, now: Date): Promise<void>
  /**
   * A running job with rows due at `now` (or a cancelled one with rows left in flight, to look up), least recently
   * served first, marked served at `now`: batches claimed side by side (by this instance's batches in flight or by
   * other instances) take turns across jobs, so each running job gets its share. In delegated mode only jobs whose
   * token this instance holds, or whose holder has not been seen since `holderSeenAfter` (it died), qualify.
   */
  nextDueJob(options: { now: Date; instanceId: string; holderSeenAfter: Date }): Promise<BulkJobRecord | null>
  /**
   * Claims up to `limit` due rows of `jobId` with `FOR UPDATE SKIP LOCKED` and marks them `sending` until
   * `now + leaseSeconds`, committed before the caller calls Graph. Stale `sending` rows come back with `stale: true`;
   * of a cancelled job, only those.
   */
  claimRows(options: {
    jobId: string
    now: Date
    limit: number
    leaseSeconds: number
  }): Promise<ClaimedBulkRow[]>
  /** Writes the outcomes in one transaction and completes the job when nothing is left to send. */
  /**
   * Records what the worker learned about rows, and inserts the invitations (with their guests) of the rows Graph
   * invited, in one transaction: a row is never `invited` without its invitation record.
   */
  recordOutcomes(
    jobId: string,
    outcomes: readonly BulkRowOutcome[],
    now: Date,
    invitations?: readonly { record: InvitationRecord; guest: AppUser }[],
  ): Promise<void>
  setJobStatus(jobId: string, from: BulkJobStatus, to: BulkJobStatus, now: Date): Promise<void>
  /**
   * This instance now holds `inviter`'s token: records it on the inviter's unfinished delegated jobs and resumes
   * those paused for re-authentication. Returns how many were resumed.
   */
  holdToken(inviter: { tenantId: string; objectId: string }, instanceId: string, now: Date): Promise<number>
  /**
   * Every row in row order, read page by page: a view over the queue's rows and the job's invitations (joined on
   * `bulk_job_id` + `bulk_row_number`), so an invited row shows its invitation as it is now — a step the retrier
   * finished, a resend's new link, access removed.
   */
  resultRows(jobId: string): AsyncGenerator<BulkResultRow>
}

interface JobRow {
  id: string
  invited_by_tenant_id: string
  invited_by_object_id: string
  invited_by_name: string | null
  invited_by_username: string | null
  locale: string | null
  mode: 'delegated' | 'app'
  status: BulkJobRecord['status']
  total_rows: number
  rejected_rows: number
  example_row_skipped: boolean
  columns: string[] | string
  created_at: unknown
  updated_at: unknown
  finished_at: unknown
}

const RESULT_PAGE = 1000
/** The detail of a row its job's cancel kept from being sent. */
const CANCELLED_BEFORE_SENT = 'The job was cancelled before this row was sent; it was not invited.'

/**
 * The bulk-invitation tables (`002_bulk_invitations.sql`) on PGlite or PostgreSQL.
 *
 * @example
 * const store = createBulkStore(db)
 * const job = await store.getJob(id)
 */
export function createBulkStore(db: Database): BulkStore {
  const touchJob = (tx: Queryable, jobId: string, now: Date) =>
    tx.query('UPDATE bulk_jobs SET updated_at = $2 WHERE id = $1', [jobId, now.toISOString()])

  return {
    ...(db.connection ? { uploadConnection: db.connection } : {}),
    async createJob(job) {
      await db.query(
        `INSERT INTO bulk_jobs (id, invited_by_tenant_id, invited_by_object_id, invited_by_name, mode, status,
           columns, created_at, updated_at, invited_by_username, locale)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          job.id,
          job.invitedBy.tenantId,
          job.invitedBy.objectId,
          job.invitedBy.name,
          job.mode,
          job.status,
          JSON.stringify(job.columns.map(toStorableText)),
          job.createdAt,
          job.updatedAt,
          job.inviterUsername,
          job.locale,
        ],
      )
    },

    async insertRowsJson(jobId, rowsJsonArray) {
      await db.executeJsonBytes(INSERT_BULK_ROWS_JSON, [jobId], rowsJsonArray)
    },

    async finishUpload(jobId, summary, now) {
      await db.query(
        `UPDATE bulk_jobs SET total_rows = $2, rejected_rows = $3, example_row_skipped = $4, columns = $5,
           status = CASE WHEN EXISTS (SELECT 1 FROM bulk_rows WHERE job_id = $1 AND status = 'pending')
                         THEN 'running' ELSE 'completed' END,
           finished_at = CASE WHEN EXISTS (SELECT 1 FROM bulk_rows WHERE job_id = $1 AND status = 'pending')
                              THEN NULL ELSE $6::timestamptz END,
           updated_at = $6
         WHERE id = $1`,
        [
          jobId,
          summary.totalRows,
          summary.rejectedRows,
          summary.exampleRowSkipped,
          JSON.stringify(summary.columns.map(toStorableText)),
          now.toISOString(),
        ],
      )
    },

    async deleteJob(jobId) {
      await db.query('DELETE FROM bulk_jobs WHERE id = $1', [jobId])
    },

    async getJob(jobId) {
      const [row] = await db.query<JobRow>('SELECT * FROM bulk_jobs WHERE id = $1', [jobId])
      return row ? toJob(row) : null
    },

    async counts(jobId) {
      const rows = await db.query<{ status: BulkRowStatus; count: number | string }>(
        'SELECT status, count(*) AS count FROM bulk_rows WHERE job_id = $1 GROUP BY status',
        [jobId],
      )
      const counts: BulkRowCounts = { pending: 0, sending: 0, invited: 0, failed: 0, cancelled: 0 }
      for (const row of rows) counts[row.status] = Number(row.count)
      return counts
    },

    async finishedSince(jobId, since) {
      const [row] = await db.query<{ count: number | string }>(
        'SELECT count(*) AS count FROM bulk_rows WHERE job_id = $1 AND done_at >= $2',
        [jobId, since.toISOString()],
      )
      return Number(row?.count ?? 0)
    },

    async rejectedRows(jobId, limit) {
      // Rejected at upload: failed without a single attempt.
      const rows = await db.query<{
        row_number: number
        email: string | null
        reason: string
        detail: string
      }>(
        `SELECT row_number, email, reason, detail FROM bulk_rows
         WHERE job_id = $1 AND status = 'failed' AND attempts = 0
         ORDER BY row_number LIMIT $2`,
        [jobId, limit],
      )
      return rows.map((row) => ({
        rowNumber: row.row_number,
        email: row.email,
        reason: row.reason,
        detail: row.detail,
      }))
    },

    async cancel(jobId, now) {
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE bulk_rows SET status = 'cancelled', done_at = $2, reason = NULL, detail = $3
           WHERE job_id = $1 AND status = 'pending'`,
          [jobId, now.toISOString(), CANCELLED_BEFORE_SENT],
        )
        await tx.query(
          `UPDATE bulk_jobs SET status = 'cancelled', finished_at = $2, updated_at = $2
           WHERE id = $1 AND status IN ('running', 'paused_reauth')`,
          [jobId, now.toISOString()],
        )
      })
    },

    async nextDueJob({ now, instanceId, holderSeenAfter }) {
      // Round-robin: the job picked moves to the back of the turn at once, before its rows are even claimed. Two
      // pickers racing may both take the same job; the next picks go elsewhere.
      const [row] = await db.query<JobRow>(
        `UPDATE bulk_jobs SET last_claimed_at = $1
         WHERE id = (
           SELECT j.id FROM bulk_jobs j
           WHERE j.status IN ('running', 'cancelled')
             AND (j.mode = 'app' OR j.token_holder = $2 OR j.token_seen_at IS NULL OR j.token_seen_at < $3)
             AND EXISTS (
               SELECT 1 FROM bulk_rows r
               WHERE r.job_id = j.id
                 AND ((j.status = 'running' AND r.status = 'pending' AND (r.not_before IS NULL OR r.not_before <= $1))
                   -- A cancelled job's rows still in flight are looked up: Graph may have invited them.
                   OR (r.status = 'sending' AND r.lease_until <= $1)))
           ORDER BY j.last_claimed_at NULLS FIRST, j.created_at
           LIMIT 1)
         RETURNING *`,
        [now.toISOString(), instanceId, holderSeenAfter.toISOString()],
      )
      return row ? toJob(row) : null
    },

    async claimRows({ jobId, now, limit, leaseSeconds }) {
      const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString()
      return db.transaction(async (tx) => {
        // SKIP LOCKED: instances claim side by side; once this commits the rows are `sending` and no longer due.
        const rows = await tx.query<{
          row_number: number
          plan: BulkRowPlan | string
          attempts: number
          first_attempt_at: Date | string
          status: string
          not_found_at: unknown
        }>(
          `WITH due AS (
             SELECT row_number FROM bulk_rows
             WHERE job_id = $1
               -- Only a running job's rows to send: one paused or cancelled while this claim waited for the pacer
               -- sends nothing. A cancelled job's stale rows are claimed to be looked up, never sent again.
               AND ((status = 'pending' AND (not_before IS NULL OR not_before <= $2)
                     AND EXISTS (SELECT 1 FROM bulk_jobs WHERE id = $1 AND status = 'running'))
                 OR (status = 'sending' AND lease_until <= $2
                     AND EXISTS (SELECT 1 FROM bulk_jobs WHERE id = $1 AND status IN ('running', 'cancelled'))))
             ORDER BY row_number
             LIMIT $3
             FOR UPDATE SKIP LOCKED
           ), before AS (
             SELECT r.row_number, r.status, r.not_found_at FROM bulk_rows r JOIN due USING (row_number)
             WHERE r.job_id = $1
           )
           -- An earlier lookup's miss is cleared with the queue's last reason: a claim that dies after inviting must
           -- not leave it behind, or the next claim would trust a single lookup by address.
           UPDATE bulk_rows r SET status = 'sending', lease_until = $4, attempts = r.attempts + 1, reason = NULL,
             not_found_at = NULL, first_attempt_at = COALESCE(r.first_attempt_at, $2)
           FROM before
           WHERE r.job_id = $1 AND r.row_number = before.row_number
           RETURNING r.row_number, r.plan, r.attempts, r.first_attempt_at, before.status, before.not_found_at`,
          [jobId, now.toISOString(), limit, leaseUntil],
        )
        return rows
          .map((row) => ({
            rowNumber: row.row_number,
            plan: (typeof row.plan === 'string' ? JSON.parse(row.plan) : row.plan) as BulkRowPlan,
            attempts: row.attempts,
            firstAttemptAt: new Date(row.first_attempt_at),
            stale: row.status === 'sending',
            notFoundBefore: row.status === 'sending' && row.not_found_at !== null,
          }))
          .sort((a, b) => a.rowNumber - b.rowNumber)
      })
    },

    async recordOutcomes(jobId, outcomes, now, invitations = []) {
      const at = now.toISOString()
      await db.transaction(async (tx) => {
        // One job's batches record one after another: each sees the rows the others finished, so the last one to
        // finish completes the job (without the lock, two finishing side by side could each see the other's rows
        // still `sending`, and the job would never complete).
        await tx.query('SELECT 1 FROM bulk_jobs WHERE id = $1 FOR UPDATE', [jobId])
        await insertInvitationsWithGuests(tx, invitations)
        // One statement per kind of outcome, whatever the batch's size.
        const invited = outcomes.filter((outcome) => outcome.status === 'invited')
        if (invited.length > 0) {
          // Out of the queue; the queue's last word (a throttle, a lookup) is cleared. The guest, the link and the
          // follow-ups are not copied here: they are the invitation's, inserted above, and would go stale.
          await tx.query(
            `UPDATE bulk_rows r SET status = 'invited', reason = NULL, detail = NULL, lease_until = NULL,
               done_at = $2
             FROM (VALUES ${tuples(invited.length, ['::integer'], 3)}) AS v(row_number)
             WHERE r.job_id = $1 AND r.row_number = v.row_number`,
            [jobId, at, ...invited.map((outcome) => outcome.rowNumber)],
          )
        }
        const failed = outcomes.filter((outcome) => outcome.status === 'failed')
        if (failed.length > 0) {
          await tx.query(
            `UPDATE bulk_rows r SET status = 'failed', reason = v.reason, detail = v.detail, lease_until = NULL,
               done_at = $2
             FROM (VALUES ${tuples(failed.length, ['::integer', '::text', '::text'], 3)}) AS v(row_number, reason, detail)
             WHERE r.job_id = $1 AND r.row_number = v.row_number`,
            [
              jobId,
              at,
              ...failed.flatMap((outcome) => [outcome.rowNumber, outcome.reason, storable(outcome.detail)]),
            ],
          )
        }
        const again = outcomes.filter(
          (outcome) => outcome.status === 'pending' || outcome.status === 'uncertain',
        )
        if (again.length > 0) {
          // `uncertain` stays `sending` with a short lease, so the next claim reconciles it before any resend.
          // A cancelled job's row not sent is cancelled rather than queued again, as the cancel's own rows are: done,
          // no reason, and a throttled row's "waiting for room" detail replaced by the cancel's.
          await tx.query(
            `UPDATE bulk_rows r SET
               status = CASE WHEN v.kind = 'uncertain' THEN 'sending' WHEN j.cancelled THEN 'cancelled'
                             ELSE 'pending' END,
               not_before = v.not_before,
               lease_until = CASE WHEN v.kind = 'uncertain' THEN v.not_before ELSE NULL END,
               reason = CASE WHEN v.kind = 'pending' AND j.cancelled THEN NULL ELSE v.reason END,
               detail = CASE WHEN v.kind = 'pending' AND j.cancelled AND v.reason IS NOT NULL THEN $3
                             ELSE v.detail END,
               done_at = CASE WHEN v.kind = 'pending' AND j.cancelled THEN $2::timestamptz ELSE r.done_at END,
               not_found_at = v.not_found_at,
               attempts = CASE WHEN v.unattempted THEN GREATEST(r.attempts - 1, 0) ELSE r.attempts END,
               first_attempt_at = CASE WHEN v.unattempted AND r.attempts <= 1 THEN NULL ELSE r.first_attempt_at END
             FROM (VALUES ${tuples(again.length, ['::integer', '::text', '::timestamptz', '::text', '::text', '::boolean', '::timestamptz'], 4)})
               AS v(row_number, kind, not_before, reason, detail, unattempted, not_found_at),
               (SELECT status = 'cancelled' AS cancelled FROM bulk_jobs WHERE id = $1) j
             WHERE r.job_id = $1 AND r.row_number = v.row_number`,
            [
              jobId,
              at,
              CANCELLED_BEFORE_SENT,
              ...again.flatMap((outcome) => [
                outcome.rowNumber,
                outcome.status,
                outcome.notBefore.toISOString(),
                outcome.reason,
                storable(outcome.detail),
                outcome.unattempted === true,
                outcome.status === 'uncertain' && outcome.notFound === true ? at : null,
              ]),
            ],
          )
        }
        await tx.query(
          `UPDATE bulk_jobs SET status = 'completed', finished_at = $2, updated_at = $2
           WHERE id = $1 AND status = 'running'
             AND NOT EXISTS (SELECT 1 FROM bulk_rows WHERE job_id = $1 AND status IN ('pending', 'sending'))`,
          [jobId, at],
        )
        await touchJob(tx, jobId, now)
      })
    },

    async setJobStatus(jobId, from, to, now) {
      await db.query('UPDATE bulk_jobs SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2', [
        jobId,
        from,
        to,
        now.toISOString(),
      ])
    },

    async holdToken(inviter, instanceId, now) {
      const rows = await db.query<{ resumed: boolean }>(
        `UPDATE bulk_jobs j SET token_holder = $3, token_seen_at = $4,
           status = CASE WHEN j.status = 'paused_reauth' THEN 'running' ELSE j.status END,
           updated_at = $4
         FROM (SELECT id, status = 'paused_reauth' AS resumed FROM bulk_jobs
               WHERE invited_by_tenant_id = $1 AND invited_by_object_id = $2 AND mode = 'delegated'
                 AND status IN ('running', 'paused_reauth')) old
         WHERE j.id = old.id
         RETURNING old.resumed`,
        [inviter.tenantId, inviter.objectId, instanceId, now.toISOString()],
      )
      return rows.filter((row) => row.resumed).length
    },

    async *resultRows(jobId) {
      let after = 0
      for (;;) {
        const rows = await db.query<{
          row_number: number
          input: string[] | string
          status: BulkRowStatus
          reason: string | null
          detail: string | null
          invited_user_id: string | null
          invite_redeem_url: string | null
          invitation: object | string | null
        }>(
          // The invitation whole, as its store maps it (one mapping of its columns, in invitation-store.ts).
          `SELECT r.row_number, r.input, r.status, r.reason, r.detail, r.invited_user_id, r.invite_redeem_url,
             CASE WHEN i.id IS NULL THEN NULL ELSE to_jsonb(i) END AS invitation
           FROM bulk_rows r
           LEFT JOIN invitations i ON i.bulk_job_id = r.job_id AND i.bulk_row_number = r.row_number
           WHERE r.job_id = $1 AND r.row_number > $2 ORDER BY r.row_number LIMIT $3`,
          [jobId, after, RESULT_PAGE],
        )
        for (const row of rows) {
          const base = {
            rowNumber: row.row_number,
            cells: (typeof row.input === 'string' ? JSON.parse(row.input) : row.input) as string[],
            status: row.status,
          }
          if (row.status === 'invited' && row.invitation !== null) {
            const invitation =
              typeof row.invitation === 'string' ? JSON.parse(row.invitation) : row.invitation
            yield { ...base, ...invitedRowResult(invitationFromRow(invitation)) }
          } else {
            // The queue's own word. An invited row without an invitation was invited before rows became invitations
            // (migration 003): its copy of the guest and link is all there is.
            yield {
              ...base,
              reason: row.reason,
              detail: row.detail,
              invitedUserId: row.invited_user_id,
              inviteRedeemUrl: row.invite_redeem_url,
            }
          }
        }
        if (rows.length < RESULT_PAGE) return
        after = (rows.at(-1) as { row_number: number }).row_number
      }
    },
  }
}

/** `($first::cast, …), (…)`: one tuple of numbered parameters per row, from parameter `first` on. */
function tuples(rows: number, casts: readonly string[], first: number): string {
  const tuple = (row: number) =>
    `(${casts.map((cast, column) => `$${first + row * casts.length + column}${cast}`).join(', ')})`
  return Array.from({ length: rows }, (_, row) => tuple(row)).join(', ')
}

/**
 * Free text as it may be stored: `text` and `jsonb` refuse NUL, and an unpaired surrogate has no UTF-8 form. The
 * CSV reader already hands over storable cells; details written later (Graph's messages) pass through here too.
 */
function storable(value: string | null): string | null {
  return value === null ? null : toStorableText(value)
}

function toJob(row: JobRow): BulkJobRecord {
  return {
    id: row.id,
    invitedBy: {
      tenantId: row.invited_by_tenant_id,
      objectId: row.invited_by_object_id,
      name: row.invited_by_name,
    },
    inviterUsername: row.invited_by_username ?? null,
    locale: row.locale ?? null,
    mode: row.mode,
    status: row.status,
    totalRows: row.total_rows,
    rejectedRows: row.rejected_rows,
    exampleRowSkipped: row.example_row_skipped,
    columns: (typeof row.columns === 'string' ? JSON.parse(row.columns) : row.columns) as string[],
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
    finishedAt: toIsoStringOrNull(row.finished_at),
  }
}
