import type { InvitationAccess, InvitationReview, PersonRef, RemovalStep } from '@entra-share/contracts'
import type { GroupPreset } from '../config.js'
import type { Caller } from '../identity/caller.js'
import { ProblemError } from '../platform/problem-error.js'
import type { InvitationRecord } from './types.js'

/**
 * The governance rules of presets as pure decisions (no I/O): the access term and its extension, the steps a
 * removal takes, who may decide on a request. Each refusal is a catalogued {@link ProblemError}.
 */

/** Days a request waits for a decision before it is denied, unless the preset says otherwise. */
export const DEFAULT_APPROVAL_EXPIRES_AFTER_DAYS = 7
/** Days before the expiry when the sponsor is reminded, unless the preset says otherwise. */
export const DEFAULT_REMIND_DAYS_BEFORE = 7
/** Days the sponsor has to answer a periodic review, unless the preset says otherwise. */
export const DEFAULT_REVIEW_DEADLINE_DAYS = 14

const DAY_MS = 86_400_000
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether an invitation in `status` gives the guest access (invited; not removed, not a request). */
export function givesAccess(status: InvitationRecord['status']): boolean {
  return status === 'completed' || status === 'partial'
}

/** `now` plus whole days, as an ISO string. */
export function daysAfter(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY_MS).toISOString()
}

/**
 * The days of access a request gets: its own `accessDays` (at most the preset's), else the preset's; `null` when the
 * preset sets no expiry. Asking for days where the preset sets none, or for more than it allows, is
 * `access_days_not_allowed`.
 *
 * @example
 * accessDaysFor({ accessDays: 90, … }, 30) // 30
 * accessDaysFor({ accessDays: 90, … }, 120) // throws access_days_not_allowed
 */
export function accessDaysFor(preset: GroupPreset | null, requested: number | undefined): number | null {
  const allowed = preset?.accessDays
  if (requested === undefined) return allowed ?? null
  if (allowed === undefined) {
    throw new ProblemError('access_days_not_allowed', {
      detail: preset
        ? `The preset '${preset.id}' gives access without an expiry; leave accessDays out.`
        : 'Access without a preset does not expire; leave accessDays out.',
    })
  }
  if (requested > allowed) {
    throw new ProblemError('access_days_not_allowed', {
      detail: `The preset '${preset?.id}' gives at most ${allowed} days of access (asked: ${requested}).`,
    })
  }
  return requested
}

/** When to remind the sponsor of an expiry: `remindDaysBefore` (default 7) before it, and never before `now`. */
export function remindAtFor(preset: GroupPreset | null, expiresAt: string, now: Date): string {
  const before = preset?.remindDaysBefore ?? DEFAULT_REMIND_DAYS_BEFORE
  return new Date(Math.max(now.getTime(), Date.parse(expiresAt) - before * DAY_MS)).toISOString()
}

/**
 * The access term of a grant made at `now` for `days` (`null`: none), when to remind the sponsor, and when the first
 * periodic review starts (the preset's `review.everyDays` after `now`; `null`: no reviews).
 *
 * @example
 * accessTermFor(preset, 30, new Date('2026-01-01T00:00:00Z')).access?.expiresAt // '2026-01-31T00:00:00.000Z'
 */
export function accessTermFor(
  preset: GroupPreset | null,
  days: number | null,
  now: Date,
): { access: InvitationAccess | null; remindAt: string | null; reviewAt: string | null } {
  const reviewAt = nextReviewAt(preset, now)
  if (days === null) return { access: null, remindAt: null, reviewAt }
  const expiresAt = daysAfter(now, days)
  return {
    access: { expiresAt, days, extendedAt: null, extendedBy: null },
    remindAt: remindAtFor(preset, expiresAt, now),
    reviewAt,
  }
}

/** When the next periodic review starts after `from` (the invite, or a keep); `null` without a review policy. */
export function nextReviewAt(preset: GroupPreset | null, from: Date): string | null {
  return preset?.review ? daysAfter(from, preset.review.everyDays) : null
}

/**
 * Starts a periodic review of `record` at `now`: waiting for the sponsor until `deadlineDays` (default 14) later.
 * Nothing happens (`false`) when the preset no longer has a review policy: the schedule just ends.
 */
export function startReview(record: InvitationRecord, preset: GroupPreset | null, now: Date): boolean {
  record.reviewAt = null
  if (!preset?.review) return false
  const review: InvitationReview = {
    startedAt: now.toISOString(),
    deadlineAt: daysAfter(now, preset.review.deadlineDays ?? DEFAULT_REVIEW_DEADLINE_DAYS),
    decision: null,
    defaulted: false,
    decidedBy: null,
    decidedAt: null,
    comment: null,
    nextReviewAt: null,
  }
  record.review = review
  record.updatedAt = now.toISOString()
  return true
}

/**
 * Decides the review waiting on `record`: `keep` schedules the next one (`review.everyDays` from now); `remove`
 * schedules none (the caller begins the removal, reason `reviewed`). `by: null` is the deadline's default.
 * Refused with `invitation_not_active` when the guest has no access, `approval_already_decided` when no review waits.
 */
export function decideReview(
  record: InvitationRecord,
  preset: GroupPreset | null,
  decision: { decision: 'keep' | 'remove'; by: PersonRef | null; comment: string | null; now: Date },
): void {
  if (!givesAccess(record.status)) {
    throw new ProblemError('invitation_not_active', {
      detail: `The invitation is ${record.status.replace('_', ' ')}: there is no access to review.`,
    })
  }
  const { review } = record
  if (review?.decision !== null) {
    throw new ProblemError('approval_already_decided', {
      detail: review
        ? `No review of this guest waits for a decision: the last one was decided (${review.decision}) on ${review.decidedAt}.`
        : 'No review of this guest waits for a decision: none has started yet.',
    })
  }
  const at = decision.now.toISOString()
  const next = decision.decision === 'keep' ? nextReviewAt(preset, decision.now) : null
  record.review = {
    ...review,
    decision: decision.decision,
    defaulted: decision.by === null,
    decidedBy: decision.by,
    decidedAt: at,
    comment: decision.comment,
    nextReviewAt: next,
  }
  record.reviewAt = next
  record.updatedAt = at
}

/**
 * Extends an invitation's access once: by `days` (at most the preset's `accessDays`, the default) from its current
 * expiry, and schedules a new reminder. Refused with `extension_not_allowed` when the access does not expire or was
 * extended already, `access_days_not_allowed` past the policy.
 */
export function extendAccess(
  record: InvitationRecord,
  preset: GroupPreset | null,
  options: { days: number | undefined; by: PersonRef; now: Date },
): void {
  const { access } = record
  if (!access) {
    throw new ProblemError('extension_not_allowed', {
      detail: 'This access does not expire, so there is nothing to extend.',
    })
  }
  if (access.extendedAt !== null) {
    throw new ProblemError('extension_not_allowed', {
      detail: `This access was extended once already (on ${access.extendedAt}); a new invitation is needed to go on.`,
    })
  }
  const allowed = preset?.accessDays ?? access.days
  const days = options.days ?? allowed
  if (days > allowed) {
    throw new ProblemError('access_days_not_allowed', {
      detail: `An extension adds at most ${allowed} days (asked: ${days}).`,
    })
  }
  const expiresAt = daysAfter(new Date(access.expiresAt), days)
  record.access = { ...access, expiresAt, extendedAt: options.now.toISOString(), extendedBy: options.by }
  record.remindAt = remindAtFor(preset, expiresAt, options.now)
}

/**
 * The steps that remove what an invitation granted: leave each of its groups, lose each of its app roles and
 * licences, then
 * what the preset's `onExpiry` adds (`block`: sign-in blocked; `delete`: the guest deleted, after the rest so a
 * restore brings no access back).
 *
 * @example
 * removalStepsFor(record, { onExpiry: 'block', … }).map((step) => step.name)
 * // ['removeFromGroup', 'removeAppRole', 'blockSignIn']
 */
export function removalStepsFor(
  record: Pick<InvitationRecord, 'groupIds' | 'appRoles' | 'licenses'>,
  preset: GroupPreset | null,
): RemovalStep[] {
  const pending = (name: RemovalStep['name'], target?: string): RemovalStep => ({
    name,
    ...(target === undefined ? {} : { target }),
    status: 'pending',
    attempts: 0,
  })
  const onExpiry = preset?.onExpiry ?? 'remove'
  return [
    ...record.groupIds.map((groupId) => pending('removeFromGroup', groupId)),
    ...record.appRoles.map((grant) => pending('removeAppRole', grant.appRoleId)),
    ...record.licenses.map((license) => pending('removeLicense', license.skuId)),
    ...(onExpiry === 'block' ? [pending('blockSignIn')] : []),
    ...(onExpiry === 'delete' ? [pending('deleteUser')] : []),
  ]
}

/** The preset an invitation was made with, as configured now (`null`: none, or no longer configured). */
export function presetOf(
  config: { presets: readonly GroupPreset[] },
  record: Pick<InvitationRecord, 'presetId'>,
): GroupPreset | null {
  return config.presets.find((preset) => preset.id === record.presetId) ?? null
}

/** A caller as the person recorded on a decision, an extension or a revocation. */
export function personOf(caller: Pick<Caller, 'tenantId' | 'objectId' | 'name'>): PersonRef {
  return { tenantId: caller.tenantId, objectId: caller.objectId, name: caller.name }
}

/** The approvers that are groups (object ids); the others are app role values. */
export function approverGroups(approvers: readonly string[]): string[] {
  return approvers.filter((approver) => GUID.test(approver)).map((id) => id.toLowerCase())
}

/**
 * Whether `caller` may decide on the request without asking Graph: `false` (with the reason) for the requester, an
 * app, or a caller of another tenant; `true` when they hold one of the approver app roles; `undefined` when only a
 * group membership could make them an approver.
 */
export function approverByToken(
  caller: Pick<Caller, 'tenantId' | 'objectId' | 'roles' | 'appOnly'>,
  record: Pick<InvitationRecord, 'invitedBy' | 'approval'>,
): { allowed: false; why: string } | { allowed: true } | undefined {
  const approvers = record.approval?.approvers ?? []
  if (caller.tenantId === record.invitedBy.tenantId && caller.objectId === record.invitedBy.objectId) {
    return { allowed: false, why: 'The person who asked for an invitation may not decide on it.' }
  }
  if (caller.appOnly) return { allowed: false, why: 'A person must decide: an app may not approve or deny.' }
  if (caller.tenantId !== record.invitedBy.tenantId) {
    return { allowed: false, why: "Only the approvers of the requester's organization may decide." }
  }
  if (approvers.some((approver) => !GUID.test(approver) && caller.roles.includes(approver))) {
    return { allowed: true }
  }
  return approverGroups(approvers).length > 0 ? undefined : notAnApprover(approvers)
}

/** The refusal for a caller who is not one of `approvers`. */
export function notAnApprover(approvers: readonly string[]): { allowed: false; why: string } {
  return {
    allowed: false,
    why: `Only the request's approvers may decide: holders of the app role or members of the group ${approvers.map((approver) => `'${approver}'`).join(', ')}.`,
  }
}
