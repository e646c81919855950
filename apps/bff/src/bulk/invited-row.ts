import type { InvitationStep } from '@entra-share/contracts'
import { outcomeOf } from '../events/invitation-events.js'
import type { InvitationRecord } from '../invitations/types.js'

/** What the results CSV says of a row Graph invited: its columns after `status` (which stays `invited`). */
export interface InvitedRowResult {
  reason: null
  detail: string | null
  invitedUserId: string | null
  inviteRedeemUrl: string | null
}

/** A guest found by address after an interruption: Graph's answer, and with it the link, was lost. */
const LINK_UNKNOWN =
  'Invited before an interruption; the redeem URL is unknown: resend the invitation to get a new link.'

/** Why the guest's access was removed, as "removed …" completes it. */
const REMOVED_BECAUSE: Record<NonNullable<InvitationRecord['removal']>['reason'], string> = {
  expired: 'at the end of its access term',
  revoked: 'by a sponsor or an administrator',
  reviewed: 'by a periodic review',
}

/**
 * A bulk row's results as its invitation stands now, read at query time: the guest, the redeem URL (a resend's new
 * one), and a detail saying what is not plainly done — the follow-up steps still to do and why (as the invitation's
 * steps record them for a single invitation too), a link lost to an interruption, access being or already removed.
 * `null` detail: invited and every step done. Nothing here is copied into `bulk_rows`, so it never goes stale.
 *
 * @example
 * invitedRowResult(partial).detail
 * // "Invited; a follow-up step is still to do and is retried automatically: addToGroup (0000…0001): The BFF's …"
 */
export function invitedRowResult(invitation: InvitationRecord): InvitedRowResult {
  return {
    reason: null,
    detail: detailOf(invitation),
    invitedUserId: invitation.invitedUserId === '' ? null : invitation.invitedUserId,
    inviteRedeemUrl: invitation.inviteRedeemUrl,
  }
}

function detailOf(invitation: InvitationRecord): string | null {
  // The status events' reading of status and steps: `failed` when a step failed for good.
  const outcome = outcomeOf(invitation)
  if (outcome === 'removing' || outcome === 'removed') {
    const why = invitation.removal ? ` ${REMOVED_BECAUSE[invitation.removal.reason]}` : ''
    return outcome === 'removing'
      ? `Invited; the guest's access is being removed${why}, and the removal is retried until it is done.`
      : `Invited; the guest's access was removed${why}.`
  }
  const sentences: string[] = []
  if (invitation.inviteRedeemUrl === null) sentences.push(LINK_UNKNOWN)
  const unfinished = invitation.steps.filter((step) => step.status !== 'succeeded')
  if (outcome === 'failed') {
    sentences.push(`Invited; a follow-up step failed for good: ${unfinished.map(stepDetail).join(' ')}`)
  } else if (unfinished.length > 0 && unfinished.every(untried)) {
    // Recorded before its batch runs the follow-ups: they are running now.
    sentences.push('Invited; its follow-up steps are running.')
  } else if (unfinished.length > 0) {
    const head =
      unfinished.length === 1
        ? 'a follow-up step is still to do and is retried automatically'
        : `${unfinished.length} follow-up steps are still to do and are retried automatically`
    sentences.push(`Invited; ${head}: ${unfinished.map(stepDetail).join(' ')}`)
  }
  return sentences.length > 0 ? sentences.join(' ') : null
}

/** A step not tried yet: no attempt, no problem recorded. */
function untried(step: InvitationStep): boolean {
  return step.attempts === 0 && step.code === undefined
}

/** `addToGroup (0000…0001): why` — the step, its target, and why it is not done. */
function stepDetail(step: InvitationStep): string {
  const target = step.target === undefined ? '' : ` (${step.target})`
  return `${step.name}${target}: ${step.detail ?? (untried(step) ? 'not tried yet.' : 'not done yet.')}`
}
