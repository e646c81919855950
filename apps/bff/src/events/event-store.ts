import type {
  EventDelivery,
  EventDeliveryAttempt,
  EventDestination,
  EventLogEntry,
  GuestEvent,
} from '@entra-share/contracts'
import { toIsoString, toIsoStringOrNull } from '../platform/timestamps.js'
import type { Database, Queryable } from '../platform/types.js'
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js'
import type { ImpliedEvents } from './invitation-events.js'

/** The events one invitation change implies, for {@link appendEvents}. */
export interface InvitationEvents extends ImpliedEvents {
  invitationId: string
}

/** How many latest attempts per destination `GET /api/events` shows for each event. */
export const ATTEMPTS_SHOWN = 20

/**
 * Writes events on `tx`, the transaction of the invitation change they announce (the transactional outbox): one
 * delivery row per registered destination, due at once, and the status each invitation now has announced.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await tx.query('UPDATE invitations …')
 *   await appendEvents(tx, [{ invitationId: record.id, ...eventsOfSavedInvitation(record, previous) }])
 * })
 */
export async function appendEvents(tx: Queryable, changes: readonly InvitationEvents[]): Promise<void> {
  const events = changes.flatMap((change) => change.events)
  const announced = changes.filter((change) => change.announcedOutcome !== null)
  if (events.length === 0 && announced.length === 0) return
  const params: unknown[] = []
  const placeholders = (values: unknown[], casts: readonly string[]) =>
    `(${values.map((value, index) => `$${params.push(value)}${casts[index] ?? ''}`).join(', ')})`
  const rows = events.map((event) =>
    placeholders(
      [
        event.id,
        event.type,
        event.invitationId,
        event.tenantId,
        JSON.stringify(event.data.actor),
        JSON.stringify(event.data),
      ],
      ['::uuid', '', '', '', '::jsonb', '::jsonb'],
    ),
  )
  const outcomes = announced.map((change) =>
    placeholders([change.invitationId, change.announcedOutcome], ['::text', '::text']),
  )
  // Rows of a VALUES list take their `seq` in list order: an invitation's events keep the order they were given in.
  const insertEvents =
    rows.length === 0
      ? ''
      : `inserted AS (
           INSERT INTO events (id, type, invitation_id, tenant_id, actor, data) VALUES ${rows.join(', ')}
           RETURNING id, created_at
         ), deliveries AS (
           INSERT INTO event_deliveries (event_id, destination, next_attempt_at)
           SELECT inserted.id, destination.destination, inserted.created_at
           FROM inserted CROSS JOIN event_destinations AS destination
         )`
  const announce =
    outcomes.length === 0
      ? 'SELECT 1'
      : `UPDATE invitations SET announced_outcome = announced.outcome
         FROM (VALUES ${outcomes.join(', ')}) AS announced (id, outcome)
         WHERE invitations.id = announced.id`
  await tx.query(insertEvents === '' ? announce : `WITH ${insertEvents} ${announce}`, params)
}

/** A delivery claimed by {@link EventStore.claimDue}: the event and its delivery's state. */
export interface ClaimedDelivery {
  event: GuestEvent
  seq: number
  /** Attempts made before this one. */
  attempts: number
}

/** How one attempt ended, for {@link EventStore.recordAttempt}. */
export type AttemptResult =
  | { outcome: 'delivered'; statusCode: number | null }
  /** `nextAttemptAt`: when to try again; `expire`: give up (the retry period ran out). */
  | {
      outcome: 'failed'
      statusCode: number | null
      error: string
      nextAttemptAt: Date
      expire: boolean
    }
  /** The instance stopped during the attempt: the delivery is released, due at once, the attempt not counted. */
  | { outcome: 'interrupted'; error: string }

export interface EventStore {
  /** From now on, every event written gets a delivery to `destination` (idempotent; never removed by itself). */
  registerDestination(destination: EventDestination): Promise<void>
  /**
   * Claims up to `limit` due deliveries to `destination` (`FOR UPDATE SKIP LOCKED`), leased to `owner` for
   * `leaseSeconds`: the oldest first, and only the first undelivered event of each invitation, so an invitation's
   * events go out one at a time, in order.
   */
  claimDue(options: {
    destination: EventDestination
    owner: string
    now: Date
    limit: number
    leaseSeconds: number
  }): Promise<ClaimedDelivery[]>
  /**
   * Logs an attempt and, when `owner` still holds the lease, moves the delivery on. Returns `false` when the lease
   * was taken over meanwhile (the attempt is logged; the delivery is left to its new owner).
   */
  recordAttempt(options: {
    eventId: string
    destination: EventDestination
    owner: string
    attemptedAt: Date
    durationMs: number
    result: AttemptResult
  }): Promise<boolean>
  /** A tenant's events, newest first, keyset-paginated by `seq`, each with its deliveries and latest attempts. */
  list(options: {
    tenantId: string
    limit: number
    cursor?: string
  }): Promise<{ items: EventLogEntry[]; nextCursor?: string }>
}

interface EventRow {
  id: string
  seq: string
  type: GuestEvent['type']
  created_at: unknown
  data: GuestEvent['data'] | string
}

interface DeliveryRow {
  event_id: string
  destination: EventDestination
  state: EventDelivery['state']
  attempts: number
  delivered_at: unknown
  next_attempt_at: unknown
  last_error: string | null
}

interface AttemptRow {
  event_id: string
  destination: EventDestination
  attempted_at: unknown
  duration_ms: number
  outcome: EventDeliveryAttempt['outcome']
  status_code: number | null
  error: string | null
}

/**
 * The events' side of the database: destinations, the delivery queue and the admins' log. Writing events belongs to
 * the invitation store ({@link appendEvents}), in the transaction of the change.
 *
 * @example
 * const events = createEventStore(db)
 * await events.registerDestination('webhook')
 * for (const { event } of await events.claimDue({ destination: 'webhook', owner, now: new Date(), limit: 20,
 *   leaseSeconds: 60 })) { … }
 */
export function createEventStore(db: Database): EventStore {
  return {
    async registerDestination(destination) {
      await db.query(
        'INSERT INTO event_destinations (destination) VALUES ($1) ON CONFLICT (destination) DO NOTHING',
        [destination],
      )
    },

    async claimDue({ destination, owner, now, limit, leaseSeconds }) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`claimDue: limit must be a positive integer, got ${limit}.`)
      }
      if (!(leaseSeconds > 0)) {
        throw new RangeError(`claimDue: leaseSeconds must be positive, got ${leaseSeconds}.`)
      }
      // SKIP LOCKED lets instances claim side by side; a row another instance has just leased is re-checked on its
      // newest version (lease_until in the future) and passed over, so no delivery runs twice at once.
      const rows = await db.transaction((tx) =>
        tx.query<EventRow & { attempts: number }>(
          `WITH due AS (
             SELECT delivery.event_id
             FROM event_deliveries AS delivery
             JOIN events AS evt ON evt.id = delivery.event_id
             WHERE delivery.destination = $1 AND delivery.state = 'pending'
               AND delivery.next_attempt_at <= $2::timestamptz
               AND (delivery.lease_until IS NULL OR delivery.lease_until <= $2::timestamptz)
               AND NOT EXISTS (
                 SELECT 1 FROM event_deliveries AS earlier_delivery
                 JOIN events AS earlier ON earlier.id = earlier_delivery.event_id
                 WHERE earlier.invitation_id = evt.invitation_id AND earlier.seq < evt.seq
                   AND earlier_delivery.destination = delivery.destination AND earlier_delivery.state = 'pending'
               )
             ORDER BY evt.seq
             LIMIT $3
             FOR UPDATE OF delivery SKIP LOCKED
           )
           UPDATE event_deliveries AS delivery
           SET lease_owner = $4::uuid, lease_until = $2::timestamptz + make_interval(secs => $5)
           FROM due JOIN events AS evt ON evt.id = due.event_id
           WHERE delivery.event_id = due.event_id AND delivery.destination = $1
           RETURNING evt.id, evt.seq::text AS seq, evt.type, evt.created_at, evt.data, delivery.attempts`,
          [destination, now.toISOString(), limit, owner, leaseSeconds],
        ),
      )
      return rows
        .map((row) => ({ event: toEvent(row), seq: Number(row.seq), attempts: row.attempts }))
        .sort((a, b) => a.seq - b.seq)
    },

    async recordAttempt({ eventId, destination, owner, attemptedAt, durationMs, result }) {
      const failed = result.outcome === 'failed' ? result : undefined
      // One statement for every outcome, each parameter typed where it is used (PostgreSQL must infer them all).
      const [row] = await db.query<{ applied: number | string }>(
        `WITH moved AS (
           UPDATE event_deliveries SET
             state = CASE $5::text
               WHEN 'delivered' THEN 'delivered'
               WHEN 'failed' THEN CASE WHEN $8::boolean THEN 'expired' ELSE 'pending' END
               ELSE state END,
             delivered_at = CASE WHEN $5::text = 'delivered' THEN $6::timestamptz ELSE delivered_at END,
             attempts = attempts + CASE WHEN $5::text = 'interrupted' THEN 0 ELSE 1 END,
             next_attempt_at = COALESCE($9::timestamptz, next_attempt_at),
             last_error = $7::text,
             lease_owner = NULL, lease_until = NULL
           WHERE event_id = $1::uuid AND destination = $2::text AND lease_owner = $3::uuid
           RETURNING 1
         )
         INSERT INTO event_delivery_attempts
           (event_id, destination, attempted_at, duration_ms, outcome, status_code, error)
         VALUES ($1::uuid, $2::text, $4::timestamptz, $10::integer, $5::text, $11::integer, $7::text)
         RETURNING (SELECT count(*) FROM moved) AS applied`,
        [
          eventId,
          destination,
          owner,
          attemptedAt.toISOString(),
          result.outcome,
          new Date(attemptedAt.getTime() + durationMs).toISOString(),
          result.outcome === 'delivered' ? null : result.error,
          failed?.expire ?? false,
          failed?.nextAttemptAt.toISOString() ?? null,
          Math.max(0, Math.round(durationMs)),
          result.outcome === 'interrupted' ? null : result.statusCode,
        ],
      )
      return Number(row?.applied ?? 0) > 0
    },

    async list({ tenantId, limit, cursor }) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`list: limit must be a positive integer, got ${limit}.`)
      }
      const params: unknown[] = [tenantId]
      let before = ''
      if (cursor !== undefined) {
        params.push(decodeEventCursor(cursor, tenantId).seq)
        before = `AND seq < $${params.length}::bigint`
      }
      // One row more than asked tells whether another page exists without a count.
      params.push(limit + 1)
      const rows = await db.query<EventRow>(
        // Ordered by the column, not by the text alias of the same name (which would sort '9' after '10').
        `SELECT id, seq::text AS seq, type, created_at, data FROM events
         WHERE tenant_id = $1 ${before}
         ORDER BY events.seq DESC LIMIT $${params.length}`,
        params,
      )
      const page = rows.slice(0, limit)
      const ids = page.map((row) => row.id)
      const [deliveries, attempts] =
        ids.length === 0
          ? [[], []]
          : await Promise.all([
              db.query<DeliveryRow>(
                `SELECT event_id, destination, state, attempts, delivered_at, next_attempt_at, last_error
                 FROM event_deliveries WHERE event_id = ANY($1::uuid[]) ORDER BY destination`,
                [ids],
              ),
              db.query<AttemptRow>(
                `SELECT event_id, destination, attempted_at, duration_ms, outcome, status_code, error FROM (
                   SELECT attempt.*, row_number() OVER (PARTITION BY event_id, destination ORDER BY id DESC) AS latest
                   FROM event_delivery_attempts AS attempt WHERE event_id = ANY($1::uuid[])
                 ) AS ranked
                 WHERE latest <= ${ATTEMPTS_SHOWN}
                 ORDER BY id`,
                [ids],
              ),
            ])
      const last = page.at(-1)
      return {
        items: page.map((row) => ({
          ...toEvent(row),
          seq: Number(row.seq),
          deliveries: deliveries.filter((delivery) => delivery.event_id === row.id).map(toDelivery),
          attempts: attempts.filter((attempt) => attempt.event_id === row.id).map(toAttempt),
        })),
        ...(rows.length > limit && last
          ? { nextCursor: encodeEventCursor({ seq: last.seq, tenantId }) }
          : {}),
      }
    },
  }
}

function toEvent(row: EventRow): GuestEvent {
  return {
    id: row.id,
    type: row.type,
    timestamp: toIsoString(row.created_at),
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as GuestEvent['data']) : row.data,
  }
}

function toDelivery(row: DeliveryRow): EventDelivery {
  return {
    destination: row.destination,
    state: row.state,
    attempts: row.attempts,
    deliveredAt: toIsoStringOrNull(row.delivered_at),
    nextAttemptAt: row.state === 'pending' ? toIsoStringOrNull(row.next_attempt_at) : null,
    lastError: row.last_error,
  }
}

function toAttempt(row: AttemptRow): EventDeliveryAttempt {
  return {
    destination: row.destination,
    attemptedAt: toIsoString(row.attempted_at),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    statusCode: row.status_code,
    error: row.error,
  }
}
