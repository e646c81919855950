import type { AccessRemoval } from './access-removal.js'
import type { InvitationStore } from './types.js'

/** What one run of the governance work did. */
export interface GovernanceRunResult {
  /** Requests nobody decided by their deadline, now `denied` (`invitation.denied`, decision `expired`). */
  deniedRequests: number
  /** Sponsors reminded of an expiry (`invitation.expiring`). */
  reminded: number
  /** Expired invitations whose removal started. */
  expired: number
  /** Removals retried (a step had failed, or the instance carrying one out died). */
  removalsRetried: number
  /** Invitations whose access is now fully removed (`invitation.removed`). */
  removed: number
}

export interface GovernanceOptions {
  invitations: Pick<InvitationStore, 'updateDue'>
  removal: AccessRemoval
  clock?: () => Date
  /** Invitations each kind of work claims per run, at most (the rest wait for the next run). @default 50 */
  perRun?: number
  /** How long a removal being retried stays claimed (its instance may die). @default 300 */
  leaseSeconds?: number
}

export interface Governance {
  /** One run of every kind of scheduled work, each claim bounded by `perRun`. */
  run(): Promise<GovernanceRunResult>
}

/**
 * The scheduled work of governance, run by every instance (`ENTRA_SHARE_GOVERNANCE_SECONDS`): each kind is a claim of
 * due rows (`FOR UPDATE SKIP LOCKED`) changed in the claim's own transaction with its events, so each happens once
 * across instances, and a restart loses nothing (the queues are the database). Time comes from `clock`, so tests
 * move it instead of waiting.
 *
 * 1. Requests nobody decided by their deadline are denied (`expired`).
 * 2. Sponsors are reminded `remindDaysBefore` an expiry.
 * 3. Expired invitations start their removal, carried out at once with the app's token.
 * 4. Removals with a failed step (or whose instance died) are retried after their backoff.
 *
 * @example
 * const governance = createGovernance({ invitations, removal, clock: () => new Date() })
 * const { deniedRequests, reminded, expired, removed } = await governance.run()
 */
export function createGovernance(options: GovernanceOptions): Governance {
  const { invitations, removal } = options
  const clock = options.clock ?? (() => new Date())
  const limit = options.perRun ?? 50
  const leaseSeconds = options.leaseSeconds ?? 300

  return {
    async run() {
      const now = clock()
      const at = now.toISOString()
      const denied = await invitations.updateDue('approvalDeadline', { now, limit }, (record) => {
        record.status = 'denied'
        if (record.approval) record.approval = { ...record.approval, decision: 'expired', decidedAt: at }
        record.request = null
        record.decisionLeaseUntil = null
        record.updatedAt = at
      })
      const reminded = await invitations.updateDue('reminder', { now, limit }, (record) => {
        record.remindAt = null
        record.updatedAt = at
      })
      const expired = await invitations.updateDue('expiry', { now, limit }, (record) =>
        removal.begin(record, { reason: 'expired', requestedBy: null, now }),
      )
      const retried = await invitations.updateDue('removalRetry', { now, limit }, (record) => {
        record.nextRetryAt = new Date(now.getTime() + leaseSeconds * 1000).toISOString()
      })
      const outcomes = await removal.carryOut([...expired, ...retried])
      return {
        deniedRequests: denied.length,
        reminded: reminded.length,
        expired: expired.length,
        removalsRetried: retried.length,
        removed: outcomes.filter((record) => record.status === 'removed').length,
      }
    },
  }
}
