import type { BffConfig } from '../config.js'
import type { AccessRemoval } from './access-removal.js'
import { type GovernanceNotices, noGovernanceNotices } from './governance-notices.js'
import { decideReview, presetOf, startReview } from './governance-policy.js'
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
  /** Periodic reviews started (`invitation.review_requested`). */
  reviewsStarted: number
  /** Reviews nobody answered by their deadline, decided by the preset's default (`invitation.reviewed`). */
  reviewsDefaulted: number
}

export interface GovernanceOptions {
  /** The presets as configured now: their review policies. */
  config: Pick<BffConfig, 'presets'>
  invitations: Pick<InvitationStore, 'updateDue'>
  removal: AccessRemoval
  /** Emails to sponsors (email mode `smtp`); absent: none, the events are the notice. */
  notices?: GovernanceNotices
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
 * 4. Periodic reviews fall due: each waits for the sponsor (`invitation.review_requested`, an email in `smtp` mode).
 * 5. Reviews nobody answered by their deadline get the preset's default (`invitation.reviewed`, `defaulted`); a
 *    `remove` starts a removal (reason `reviewed`), carried out at once like an expiry's.
 * 6. Removals with a failed step (or whose instance died) are retried after their backoff.
 *
 * @example
 * const governance = createGovernance({ config, invitations, removal, clock: () => new Date() })
 * const { deniedRequests, reminded, expired, removed } = await governance.run()
 */
export function createGovernance(options: GovernanceOptions): Governance {
  const { config, invitations, removal } = options
  const notices = options.notices ?? noGovernanceNotices
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
      const started = await invitations.updateDue('reviewStart', { now, limit }, (record) => {
        startReview(record, presetOf(config, record), now)
      })
      const defaulted = await invitations.updateDue('reviewDeadline', { now, limit }, (record) => {
        const preset = presetOf(config, record)
        // A preset no longer configured takes nobody's access away by default.
        const decision = preset?.review?.default ?? 'keep'
        decideReview(record, preset, { decision, by: null, comment: null, now })
        if (decision === 'remove') removal.begin(record, { reason: 'reviewed', requestedBy: null, now })
      })
      const retried = await invitations.updateDue('removalRetry', { now, limit }, (record) => {
        record.nextRetryAt = new Date(now.getTime() + leaseSeconds * 1000).toISOString()
      })
      const outcomes = await removal.carryOut([
        ...expired,
        ...defaulted.filter((record) => record.status === 'removing'),
        ...retried,
      ])
      // After the claims committed: an email is never sent for a change that was rolled back.
      await notices.expiring(reminded)
      await notices.reviewRequested(started.filter((record) => record.review?.decision === null))
      return {
        deniedRequests: denied.length,
        reminded: reminded.length,
        expired: expired.length,
        removalsRetried: retried.length,
        removed: outcomes.filter((record) => record.status === 'removed').length,
        reviewsStarted: started.filter((record) => record.review?.decision === null).length,
        reviewsDefaulted: defaulted.length,
      }
    },
  }
}
