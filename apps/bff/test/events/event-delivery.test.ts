import { randomUUID } from 'node:crypto'
import type { GuestEvent, InvitationStep } from '@entra-share/contracts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type EventDeliveryTiming,
  type EventDeliveryWorker,
  hookDeliverer,
  startEventDelivery,
} from '../../src/events/event-delivery.js'
import { createEventStore, type EventStore } from '../../src/events/event-store.js'
import { createWebhookDeliverer } from '../../src/events/webhook.js'
import { verifyWebhook, WebhookVerificationError } from '../../src/index.js'
import { createInvitationStore } from '../../src/invitations/invitation-store.js'
import type { InvitationRecord, InvitationStore } from '../../src/invitations/types.js'
import type { Database } from '../../src/platform/types.js'
import { makeGuest, makeInvitation } from '../invitations/fixtures.js'
import { createTestLocation, databaseKinds, type TestDatabaseLocation } from '../platform/databases.js'
import {
  eventually,
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from './webhook-receiver.js'

const invited: InvitationStep = { name: 'invite', status: 'succeeded', attempts: 1 }

/** Short waits for tests: the production defaults wait seconds to hours. */
const FAST: Partial<EventDeliveryTiming> = {
  pollIntervalMs: 20,
  retryBaseSeconds: 0.05,
  retryMaxSeconds: 1,
  leaseSeconds: 5,
  attemptTimeoutMs: 2000,
}

const quiet = { warn() {}, error() {} }

describe.each(databaseKinds)('event delivery on %s', (kind) => {
  let location: TestDatabaseLocation
  let db: Database
  let invitations: InvitationStore
  let events: EventStore
  let receiver: WebhookReceiver
  const workers: EventDeliveryWorker[] = []

  beforeAll(async () => {
    location = await createTestLocation(kind, 'events_delivery')
    db = await location.open()
    invitations = createInvitationStore(db)
    events = createEventStore(db)
  })
  afterAll(async () => {
    await location?.cleanup()
  })
  beforeEach(async () => {
    receiver = await startWebhookReceiver(TEST_WEBHOOK_SECRET)
    // Each test starts with nothing queued and the webhook registered, as an instance configured with it does.
    await db.query('DELETE FROM event_deliveries')
    await db.query('DELETE FROM event_destinations')
    await events.registerDestination('webhook')
  })
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop()
    await receiver.close()
    expect(receiver.rejected, 'requests whose signature did not verify').toEqual([])
  })

  async function startWebhookWorker(
    options: {
      timing?: Partial<EventDeliveryTiming>
      random?: () => number
      store?: EventStore
      /** Told of each attempt this worker makes. */
      onAttempt?: () => void
    } = {},
  ): Promise<EventDeliveryWorker> {
    const webhook = createWebhookDeliverer({ url: receiver.url, secret: TEST_WEBHOOK_SECRET })
    const worker = await startEventDelivery({
      store: options.store ?? events,
      destinations: {
        webhook: (event, signal) => {
          options.onAttempt?.()
          return webhook(event, signal)
        },
      },
      logger: quiet,
      timing: { ...FAST, ...options.timing },
      ...(options.random ? { random: options.random } : {}),
    })
    workers.push(worker)
    return worker
  }

  /** A completed invitation: `invitation.created`, then `invitation.completed`. */
  async function invite(store: InvitationStore = invitations): Promise<InvitationRecord> {
    const guest = makeGuest()
    const record = makeInvitation(guest, { status: 'completed', steps: [invited] })
    await store.createWithGuest(record, guest)
    return record
  }

  async function eventIdsOf(invitationId: string): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      'SELECT id FROM events WHERE invitation_id = $1 ORDER BY seq',
      [invitationId],
    )
    return rows.map((row) => row.id)
  }

  async function deliveryOf(eventId: string) {
    const [row] = await db.query<{ state: string; attempts: number; last_error: string | null }>(
      `SELECT state, attempts, last_error FROM event_deliveries WHERE event_id = $1 AND destination = 'webhook'`,
      [eventId],
    )
    return row
  }

  async function attemptsOf(eventId: string) {
    return db.query<{ outcome: string; status_code: number | null; error: string | null }>(
      'SELECT outcome, status_code, error FROM event_delivery_attempts WHERE event_id = $1 ORDER BY id',
      [eventId],
    )
  }

  const allDelivered = async () =>
    (await db.query(`SELECT 1 FROM event_deliveries WHERE state <> 'delivered'`)).length === 0

  it('posts each event signed per Standard Webhooks; the exported verifyWebhook accepts it and nothing else', async () => {
    await startWebhookWorker()
    const record = await invite()
    const ids = await eventIdsOf(record.id)
    await eventually(() => receiver.delivered().length === 2)

    expect(receiver.delivered().map((event) => event.id)).toEqual(ids)
    const [created] = receiver.received
    if (!created) throw new Error('nothing received')
    expect(created.event).toMatchObject({
      id: ids[0],
      type: 'invitation.created',
      data: { invitation: { id: record.id, invitedUserId: record.invitedUserId } },
    })
    expect(created.headers['webhook-id']).toBe(ids[0])
    expect(created.headers['content-type']).toBe('application/json')
    expect(Math.abs(Number(created.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30)
    expect(created.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(JSON.parse(created.body)).toEqual(created.event)

    // A receiver's checks: another secret, an edited body, an old timestamp are all refused.
    const otherSecret = `whsec_${Buffer.from('another key of thirty-two bytes!').toString('base64')}`
    expect(() => verifyWebhook(created.body, created.headers, otherSecret)).toThrow(WebhookVerificationError)
    expect(() =>
      verifyWebhook(
        created.body.replace('invitation.created', 'guest.accepted'),
        created.headers,
        TEST_WEBHOOK_SECRET,
      ),
    ).toThrow(WebhookVerificationError)
    expect(() =>
      verifyWebhook(
        created.body,
        { ...created.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) },
        TEST_WEBHOOK_SECRET,
      ),
    ).toThrow(WebhookVerificationError)
    // A fetch `Headers` object works as well as Node's headers.
    const headers = new Headers()
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
      headers.set(name, String(created.headers[name]))
    expect(verifyWebhook(created.body, headers, TEST_WEBHOOK_SECRET)).toEqual(created.event)

    await eventually(allDelivered)
    expect(await deliveryOf(ids[0] as string)).toMatchObject({ state: 'delivered', attempts: 1 })
    expect(await attemptsOf(ids[0] as string)).toEqual([
      { outcome: 'delivered', status_code: 204, error: null },
    ])
  })

  it('retries after a 500 with exponential backoff and jitter until a 2xx, logging each attempt', async () => {
    receiver.respond = (_event, attempt) => (attempt <= 2 ? 500 : 204)
    // Jitter drawn at its top: each wait is the whole backoff, 50 ms then 100 ms.
    await startWebhookWorker({ random: () => 0.9999 })
    const record = await invite()
    const [createdId] = await eventIdsOf(record.id)
    await eventually(allDelivered)

    const tries = receiver.received.filter((request) => request.event.id === createdId)
    expect(tries.map((request) => request.status)).toEqual([500, 500, 204])
    const [first, second, third] = tries.map((request) => request.receivedAt)
    expect((second as number) - (first as number)).toBeGreaterThanOrEqual(45)
    expect((third as number) - (second as number)).toBeGreaterThanOrEqual(95)
    expect(await attemptsOf(createdId as string)).toEqual([
      { outcome: 'failed', status_code: 500, error: 'The webhook answered HTTP 500.' },
      { outcome: 'failed', status_code: 500, error: 'The webhook answered HTTP 500.' },
      { outcome: 'delivered', status_code: 204, error: null },
    ])
    expect(await deliveryOf(createdId as string)).toMatchObject({
      state: 'delivered',
      attempts: 3,
      last_error: null,
    })
  })

  it("sends an invitation's events in order: a later one waits while an earlier one fails; other invitations go on", async () => {
    const slow = await invite()
    const [slowCreated, slowCompleted] = await eventIdsOf(slow.id)
    receiver.respond = (event, attempt) => (event.id === slowCreated && attempt <= 3 ? 503 : 204)
    // A guest who accepts: a third event for the slow invitation.
    await invitations.save({ ...slow, externalUserState: 'Accepted' })
    const [, , slowAccepted] = await eventIdsOf(slow.id)
    const fast = await invite()
    await startWebhookWorker({ timing: { retryBaseSeconds: 0.1 } })
    await eventually(allDelivered)

    const requests = receiver.received.map((request) => ({ id: request.event.id, status: request.status }))
    const firstSuccess = requests.findIndex((request) => request.id === slowCreated && request.status === 204)
    const firstLater = requests.findIndex(
      (request) => request.id === slowCompleted || request.id === slowAccepted,
    )
    expect(firstSuccess).toBeGreaterThanOrEqual(3)
    expect(firstLater, 'a later event was sent before the first was delivered').toBeGreaterThan(firstSuccess)
    const slowOrder = receiver
      .delivered()
      .map((event) => event.id)
      .filter((id) => [slowCreated, slowCompleted, slowAccepted].includes(id))
    expect(slowOrder).toEqual([slowCreated, slowCompleted, slowAccepted])
    // The other invitation was not held up by the failing one.
    const fastIds = await eventIdsOf(fast.id)
    const fastDone = requests.findIndex((request) => request.id === fastIds[1] && request.status === 204)
    expect(fastDone).toBeLessThan(firstSuccess)
  })

  it("gives a delivery up once the retry period has passed, and the invitation's later events go on", async () => {
    const record = await invite()
    const [createdId, completedId] = await eventIdsOf(record.id)
    receiver.respond = (event) => (event.id === createdId ? 500 : 204)
    await startWebhookWorker({ timing: { retryPeriodSeconds: 0.3 } })
    await eventually(async () => (await deliveryOf(completedId as string))?.state === 'delivered')

    const given = await deliveryOf(createdId as string)
    expect(given).toMatchObject({ state: 'expired', last_error: 'The webhook answered HTTP 500.' })
    expect(given?.attempts).toBeGreaterThanOrEqual(1)
    const lastCreatedTry = receiver.received.findLastIndex((request) => request.event.id === createdId)
    const completed = receiver.received.findIndex((request) => request.event.id === completedId)
    expect(completed).toBeGreaterThan(lastCreatedTry)
  })

  it('a worker stopped mid-delivery releases it; a new worker delivers it and everything after, nothing lost', async () => {
    const first = await invite()
    const [hangingId] = await eventIdsOf(first.id)
    let hung = false
    receiver.respond = (event) => {
      if (event.id !== hangingId || hung) return 204
      hung = true
      return new Promise<number>(() => undefined) // never answers
    }
    const worker = await startWebhookWorker({ timing: { attemptTimeoutMs: 4000 } })
    await eventually(() => hung)
    await worker.stop()
    workers.splice(workers.indexOf(worker), 1)

    expect(await attemptsOf(hangingId as string)).toEqual([
      { outcome: 'interrupted', status_code: null, error: 'The instance stopped during the attempt.' },
    ])
    expect(await deliveryOf(hangingId as string)).toMatchObject({ state: 'pending', attempts: 0 })
    // Written while no worker runs.
    const more = [await invite(), await invite()]

    await startWebhookWorker()
    await eventually(allDelivered)
    const expected = [first, ...more].map((record) => eventIdsOf(record.id))
    const ids = (await Promise.all(expected)).flat()
    expect(new Set(receiver.delivered().map((event) => event.id))).toEqual(new Set(ids))
  })

  it('a delivery claimed by an instance that died is taken over when its lease ends, and the late answer changes nothing', async () => {
    const record = await invite()
    const [createdId] = await eventIdsOf(record.id)
    const dead = randomUUID()
    const claimed = await events.claimDue({
      destination: 'webhook',
      owner: dead,
      now: new Date(),
      limit: 10,
      leaseSeconds: 1,
    })
    expect(claimed.map((each) => each.event.id)).toEqual([createdId])

    await startWebhookWorker()
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(receiver.received, 'sent while another instance held the lease').toEqual([])
    await eventually(allDelivered)
    expect(receiver.delivered().map((event) => event.id)).toEqual(await eventIdsOf(record.id))

    const late = await events.recordAttempt({
      eventId: createdId as string,
      destination: 'webhook',
      owner: dead,
      attemptedAt: new Date(),
      durationMs: 5,
      result: {
        outcome: 'failed',
        statusCode: 500,
        error: 'late',
        nextAttemptAt: new Date(),
        expire: false,
      },
    })
    expect(late).toBe(false)
    expect(await deliveryOf(createdId as string)).toMatchObject({ state: 'delivered', attempts: 1 })
  })

  it('awaits an in-process hook and retries the events it throws on', async () => {
    await db.query('DELETE FROM event_destinations')
    const calls: string[] = []
    const worker = await startEventDelivery({
      store: events,
      destinations: {
        hook: hookDeliverer(async (event: GuestEvent) => {
          calls.push(event.id)
          await new Promise((resolve) => setTimeout(resolve, 5))
          if (calls.filter((id) => id === event.id).length === 1) throw new Error('the host database is busy')
        }),
      },
      logger: quiet,
      timing: FAST,
    })
    workers.push(worker)
    const record = await invite()
    const ids = await eventIdsOf(record.id)
    await eventually(
      async () => (await db.query(`SELECT 1 FROM event_deliveries WHERE state = 'delivered'`)).length === 2,
    )

    expect(calls).toEqual([ids[0], ids[0], ids[1], ids[1]])
    const attempts = await db.query<{ outcome: string; error: string | null; status_code: number | null }>(
      `SELECT outcome, error, status_code FROM event_delivery_attempts WHERE event_id = $1 AND destination = 'hook' ORDER BY id`,
      [ids[0]],
    )
    expect(attempts).toEqual([
      { outcome: 'failed', error: 'the host database is busy', status_code: null },
      { outcome: 'delivered', error: null, status_code: null },
    ])
  })

  it.runIf(kind === 'postgres')(
    'two instances on one database never send an event at once, and together send each one once, in order',
    async () => {
      const other = await location.open()
      const otherEvents = createEventStore(other)
      const otherInvitations = createInvitationStore(other)
      receiver.respond = () =>
        new Promise((resolve) => setTimeout(() => resolve(204), Math.floor(Math.random() * 15)))
      const sent = { first: 0, second: 0 }
      await startWebhookWorker({
        timing: { batchSize: 4 },
        onAttempt: () => {
          sent.first += 1
        },
      })
      await startWebhookWorker({
        timing: { batchSize: 4 },
        store: otherEvents,
        onAttempt: () => {
          sent.second += 1
        },
      })
      const records: InvitationRecord[] = []
      for (let index = 0; index < 24; index += 1) {
        records.push(await invite(index % 2 === 0 ? invitations : otherInvitations))
      }
      await eventually(allDelivered, 30_000)

      expect(receiver.maxConcurrentPerId()).toBe(1)
      const counts = new Map<string, number>()
      for (const event of receiver.delivered()) counts.set(event.id, (counts.get(event.id) ?? 0) + 1)
      expect(counts.size).toBe(48)
      expect([...counts.values()].every((count) => count === 1)).toBe(true)
      const order = receiver.delivered().map((event) => event.id)
      for (const record of records) {
        const [created, completed] = await eventIdsOf(record.id)
        expect(order.indexOf(created as string)).toBeLessThan(order.indexOf(completed as string))
      }
      // Both instances took part: the claims really did run side by side.
      expect(sent.first).toBeGreaterThan(0)
      expect(sent.second).toBeGreaterThan(0)
    },
  )
})
