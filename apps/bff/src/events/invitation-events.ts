import { randomUUID } from 'node:crypto'
import { type EventActor, type GuestEventData, type GuestEventType, Invitation } from '@entra-share/contracts'
import { Value } from '@sinclair/typebox/value'
import { publicInvitation } from '../invitations/public-invitation.js'
import type { InvitationRecord } from '../invitations/types.js'

/**
 * Which events an invitation change implies. No database here: the invitation store asks, then writes the answer
 * in the change's own transaction.
 */

/** The status an invitation has announced: each status event says the invitation reached one of these. */
export type InvitationOutcome = 'completed' | 'partial' | 'failed'

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
} as const satisfies Record<InvitationOutcome, GuestEventType>

const SYSTEM: EventActor = { kind: 'system' }

/** `failed` when a step failed for good, else the record's status. */
export function outcomeOf(record: Pick<InvitationRecord, 'status' | 'steps'>): InvitationOutcome {
  if (record.steps.some((step) => step.status === 'failed')) return 'failed'
  return record.status
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
  const outcome = outcomeOf(record)
  const tried = record.steps.some(
    (step) => step.status !== 'succeeded' && (step.attempts > 0 || step.code !== undefined),
  )
  const announcedOutcome = outcome === 'partial' && !tried ? null : outcome
  const { tenantId, objectId, name } = record.invitedBy
  const events = [eventOf(record, 'invitation.created', { kind: 'inviter', tenantId, objectId, name })]
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
  const outcome = outcomeOf(record)
  const changed = outcome !== previous.announcedOutcome
  const events: NewGuestEvent[] = changed ? [statusEvent(record, outcome)] : []
  if (record.externalUserState === 'Accepted' && previous.externalUserState !== 'Accepted') {
    events.push(acceptedEvent(record))
  }
  return { events, announcedOutcome: changed ? outcome : null }
}

function statusEvent(record: InvitationRecord, outcome: InvitationOutcome): NewGuestEvent {
  const event = eventOf(record, STATUS_EVENT[outcome], SYSTEM)
  if (outcome === 'partial') {
    event.data.pendingSteps = record.steps.filter((step) => step.status === 'pending')
  }
  if (outcome === 'failed') {
    event.data.failedSteps = record.steps.filter((step) => step.status === 'failed')
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
