import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccessRemoval } from '../../src/invitations/access-removal.js'
import { createInvitationStore } from '../../src/invitations/invitation-store.js'
import type { InvitationRecord, InvitationStore } from '../../src/invitations/types.js'
import type { Database } from '../../src/platform/types.js'
import { createTestLocation, databaseKinds, type TestDatabaseLocation } from '../platform/databases.js'
import { makeGuest, makeInvitation } from './fixtures.js'

const DAY_MS = 86_400_000

/**
 * The governance queues (issue 13): scheduled work claimed with FOR UPDATE SKIP LOCKED and changed in the claim's
 * transaction, so each change happens once across instances, and what an instance that died left behind is taken
 * over once its lease ends.
 */
describe.each(databaseKinds)('governance work on the invitation store (%s)', (kind) => {
  let location: TestDatabaseLocation
  let db: Database
  let store: InvitationStore
  // Far from the other tests' times, so each test's rows are the only ones due at its `now`.
  let year = 2040

  beforeAll(async () => {
    location = await createTestLocation(kind, 'governance')
    db = await location.open()
    store = createInvitationStore(db)
  })
  afterAll(async () => {
    await location?.cleanup()
  })

  const removal = () =>
    createAccessRemoval({
      config: { presets: [] },
      invitations: { update: (id, change) => store.update(id, change), activeForGuest: async () => [] },
      graph: {} as never,
      tokens: {} as never,
    })
  /** `count` completed invitations whose 30-day access ended at `expiresAt`, reminded already. */
  async function expired(count: number, expiresAt: Date): Promise<InvitationRecord[]> {
    const records: InvitationRecord[] = []
    for (let index = 0; index < count; index += 1) {
      const guest = makeGuest()
      const record = makeInvitation(guest, {
        access: { expiresAt: expiresAt.toISOString(), days: 30, extendedAt: null, extendedBy: null },
      })
      await store.createWithGuest(record, guest)
      records.push(record)
    }
    return records
  }
  const typesOf = async (id: string) =>
    (
      await db.query<{ type: string }>('SELECT type FROM events WHERE invitation_id = $1 ORDER BY seq', [id])
    ).map((row) => row.type)

  it('two instances racing start each expiry once; a removal whose instance died is taken over once', async () => {
    year += 1
    const now = new Date(Date.UTC(year, 0, 31))
    const due = await expired(12, new Date(now.getTime() - DAY_MS))
    await expired(1, new Date(now.getTime() + DAY_MS))
    // On PostgreSQL the second claimer is another instance with its own pool, as a second BFF would be.
    const other = kind === 'postgres' ? createInvitationStore(await location.open()) : store
    const drain = async (claimer: InvitationStore, work: 'expiry' | 'removalRetry', at: Date) => {
      const claimed: string[] = []
      for (;;) {
        const batch = await claimer.updateDue(work, { now: at, limit: 3 }, (record) =>
          work === 'expiry'
            ? removal().begin(record, { reason: 'expired', requestedBy: null, now: at })
            : Object.assign(record, { nextRetryAt: new Date(at.getTime() + 300_000).toISOString() }),
        )
        if (batch.length === 0) return claimed
        claimed.push(...batch.map((record) => record.id))
      }
    }

    const started = (await Promise.all([drain(store, 'expiry', now), drain(other, 'expiry', now)])).flat()
    expect(new Set(started).size).toBe(started.length)
    expect(started.sort()).toEqual(due.map((record) => record.id).sort())
    const first = await store.get(due[0]?.id ?? '')
    expect(first).toMatchObject({
      status: 'removing',
      removal: {
        reason: 'expired',
        requestedBy: null,
        steps: [
          { name: 'removeFromGroup', status: 'pending' },
          { name: 'removeAppRole', status: 'pending' },
          { name: 'removeLicense', status: 'pending' },
        ],
      },
    })
    // In flight: its outcome is announced by the run that carries it out.
    expect(await typesOf(due[0]?.id ?? '')).toEqual(['invitation.created', 'invitation.completed'])

    // Their instance died before carrying them out: nothing is due until the lease ends, then each is due once.
    expect(await drain(store, 'removalRetry', new Date(now.getTime() + 60_000))).toEqual([])
    const afterLease = new Date(now.getTime() + 300_000)
    const retried = (
      await Promise.all([drain(store, 'removalRetry', afterLease), drain(other, 'removalRetry', afterLease)])
    ).flat()
    expect(new Set(retried).size).toBe(retried.length)
    expect(retried.sort()).toEqual(due.map((record) => record.id).sort())
  })

  it('reminds once; a stale save neither undoes a removal nor reminds again', async () => {
    year += 1
    const now = new Date(Date.UTC(year, 0, 31))
    const [record] = await expired(1, new Date(now.getTime() + 3 * DAY_MS))
    if (!record) throw new Error('not seeded')
    await store.update(record.id, (fresh) => {
      fresh.remindAt = new Date(now.getTime() - 60_000).toISOString()
      return true
    })
    const stale = structuredClone(record)

    const remind = () =>
      store.updateDue('reminder', { now, limit: 10 }, (fresh) => {
        fresh.remindAt = null
      })
    expect((await remind()).map((fresh) => fresh.id)).toEqual([record.id])
    expect(await remind()).toEqual([])
    await store.update(record.id, (fresh) => {
      removal().begin(fresh, { reason: 'revoked', requestedBy: null, now })
      return true
    })
    // The retrier (or a read) saves the copy it read before: it learns the removal instead of undoing it.
    stale.status = 'partial'
    await store.save(stale)

    expect(stale.status).toBe('removing')
    expect(await store.get(record.id)).toMatchObject({ status: 'removing', remindAt: null })
    expect(await typesOf(record.id)).toEqual([
      'invitation.created',
      'invitation.completed',
      'invitation.expiring',
    ])
  })
})
