import type { InvitationQuotaConfig } from '../config.js'
import type { Caller } from '../identity/caller.js'
import { ProblemError } from '../platform/problem-error.js'
import type { Database } from '../platform/types.js'

/**
 * The hourly invitation quota: it counts invitations, not requests, so a bulk file's rows count as the single
 * invitations they are. Counted from the database, so every instance sees the same use.
 */
export interface InvitationQuota {
  /**
   * Throws `invitation_quota_exceeded` (429) when `count` more invitations by `caller` would pass their own quota
   * (administrators have a larger one) or their tenant's, saying how many fit now and when more do.
   */
  check(caller: Caller, count: number): Promise<void>
}

const HOUR_MS = 3_600_000

/** Whose invitations a count covers: one inviter's, or the whole tenant's. */
interface Scope {
  tenantId: string
  objectId?: string
}

/**
 * Creates the quota check on the BFF's database: invitations recorded in the last hour (single and bulk alike, as
 * bulk rows become invitations) plus the rows of running bulk jobs not yet sent, which are already promised.
 *
 * Two requests checked at the same moment may both pass where only one fits: the quota is a budget, not a lock,
 * and the per-minute rate limits bound such a burst.
 *
 * @example
 * const quota = createInvitationQuota(db, config.invitationQuota)
 * await quota.check(caller, 1) // throws ProblemError('invitation_quota_exceeded') when the hour's quota is used up
 */
export function createInvitationQuota(
  db: Database,
  limits: InvitationQuotaConfig,
  clock: () => Date = () => new Date(),
): InvitationQuota {
  /**
   * The hour's use of the inviter and of their tenant, in two reads: invitations made in the last hour, and rows of
   * running bulk jobs not yet sent (already promised).
   */
  async function use(caller: Scope & { objectId: string }, since: string) {
    const [made] = await db.query<{ mine: number | string; tenant: number | string }>(
      `SELECT count(*) FILTER (WHERE invited_by_object_id = $3) AS mine, count(*) AS tenant FROM invitations
       WHERE invited_by_tenant_id = $1 AND created_at > $2::timestamptz`,
      [caller.tenantId, since, caller.objectId],
    )
    const [queued] = await db.query<{ mine: number | string; tenant: number | string }>(
      `SELECT count(*) FILTER (WHERE bulk_jobs.invited_by_object_id = $2) AS mine, count(*) AS tenant
       FROM bulk_rows JOIN bulk_jobs ON bulk_jobs.id = bulk_rows.job_id
       WHERE bulk_jobs.invited_by_tenant_id = $1 AND bulk_jobs.status IN ('running', 'paused_reauth')
         AND bulk_rows.status IN ('pending', 'sending')`,
      [caller.tenantId, caller.objectId],
    )
    return {
      mine: Number(made?.mine ?? 0) + Number(queued?.mine ?? 0),
      tenant: Number(made?.tenant ?? 0) + Number(queued?.tenant ?? 0),
    }
  }

  /**
   * Seconds until `place` more invitations of `scope` fit: the place-th oldest of the hour leaves the window an hour
   * after it was made; queued rows are not sent yet, so past the recorded ones a full hour is the honest answer.
   */
  async function freesInSeconds(scope: Scope, since: string, place: number, now: Date): Promise<number> {
    const params: unknown[] = [scope.tenantId, since, Math.max(0, place - 1)]
    if (scope.objectId !== undefined) params.push(scope.objectId)
    const [row] = await db.query<{ created_at: unknown }>(
      `SELECT created_at FROM invitations
       WHERE invited_by_tenant_id = $1 AND created_at > $2::timestamptz
         ${scope.objectId === undefined ? '' : 'AND invited_by_object_id = $4'}
       ORDER BY created_at OFFSET $3 LIMIT 1`,
      params,
    )
    const madeAt = row ? new Date(row.created_at as string | Date).getTime() : now.getTime()
    return Math.max(1, Math.ceil((madeAt + HOUR_MS - now.getTime()) / 1000))
  }

  async function refuseBeyond(
    refusal: { quotaPerHour: number; used: number; scope: Scope; whose: string },
    count: number,
    since: string,
    now: Date,
  ): Promise<void> {
    const { quotaPerHour, used, scope, whose } = refusal
    const allowedNow = Math.max(0, quotaPerHour - used)
    if (count <= allowedNow) return
    const retryAfterSeconds = await freesInSeconds(scope, since, count - allowedNow, now)
    const wait =
      retryAfterSeconds >= 120
        ? `${Math.ceil(retryAfterSeconds / 60)} minutes`
        : `${retryAfterSeconds} seconds`
    const asked = count === 1 ? 'another invitation does not fit' : `${count} invitations do not fit`
    const fits =
      allowedNow === 0
        ? 'none fit now'
        : `${allowedNow} ${allowedNow === 1 ? 'fits' : 'fit'} now (split the file)`
    throw new ProblemError('invitation_quota_exceeded', {
      detail: `${whose} quota is ${quotaPerHour} invitations an hour, bulk rows included: ${asked}; ${fits}, and more in ${wait}.`,
      retryAfterSeconds,
      quotaPerHour,
      allowedNow,
    })
  }

  return {
    async check(caller, count) {
      if (!(Number.isInteger(count) && count >= 0)) {
        throw new RangeError(`InvitationQuota.check: count must be a whole number, got ${count}.`)
      }
      if (count === 0) return
      const now = clock()
      const since = new Date(now.getTime() - HOUR_MS).toISOString()
      const used = await use(caller, since)
      const own = caller.isAdmin ? limits.perAdminPerHour : limits.perUserPerHour
      await refuseBeyond(
        { quotaPerHour: own, used: used.mine, scope: caller, whose: 'Your' },
        count,
        since,
        now,
      )
      await refuseBeyond(
        {
          quotaPerHour: limits.perTenantPerHour,
          used: used.tenant,
          scope: { tenantId: caller.tenantId },
          whose: "Your organization's",
        },
        count,
        since,
        now,
      )
    },
  }
}
