import type { GuestEvent, InvitationStep } from '@entra-share/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEventStore } from '../../src/events/event-store.js'
import { createInvitationStore, insertInvitationsWithGuests } from '../../src/invitations/invitation-store.js'
import type { InvitationRecord, InvitationStore } from '../../src/invitations/types.js'
import type { Database } from '../../src/platform/types.js'
import { makeGuest, makeInvitation } from '../invitations/fixtures.js'
import { createTestLocation, databaseKinds, type TestDatabaseLocation } from '../platform/databases.js'

const GROUP = '00000000-0000-4000-8000-0000000b0001'
const invited: InvitationStep = { name: 'invite', status: 'succeeded', attempts: 1 }
const groupPending: InvitationStep = { name: 'addToGroup', target: GROUP, status: 'pending', attempts: 0 }
const groupFailed: InvitationStep = {
  name: 'addToGroup',
  target: GROUP,
  status: 'pending',
  attempts: 1,
  code: 'follow_up_forbidden',
  detail: "The app may not add guests to group '…': make it an owner of the group.",
}

interface StoredEvent extends GuestEvent {
  invitationId: string
  tenantId: string
  actor: unknown
}

describe.each(databaseKinds)('events written with the invitation on %s', (kind) => {
  let location: TestDatabaseLocation
  let db: Database
  let store: InvitationStore

  beforeAll(async () => {
    location = await createTestLocation(kind, 'events_written')
    db = await location.open()
    store = createInvitationStore(db)
  })
  afterAll(async () => {
    await location?.cleanup()
  })

  /** The invitation's events, in order. */
  async function eventsOf(invitationId: string): Promise<StoredEvent[]> {
    const rows = await db.query<{
      id: string
      type: GuestEvent['type']
      created_at: Date
      data: GuestEvent['data']
      invitation_id: string
      tenant_id: string
      actor: unknown
    }>('SELECT * FROM events WHERE invitation_id = $1 ORDER BY seq', [invitationId])
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      timestamp: new Date(row.created_at).toISOString(),
      data: row.data,
      invitationId: row.invitation_id,
      tenantId: row.tenant_id,
      actor: row.actor,
    }))
  }
  const typesOf = async (id: string) => (await eventsOf(id)).map((event) => event.type)

  /** A new invitation whose follow-up (a group) has not run yet, as the saga records it before running it. */
  async function inFlight(overrides: Partial<InvitationRecord> = {}): Promise<InvitationRecord> {
    const guest = makeGuest()
    const record = makeInvitation(guest, {
      status: 'partial',
      steps: [invited, { ...groupPending }],
      nextRetryAt: '2031-01-01T00:00:00.000Z',
      ...overrides,
    })
    await store.createWithGuest(record, guest)
    return record
  }

  it('a recorded invitation with nothing to follow is created, then completed, with the public invitation', async () => {
    const guest = makeGuest()
    const record = makeInvitation(guest, { status: 'completed', steps: [invited] })
    await store.createWithGuest(record, guest)

    const events = await eventsOf(record.id)
    expect(events.map((event) => event.type)).toEqual(['invitation.created', 'invitation.completed'])
    const [created, completed] = events
    expect(created?.data.actor).toEqual({
      kind: 'inviter',
      tenantId: record.invitedBy.tenantId,
      objectId: record.invitedBy.objectId,
      name: record.invitedBy.name,
    })
    expect(created?.actor).toEqual(created?.data.actor)
    expect(completed?.data.actor).toEqual({ kind: 'system' })
    expect(created?.tenantId).toBe(record.invitedBy.tenantId)
    // What the API shows, not what only the retrier needs.
    expect(created?.data.invitation).toMatchObject({ id: record.id, invitedUserId: guest.objectId })
    for (const hidden of ['message', 'attributes', 'groupIds', 'retryAttempts', 'licenses', 'appRoles']) {
      expect(created?.data.invitation).not.toHaveProperty(hidden)
    }
    expect(new Set(events.map((event) => event.id)).size).toBe(2)
  })

  it('an in-flight invitation announces its status with the save after its follow-ups, once', async () => {
    const record = await inFlight()
    expect(await typesOf(record.id)).toEqual(['invitation.created'])

    // The follow-up failed: partial, with the pending step and why.
    const partial = { ...record, steps: [invited, { ...groupFailed }] }
    await store.save(partial)
    const afterPartial = await eventsOf(record.id)
    expect(afterPartial.map((event) => event.type)).toEqual(['invitation.created', 'invitation.partial'])
    expect(afterPartial[1]?.data.pendingSteps).toEqual([groupFailed])
    expect(afterPartial[1]?.data.invitation.status).toBe('partial')

    // A retry that changes nothing announced says nothing.
    await store.save({ ...partial, retryAttempts: 1, steps: [invited, { ...groupFailed, attempts: 2 }] })
    expect(await typesOf(record.id)).toEqual(['invitation.created', 'invitation.partial'])

    await store.save({
      ...partial,
      status: 'completed',
      steps: [invited, { name: 'addToGroup', target: GROUP, status: 'succeeded', attempts: 3 }],
      nextRetryAt: null,
    })
    expect(await typesOf(record.id)).toEqual([
      'invitation.created',
      'invitation.partial',
      'invitation.completed',
    ])
    // Saved again unchanged (a resend, a read): nothing more.
    await store.save({ ...partial, status: 'completed', reinvited: true, steps: [invited] })
    expect(await typesOf(record.id)).toHaveLength(3)
  })

  it('a step failed for good is invitation.failed with the failed steps', async () => {
    const record = await inFlight()
    const failedStep: InvitationStep = { ...groupFailed, status: 'failed' }
    await store.save({ ...record, steps: [invited, failedStep] })
    const events = await eventsOf(record.id)
    expect(events.map((event) => event.type)).toEqual(['invitation.created', 'invitation.failed'])
    expect(events[1]?.data.failedSteps).toEqual([failedStep])
  })

  it('guest.accepted when the guest state becomes Accepted, once, with the guest as actor', async () => {
    const record = await inFlight({ status: 'completed', steps: [invited], nextRetryAt: null })
    await store.save({ ...record, externalUserState: 'PendingAcceptance' })
    expect(await typesOf(record.id)).toEqual(['invitation.created', 'invitation.completed'])

    await store.save({ ...record, externalUserState: 'Accepted' })
    await store.save({ ...record, externalUserState: 'Accepted', updatedAt: new Date().toISOString() })
    const events = await eventsOf(record.id)
    expect(events.map((event) => event.type)).toEqual([
      'invitation.created',
      'invitation.completed',
      'guest.accepted',
    ])
    expect(events[2]?.data.actor).toEqual({ kind: 'guest', objectId: record.invitedUserId })
    expect(events[2]?.data.invitation.externalUserState).toBe('Accepted')
  })

  it('a re-invited guest who had accepted already is announced accepted after the status', async () => {
    const guest = makeGuest({ externalUserState: 'Accepted' })
    const record = makeInvitation(guest, { status: 'completed', steps: [invited], reinvited: true })
    await store.createWithGuest(record, guest)
    expect(await typesOf(record.id)).toEqual(['invitation.created', 'invitation.completed', 'guest.accepted'])
  })

  it('bulk rows recorded together get their events in order, and none when the transaction rolls back', async () => {
    const entries = [0, 1, 2].map((index) => {
      const guest = makeGuest()
      return {
        guest,
        // The middle row has a group to add: in flight until the worker runs its follow-ups.
        record: makeInvitation(
          guest,
          index === 1 ? { status: 'partial', steps: [invited, { ...groupPending }] } : { steps: [invited] },
        ),
      }
    })
    await db.transaction((tx) => insertInvitationsWithGuests(tx, entries))
    const [first, second, third] = entries.map(({ record }) => record.id)
    expect(await typesOf(first as string)).toEqual(['invitation.created', 'invitation.completed'])
    expect(await typesOf(second as string)).toEqual(['invitation.created'])
    expect(await typesOf(third as string)).toEqual(['invitation.created', 'invitation.completed'])
    const seqs = await db.query<{ invitation_id: string }>(
      'SELECT invitation_id FROM events WHERE invitation_id = ANY($1::text[]) ORDER BY seq',
      [[first, second, third]],
    )
    expect(seqs.map((row) => row.invitation_id)).toEqual([first, first, second, third, third])

    const guest = makeGuest()
    const doomed = makeInvitation(guest)
    await expect(
      db.transaction(async (tx) => {
        await insertInvitationsWithGuests(tx, [{ record: doomed, guest }])
        throw new Error('the batch failed after recording')
      }),
    ).rejects.toThrow('the batch failed')
    expect(await typesOf(doomed.id)).toEqual([])
  })

  it('each event gets a delivery per registered destination, due at once', async () => {
    const events = createEventStore(db)
    const before = await inFlight()
    await events.registerDestination('webhook')
    await events.registerDestination('webhook')
    const after = await inFlight()
    const deliveries = async (id: string) =>
      db.query<{ destination: string; state: string }>(
        `SELECT destination, state FROM event_deliveries d JOIN events e ON e.id = d.event_id
         WHERE e.invitation_id = $1`,
        [id],
      )
    expect(await deliveries(before.id)).toEqual([])
    expect(await deliveries(after.id)).toEqual([{ destination: 'webhook', state: 'pending' }])
    await db.query('DELETE FROM event_destinations')
  })

  it.runIf(kind === 'postgres')(
    'concurrent saves of one change on two connections announce it once (the row lock)',
    async () => {
      const second = await location.open()
      const otherStore = createInvitationStore(second)
      const record = await inFlight()
      const completed = {
        ...record,
        status: 'completed' as const,
        steps: [invited, { ...groupPending, status: 'succeeded' as const, attempts: 1 }],
        externalUserState: 'Accepted' as const,
      }
      await Promise.all([
        store.save(completed),
        otherStore.save(completed),
        store.save(completed),
        otherStore.save(completed),
      ])
      expect(await typesOf(record.id)).toEqual([
        'invitation.created',
        'invitation.completed',
        'guest.accepted',
      ])
    },
  )
})
