import { randomUUID } from 'node:crypto'
import { type EventActor, type GuestEventData, type GuestEventType, Invitation } from '@entra-share/contracts'
import { Value } from '@sinclair/typebox/value'
import { givesAccess } from '../invitations/governance-policy.js'
import { publicInvitation } from '../invitations/public-invitation.js'
import type { InvitationRecord } from '../invitations/types.js'

/**
 * Which events an invitation change implies. No database here: the invitation store asks, then writes the answer
 * in the change's own transaction.
 */

/** The status an invitation has announced: each status event says the invitation reached one of these. */
export type InvitationOutcome = 'completed' | 'partial' | 'failed' | 'removing' | 'removed'

/** An event about to be written. */
export interface NewGuestEvent {
  id: string
  type: GuestEventType
  invitationId: string
  /** The tenant the guest was invited into. */
  tenantId: string
  data: GuestEventData
}

/** What the store read of the invitation, under its row lock, before a save. */
export interface PreviousInvitationState {
  externalUserState: InvitationRecord['externalUserState']
  /** The last status announced; `null` while the creating request still runs the follow-ups. */
  announcedOutcome: InvitationOutcome | null
  /** The status before the save. @default 'completed' (an invitation that gives access) */
  status?: InvitationRecord['status']
  /** When the sponsor was to be reminded; `null` once reminded. @default null */
  remindAt?: string | null
  /** The access term before the save (an extension sets `extendedAt`). @default null */
  access?: InvitationRecord['access']
  /** The latest periodic review before the save. @default null */
  review?: InvitationRecord['review']
}

/** The events to write and the status they newly announce (`null`: none). */
export interface ImpliedEvents {
  events: NewGuestEvent[]
  announcedOutcome: InvitationOutcome | null
}

const STATUS_EVENT = {
  completed: 'invitation.completed',
  partial: 'invitation.partial',
  failed: 'invitation.failed',
  removing: 'invitation.removing',
  removed: 'invitation.removed',
} as const satisfies Record<InvitationOutcome, GuestEventType>

const SYSTEM: EventActor = { kind: 'system' }

/**
 * What a status event would announce: `failed` when a step failed for good, else the record's status; `null` for a
 * request (pending approval, denied), whose events are its decisions.
 */
export function outcomeOf(
  record: Pick<InvitationRecord, 'status' | 'steps' | 'removal'>,
): InvitationOutcome | null {
  if (record.status === 'pending_approval' || record.status === 'denied') return null
  if (record.status === 'removing' || record.status === 'removed') return record.status
  if (record.steps.some((step) => step.status === 'failed')) return 'failed'
  return record.status
}

/** Whether the record's pending steps (follow-ups, or removal steps while removing) were all never tried yet. */
function inFlight(record: InvitationRecord): boolean {
  const steps = record.status === 'removing' ? (record.removal?.steps ?? []) : record.steps
  return !steps.some((step) => step.status !== 'succeeded' && (step.attempts > 0 || step.code !== undefined))
}

/**
 * The events of a new invitation: `invitation.created`, then its status when it already has one to announce, then
 * `guest.accepted` when the guest had accepted already. A `partial` record whose pending steps were never tried is
 * in flight (its creator runs them next and saves it): its status waits for that save.
 *
 * @example
 * eventsOfNewInvitation(record).events.map((event) => event.type) // ['invitation.created', 'invitation.completed']
 */
export function eventsOfNewInvitation(record: InvitationRecord): ImpliedEvents {
  const { tenantId, objectId, name } = record.invitedBy
  const inviter: EventActor = { kind: 'inviter', tenantId, objectId, name }
  if (record.status === 'pending_approval') {
    return { events: [eventOf(record, 'invitation.approval_requested', inviter)], announcedOutcome: null }
  }
  const outcome = outcomeOf(record)
  const announcedOutcome = outcome === 'partial' && inFlight(record) ? null : outcome
  const events = [eventOf(record, 'invitation.created', inviter)]
  if (announcedOutcome !== null) events.push(statusEvent(record, announcedOutcome))
  if (record.externalUserState === 'Accepted') events.push(acceptedEvent(record))
  return { events, announcedOutcome }
}

/**
 * The events of a save: the record's status when it differs from the last one announced, then `guest.accepted`
 * when the guest's state became `Accepted`.
 *
 * @example
 * eventsOfSavedInvitation(record, { externalUserState: 'PendingAcceptance', announcedOutcome: 'partial' })
 */
export function eventsOfSavedInvitation(
  record: InvitationRecord,
  previous: PreviousInvitationState,
): ImpliedEvents {
  const previousStatus = previous.status ?? 'completed'
  if (previousStatus === 'pending_approval' && record.status !== 'pending_approval') {
    return eventsOfDecision(record)
  }
  const events: NewGuestEvent[] = []
  // The reminder's claim clears remindAt; a removal clears it too, but a removal is no reminder.
  if ((previous.remindAt ?? null) !== null && record.remindAt === null && givesAccess(record.status)) {
    events.push(eventOf(record, 'invitation.expiring', SYSTEM))
  }
  if (!previous.access?.extendedAt && record.access?.extendedAt) {
    events.push(eventOf(record, 'invitation.extended', personActor(record.access.extendedBy, record)))
  }
  const before = previous.review ?? null
  const review = record.review
  // A review starts (a new one, waiting for the sponsor), or is decided: by a person, or by its deadline.
  if (review?.decision === null && before?.startedAt !== review.startedAt) {
    events.push(eventOf(record, 'invitation.review_requested', SYSTEM))
  }
  if (
    review &&
    review.decision !== null &&
    before?.startedAt === review.startedAt &&
    before.decision === null
  ) {
    events.push(eventOf(record, 'invitation.reviewed', personActor(review.decidedBy, record)))
  }
  const outcome = outcomeOf(record)
  // A removal whose steps were never tried is in flight: the run that follows announces it.
  const announce =
    outcome !== null && outcome !== previous.announcedOutcome && !(outcome === 'removing' && inFlight(record))
  if (announce) events.push(statusEvent(record, outcome))
  if (
    record.externalUserState === 'Accepted' &&
    previous.externalUserState !== 'Accepted' &&
    givesAccess(record.status)
  ) {
    events.push(acceptedEvent(record))
  }
  return { events, announcedOutcome: announce ? outcome : null }
}

/**
 * The events of a decided request: `invitation.denied` (by an approver, or by the deadline), or
 * `invitation.approved` followed by what a new invitation announces (`invitation.created`…).
 */
function eventsOfDecision(record: InvitationRecord): ImpliedEvents {
  const decidedBy = record.approval?.decidedBy ?? null
  const approver: EventActor = decidedBy ? { kind: 'approver', ...decidedBy } : SYSTEM
  if (record.status === 'denied') {
    return { events: [eventOf(record, 'invitation.denied', approver)], announcedOutcome: null }
  }
  const invited = eventsOfNewInvitation(record)
  return {
    events: [eventOf(record, 'invitation.approved', approver), ...invited.events],
    announcedOutcome: invited.announcedOutcome,
  }
}

/** A person acting on the invitation: its sponsor (the inviter) or, acting on someone else's, an administrator. */
function personActor(person: InvitationRecord['invitedBy'] | null, record: InvitationRecord): EventActor {
  if (!person) return SYSTEM
  const sponsor =
    person.tenantId === record.invitedBy.tenantId && person.objectId === record.invitedBy.objectId
  return { kind: sponsor ? 'sponsor' : 'admin', ...person }
}

function statusEvent(record: InvitationRecord, outcome: InvitationOutcome): NewGuestEvent {
  const removal = outcome === 'removing' || outcome === 'removed'
  const event = eventOf(
    record,
    STATUS_EVENT[outcome],
    removal ? personActor(record.removal?.requestedBy ?? null, record) : SYSTEM,
  )
  if (outcome === 'partial') {
    event.data.pendingSteps = record.steps.filter((step) => step.status === 'pending')
  }
  if (outcome === 'failed') {
    event.data.failedSteps = record.steps.filter((step) => step.status === 'failed')
  }
  if (outcome === 'removing') {
    event.data.pendingRemovalSteps = (record.removal?.steps ?? []).filter(
      (step) => step.status !== 'succeeded',
    )
  }
  return event
}

function acceptedEvent(record: InvitationRecord): NewGuestEvent {
  return eventOf(record, 'guest.accepted', { kind: 'guest', objectId: record.invitedUserId })
}

function eventOf(record: InvitationRecord, type: GuestEventType, actor: EventActor): NewGuestEvent {
  return {
    id: randomUUID(),
    type,
    invitationId: record.id,
    tenantId: record.invitedBy.tenantId,
    data: {
      // A copy holding only what the API shows: the caller goes on changing the record after it is saved.
      invitation: Value.Clean(Invitation, structuredClone(publicInvitation(record))) as Invitation,
      actor,
    },
  }
}
