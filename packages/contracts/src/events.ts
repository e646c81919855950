import { type Static, Type } from '@sinclair/typebox'
import { constraints } from './constraints.js'
import { Invitation, InvitationStep, RemovalStep } from './schemas.js'

/**
 * Events: how the host app hears of every guest. The BFF writes them with the invitation change they announce and
 * delivers each at least once, in order per invitation, to a Standard Webhooks endpoint and to the `onGuest` hook of
 * a host that mounts it; `GET /api/events` lists them with their delivery attempts (administrators).
 */

/** Every event type, in the order an invitation usually meets them. */
export const guestEventTypes = [
  'invitation.approval_requested',
  'invitation.approved',
  'invitation.denied',
  'invitation.created',
  'invitation.completed',
  'invitation.partial',
  'invitation.failed',
  'guest.accepted',
  'invitation.expiring',
  'invitation.extended',
  'invitation.review_requested',
  'invitation.reviewed',
  'invitation.removing',
  'invitation.removed',
] as const

/**
 * - `invitation.approval_requested`: an invitation waits for an approver (`data.invitation.approval` names the
 *   approvers and the reason); nothing was sent to Graph.
 * - `invitation.approved`: an approver approved it (the actor; `approval.comment`); `invitation.created` follows.
 * - `invitation.denied`: an approver denied it (the actor), or nobody decided in time (`approval.decision`
 *   `expired`, the actor the BFF).
 * - `invitation.created`: Graph invited the guest and the BFF recorded it (its follow-up steps may still run).
 * - `invitation.completed`: every step succeeded.
 * - `invitation.partial`: a follow-up step failed and is retried (`pendingSteps` say which and why).
 * - `invitation.failed`: a step failed for good (`failedSteps`).
 * - `guest.accepted`: the guest redeemed the invitation (or had already, for a re-invited guest).
 * - `invitation.expiring`: the access ends soon (`data.invitation.access.expiresAt`): remind the sponsor.
 * - `invitation.extended`: the sponsor extended the access (once).
 * - `invitation.review_requested`: a periodic review asks the sponsor to keep or remove the guest by
 *   `data.invitation.review.deadlineAt`.
 * - `invitation.reviewed`: the sponsor decided, or the deadline passed and the preset's default applied
 *   (`review.defaulted`); a removal follows `remove`.
 * - `invitation.removing`: removing the access (expiry or revocation) is under way and a step is retried
 *   (`pendingRemovalSteps`).
 * - `invitation.removed`: every removal step succeeded (`data.invitation.removal` says why and by whom).
 */
export const GuestEventType = Type.Union(
  guestEventTypes.map((type) => Type.Literal(type)),
  { description: 'What happened.' },
)
export type GuestEventType = (typeof guestEventTypes)[number]

/**
 * Who made it happen: the inviter (asking, inviting), an approver (deciding), the sponsor or an administrator
 * (extending, revoking), the guest (accepting), or the BFF itself (follow-up steps, retries, scheduled expiry).
 */
export const EventActor = Type.Union([
  Type.Object({
    kind: Type.Union([
      Type.Literal('inviter'),
      Type.Literal('approver'),
      Type.Literal('sponsor'),
      Type.Literal('admin'),
    ]),
    tenantId: Type.String(),
    objectId: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  Type.Object({ kind: Type.Literal('guest'), objectId: Type.String() }),
  Type.Object({ kind: Type.Literal('system') }),
])
export type EventActor = Static<typeof EventActor>

/** What an event carries: the invitation as the API shows it at that moment, and who acted. */
export const GuestEventData = Type.Object({
  invitation: Invitation,
  actor: EventActor,
  /** `invitation.partial`: the steps still pending, each with the catalogued `code` and `detail` of its last failure. */
  pendingSteps: Type.Optional(Type.Array(InvitationStep)),
  /** `invitation.failed`: the steps that failed for good, with their `code` and `detail`. */
  failedSteps: Type.Optional(Type.Array(InvitationStep)),
  /** `invitation.removing`: the removal steps still pending, each with the `code` and `detail` of its last failure. */
  pendingRemovalSteps: Type.Optional(Type.Array(RemovalStep)),
})
export type GuestEventData = Static<typeof GuestEventData>

/**
 * One event, as the webhook's JSON body (Standard Webhooks' `type`, `timestamp`, `data`, plus `id`, equal to the
 * `webhook-id` header) and as the `onGuest` hook receives it. Delivery is at least once: deduplicate on `id`.
 */
export const GuestEvent = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: GuestEventType,
  /** When it happened (written). */
  timestamp: Type.String({ format: 'date-time' }),
  data: GuestEventData,
})
export type GuestEvent = Static<typeof GuestEvent>

/** Where events go: a Standard Webhooks endpoint, or the in-process hook of the host that mounts the BFF. */
export const EventDestination = Type.Union([Type.Literal('webhook'), Type.Literal('hook')])
export type EventDestination = Static<typeof EventDestination>

/** Where an event stands with one destination. */
export const EventDelivery = Type.Object({
  destination: EventDestination,
  /** `expired`: still failing when the retry period (`ENTRA_SHARE_EVENT_RETRY_HOURS`) ran out; given up. */
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('expired')]),
  attempts: Type.Integer({ minimum: 0 }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** When a `pending` delivery is tried next. */
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
})
export type EventDelivery = Static<typeof EventDelivery>

/** One delivery attempt, for the audit trail. */
export const EventDeliveryAttempt = Type.Object({
  destination: EventDestination,
  attemptedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer({ minimum: 0 }),
  /** `interrupted`: the instance stopped during the attempt, which is made again. */
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('interrupted')]),
  /** The webhook's HTTP status; `null` for the hook and when no answer came. */
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
})
export type EventDeliveryAttempt = Static<typeof EventDeliveryAttempt>

/** An event in `GET /api/events`: the event, its place in the log, and how its deliveries went. */
export const EventLogEntry = Type.Object({
  ...GuestEvent.properties,
  /** The event's position in the log: later events have larger numbers. */
  seq: Type.Integer({ minimum: 1 }),
  deliveries: Type.Array(EventDelivery),
  /** The latest attempts of each destination (at most 20 each), oldest first. */
  attempts: Type.Array(EventDeliveryAttempt),
})
export type EventLogEntry = Static<typeof EventLogEntry>

/** `GET /api/events` answer: newest first. */
export const EventPage = Type.Object({
  items: Type.Array(EventLogEntry),
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor: Type.Optional(Type.String()),
})
export type EventPage = Static<typeof EventPage>

/** `GET /api/events` query. */
export const EventListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: constraints.pageSizeMax })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
)
export type EventListQuery = Static<typeof EventListQuery>
