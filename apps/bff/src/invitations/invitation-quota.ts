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

interface Use {
  /** Invitations made in the last hour, plus bulk rows queued to be sent. */
  used: number
  /** When the oldest invitation counted frees its place, as `Retry-After` seconds from now (at least 1). */
  freesInSeconds: (place: number) => Promise<number>
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
  async function use(tenantId: string, objectId: string | undefined, now: Date): Promise<Use> {
    const since = new Date(now.getTime() - HOUR_MS).toISOString()
    // The tenant's use, or one inviter's within it.
    const madeWhere = `invited_by_tenant_id = $1 AND created_at > $2::timestamptz${objectId === undefined ? '' : ' AND invited_by_object_id = $3'}`
    const madeParams = objectId === undefined ? [tenantId, since] : [tenantId, since, objectId]
    const [made] = await db.query<{ count: number | string }>(
      `SELECT count(*) AS count FROM invitations WHERE ${madeWhere}`,
      madeParams,
    )
    const [queued] = await db.query<{ count: number | string }>(
      `SELECT count(*) AS count FROM bulk_rows JOIN bulk_jobs ON bulk_jobs.id = bulk_rows.job_id
       WHERE bulk_jobs.invited_by_tenant_id = $1 AND bulk_jobs.status IN ('running', 'paused_reauth')
         AND bulk_rows.status IN ('pending', 'sending')${objectId === undefined ? '' : ' AND bulk_jobs.invited_by_object_id = $2'}`,
      objectId === undefined ? [tenantId] : [tenantId, objectId],
    )
    return {
      used: Number(made?.count ?? 0) + Number(queued?.count ?? 0),
      async freesInSeconds(place) {
        // The place-th oldest invitation of the hour leaves the window an hour after it was made; queued rows
        // are not sent yet, so past the recorded ones a full hour is the honest answer.
        const [row] = await db.query<{ created_at: unknown }>(
          `SELECT created_at FROM invitations WHERE ${madeWhere} ORDER BY created_at OFFSET $${madeParams.length + 1} LIMIT 1`,
          [...madeParams, Math.max(0, place - 1)],
        )
        const madeAt = row ? new Date(row.created_at as string | Date).getTime() : now.getTime()
        return Math.max(1, Math.ceil((madeAt + HOUR_MS - now.getTime()) / 1000))
      },
    }
  }

  async function refuseBeyond(quotaPerHour: number, found: Use, count: number, whose: string): Promise<void> {
    const allowedNow = Math.max(0, quotaPerHour - found.used)
    if (count <= allowedNow) return
    const retryAfterSeconds = await found.freesInSeconds(count - allowedNow)
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
      const own = caller.isAdmin ? limits.perAdminPerHour : limits.perUserPerHour
      await refuseBeyond(own, await use(caller.tenantId, caller.objectId, now), count, 'Your')
      await refuseBeyond(
        limits.perTenantPerHour,
        await use(caller.tenantId, undefined, now),
        count,
        "Your organization's",
      )
    },
  }
}
