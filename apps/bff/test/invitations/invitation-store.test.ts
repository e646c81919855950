import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppUserStore } from '../../src/invitations/app-user-store.js'
import { encodeInvitationCursor } from '../../src/invitations/invitation-cursor.js'
import { createInvitationStore } from '../../src/invitations/invitation-store.js'
import type { InvitationRecord, InvitationStore } from '../../src/invitations/types.js'
import { isProblemError, type ProblemError } from '../../src/platform/problem-error.js'
import type { Database } from '../../src/platform/types.js'
import { createTestLocation, databaseKinds, type TestDatabaseLocation } from '../platform/databases.js'
import { inviterA, inviterB, makeGuest, makeInvitation } from './fixtures.js'

async function problemOf(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!isProblemError(error)) throw new Error(`Expected a ProblemError, got ${String(error)}`)
  return error
}

/** Every page of a listing, following nextCursor to the end. */
async function allPages(
  store: InvitationStore,
  options: Omit<Parameters<InvitationStore['list']>[0], 'cursor'>,
): Promise<InvitationRecord[][]> {
  const pages: InvitationRecord[][] = []
  let cursor: string | undefined
  do {
    const page = await store.list({ ...options, ...(cursor ? { cursor } : {}) })
    pages.push(page.items)
    cursor = page.nextCursor
  } while (cursor && pages.length < 1000)
  return pages
}

const newestFirst = (a: InvitationRecord, b: InvitationRecord) =>
  b.createdAt.localeCompare(a.createdAt) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0)

describe.each(databaseKinds)('invitation store on %s', (kind) => {
  let location: TestDatabaseLocation
  let db: Database
  let store: InvitationStore

  beforeAll(async () => {
    location = await createTestLocation(kind, 'invitations')
    db = await location.open()
    store = createInvitationStore(db)
  })
  afterAll(async () => {
    await location?.cleanup()
  })

  /** Creates `count` invitations by one inviter, one guest each. */
  async function seed(
    count: number,
    inviter: { tenantId: string; objectId: string },
    overrides: (index: number) => Partial<InvitationRecord>,
  ): Promise<InvitationRecord[]> {
    const records: InvitationRecord[] = []
    for (let index = 0; index < count; index++) {
      const guest = makeGuest({ invitedByTenantId: inviter.tenantId, invitedByObjectId: inviter.objectId })
      const record = makeInvitation(guest, { invitedBy: { ...inviter, name: null }, ...overrides(index) })
      await store.createWithGuest(record, guest)
      records.push(record)
    }
    return records
  }

  describe('createWithGuest, get and save', () => {
    it('round-trips every field of the invitation and of the guest', async () => {
      const guest = makeGuest({ displayName: null, externalUserState: 'Accepted', userType: 'Member' })
      const record = makeInvitation(guest, {
        status: 'partial',
        emailSentByMicrosoft: false,
        emailSentByBff: true,
        reinvited: true,
        steps: [
          { name: 'invite', status: 'succeeded', attempts: 1 },
          { name: 'updateAttributes', status: 'succeeded', attempts: 2 },
          {
            name: 'addToGroup',
            target: '00000000-0000-4000-8000-0000000b0002',
            status: 'pending',
            attempts: 3,
            code: 'upstream_unavailable',
            detail: 'Graph answered 503.',
          },
        ],
        groupIds: ['00000000-0000-4000-8000-0000000b0001', '00000000-0000-4000-8000-0000000b0002'],
        retryAttempts: 2,
        nextRetryAt: '2031-06-01T12:00:00.250Z',
        message: 'Line one\nLine two — ünïcode',
      })
      await store.createWithGuest(record, guest)

      expect(await store.get(record.id)).toEqual(record)
      expect(await createAppUserStore(db).get(guest.objectId)).toEqual(guest)
    })

    it('keeps nulls and empty collections as they were', async () => {
      const guest = makeGuest()
      const record = makeInvitation(guest, {
        invitedUserDisplayName: null,
        presetId: null,
        message: null,
        attributes: {},
        groupIds: [],
        invitedBy: { ...inviterA, name: null },
      })
      await store.createWithGuest(record, guest)
      expect(await store.get(record.id)).toEqual(record)
    })

    it('answers null for an unknown id', async () => {
      expect(await store.get(`inv_${randomUUID()}`)).toBeNull()
    })

    it('a re-invite upserts the same guest: new name, email and state; first inviter and creation time kept', async () => {
      const guest = makeGuest()
      await store.createWithGuest(makeInvitation(guest), guest)
      const again = {
        ...guest,
        email: `renamed-${guest.email}`,
        displayName: 'Grace Renamed',
        externalUserState: 'Accepted' as const,
        invitedByObjectId: inviterB.objectId,
        createdAt: '2025-04-01T00:00:00.000Z',
        updatedAt: '2025-04-01T00:00:00.000Z',
      }
      await store.createWithGuest(makeInvitation(again, { reinvited: true }), again)
      expect(await createAppUserStore(db).get(guest.objectId)).toEqual({
        ...guest,
        email: again.email,
        displayName: 'Grace Renamed',
        externalUserState: 'Accepted',
        updatedAt: '2025-04-01T00:00:00.000Z',
      })

      // A re-invite without a display name does not erase the one we know.
      const nameless = { ...again, displayName: null, updatedAt: '2025-05-01T00:00:00.000Z' }
      await store.createWithGuest(makeInvitation(nameless), nameless)
      expect((await createAppUserStore(db).get(guest.objectId))?.displayName).toBe('Grace Renamed')
    })

    it('is one transaction: when the invitation cannot be inserted the guest is not recorded either', async () => {
      const existing = makeGuest()
      const taken = makeInvitation(existing)
      await store.createWithGuest(taken, existing)

      const newcomer = makeGuest()
      await expect(
        store.createWithGuest(makeInvitation(newcomer, { id: taken.id }), newcomer),
      ).rejects.toThrow()
      expect(await createAppUserStore(db).get(newcomer.objectId)).toBeNull()
    })

    it('save writes every mutable field and leaves the identity alone', async () => {
      const guest = makeGuest()
      const record = makeInvitation(guest, {
        status: 'partial',
        nextRetryAt: '2031-01-01T00:00:00.000Z',
        steps: [
          { name: 'invite', status: 'succeeded', attempts: 1 },
          { name: 'addToGroup', target: 'g1', status: 'pending', attempts: 1, code: 'graph_throttled' },
        ],
      })
      await store.createWithGuest(record, guest)

      const finished: InvitationRecord = {
        ...record,
        invitationId: randomUUID(),
        inviteRedeemUrl: 'https://login.microsoftonline.com/redeem?rd=resent',
        inviteRedirectUrl: 'https://apps.contoso.example/other',
        status: 'completed',
        externalUserState: 'Accepted',
        emailSentByMicrosoft: false,
        emailSentByBff: true,
        reinvited: true,
        presetId: null,
        message: null,
        attributes: { usageLocation: 'SE' },
        groupIds: ['g1', 'g2'],
        steps: [
          { name: 'invite', status: 'succeeded', attempts: 1 },
          { name: 'addToGroup', target: 'g1', status: 'succeeded', attempts: 2 },
        ],
        retryAttempts: 1,
        nextRetryAt: null,
        updatedAt: '2025-03-02T10:00:00.000Z',
      }
      await store.save(finished)
      expect(await store.get(record.id)).toEqual(finished)
    })

    it('save refuses a record that was never created', async () => {
      await expect(store.save(makeInvitation(makeGuest()))).rejects.toThrow(/never created/)
    })
  })

  describe('list', () => {
    const mine = { tenantId: inviterA.tenantId, objectId: randomUUID() }
    const theirs = { tenantId: inviterA.tenantId, objectId: randomUUID() }
    let myRecords: InvitationRecord[]
    let theirRecords: InvitationRecord[]

    beforeAll(async () => {
      // Two pairs share a creation time, so the id must break the tie.
      const times = [
        '2024-01-01T00:00:05.000Z',
        '2024-01-01T00:00:01.000Z',
        '2024-01-01T00:00:03.000Z',
        '2024-01-01T00:00:03.000Z',
        '2024-01-01T00:00:07.000Z',
        '2024-01-01T00:00:02.000Z',
        '2024-01-01T00:00:07.000Z',
      ]
      myRecords = await seed(times.length, mine, (index) => ({
        createdAt: times[index],
        updatedAt: times[index],
      }))
      theirRecords = await seed(3, theirs, (index) => ({ createdAt: `2024-01-01T00:00:0${index + 4}.500Z` }))
    })

    it("pages one inviter's invitations newest first, ties broken by id, with no cursor on the last page", async () => {
      const pages = await allPages(store, { inviter: mine, limit: 3 })
      expect(pages.map((page) => page.length)).toEqual([3, 3, 1])
      expect(pages.flat()).toEqual([...myRecords].sort(newestFirst))
    })

    it("a full page that happens to be the last has no cursor, and the inviter filter keeps others' rows out", async () => {
      const page = await store.list({ inviter: theirs, limit: 3 })
      expect(page.items).toEqual([...theirRecords].sort(newestFirst))
      expect(page.nextCursor).toBeUndefined()
      expect(page.items.every((item) => item.invitedBy.objectId === theirs.objectId)).toBe(true)
    })

    it("everyone's list (admins) visits every row exactly once, in order", async () => {
      const listed = (await allPages(store, { limit: 4 })).flat()
      const [total] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM invitations')
      expect(listed).toHaveLength(total?.n ?? -1)
      expect(new Set(listed.map((item) => item.id)).size).toBe(listed.length)
      expect(listed).toEqual([...listed].sort(newestFirst))
      const ids = new Set(listed.map((item) => item.id))
      for (const record of [...myRecords, ...theirRecords]) expect(ids.has(record.id)).toBe(true)
    })

    it('keeps microsecond order exact across a page boundary', async () => {
      const inviter = { tenantId: inviterA.tenantId, objectId: randomUUID() }
      const [early, late] = await seed(2, inviter, () => ({}))
      if (!early || !late) throw new Error('seed failed')
      // Same millisecond, different microseconds: a cursor rounded to milliseconds would skip `early`.
      await db.query(`UPDATE invitations SET created_at = '2024-02-01T00:00:00.000100Z' WHERE id = $1`, [
        early.id,
      ])
      await db.query(`UPDATE invitations SET created_at = '2024-02-01T00:00:00.000900Z' WHERE id = $1`, [
        late.id,
      ])
      const pages = await allPages(store, { inviter, limit: 1 })
      expect(pages.flat().map((item) => item.id)).toEqual([late.id, early.id])
    })

    it.each([
      ['garbled text', 'not a cursor!'],
      ['base64url of something else', Buffer.from('{"hello":"world"}').toString('base64url')],
      ['a cursor with a newer version', Buffer.from('{"v":2,"t":"1","i":"x","s":"*"}').toString('base64url')],
      ['an edited timestamp', Buffer.from('{"v":1,"t":"yesterday","i":"x","s":"*"}').toString('base64url')],
      [
        "a timestamp past PostgreSQL's range",
        encodeInvitationCursor({ createdAtMicros: '9223372036854775807', id: 'x', scope: '*' }),
      ],
      [
        'a timestamp before the epoch',
        encodeInvitationCursor({ createdAtMicros: '-9223372036854775808', id: 'x', scope: '*' }),
      ],
      [
        'a timestamp after year 9999',
        encodeInvitationCursor({ createdAtMicros: '253402300800000000', id: 'x', scope: '*' }),
      ],
      ['an id holding NUL', encodeInvitationCursor({ createdAtMicros: '1', id: 'a\u0000b', scope: '*' })],
      [
        'an id holding a lone surrogate',
        encodeInvitationCursor({ createdAtMicros: '1', id: 'x\ud800', scope: '*' }),
      ],
    ])('rejects %s as invalid_request on the cursor field', async (_label, cursor) => {
      const problem = await problemOf(store.list({ limit: 2, cursor }))
      expect(problem.code).toBe('invalid_request')
      expect(problem.status).toBe(400)
      expect(problem.extras.detail).toBe('The cursor is not valid; start again without it.')
      expect(problem.extras.errors?.map((error) => error.field)).toEqual(['cursor'])
    })

    it("rejects a cursor issued for another list (another inviter's, or everyone's)", async () => {
      const { nextCursor } = await store.list({ inviter: mine, limit: 1 })
      expect(nextCursor).toBeDefined()
      expect((await problemOf(store.list({ inviter: theirs, limit: 1, cursor: nextCursor }))).code).toBe(
        'invalid_request',
      )
      expect((await problemOf(store.list({ limit: 1, cursor: nextCursor }))).code).toBe('invalid_request')
      // The same cursor is fine for the list that issued it.
      await expect(store.list({ inviter: mine, limit: 1, cursor: nextCursor })).resolves.toBeDefined()
      // A hand-made cursor in the right shape positions the list like ours would (it is a position, not a secret).
      const handMade = encodeInvitationCursor({ createdAtMicros: '0', id: 'x', scope: '*' })
      expect((await store.list({ limit: 5, cursor: handMade })).items).toEqual([])
    })
  })

  describe('claimDueFollowUps', () => {
    // Each test starts from an empty retry queue; the other tests' partial rows are not its business.
    const emptyQueue = () => db.query(`UPDATE invitations SET next_retry_at = NULL WHERE status = 'partial'`)
    const at = (iso: string) => new Date(iso)

    it('claims due partial invitations only, oldest due first, and leases them', async () => {
      await emptyQueue()
      const due = await seed(5, inviterA, (index) => ({
        status: 'partial',
        nextRetryAt: `2001-01-01T00:00:0${index}.000Z`,
      }))
      const [notYetDue] = await seed(1, inviterA, () => ({
        status: 'partial',
        nextRetryAt: '2001-01-01T02:00:00.000Z',
      }))
      await seed(1, inviterA, () => ({ status: 'completed', nextRetryAt: '2001-01-01T00:00:00.000Z' }))
      await seed(1, inviterA, () => ({ status: 'partial', nextRetryAt: null }))
      const now = at('2001-01-01T01:00:00.000Z')

      const first = await store.claimDueFollowUps({ limit: 3, leaseSeconds: 300, now })
      expect(first.map((item) => item.id).sort()).toEqual(
        due
          .slice(0, 3)
          .map((item) => item.id)
          .sort(),
      )
      expect(first.every((item) => item.nextRetryAt === '2001-01-01T01:05:00.000Z')).toBe(true)
      expect(await store.get(first[0]?.id ?? '')).toMatchObject({ nextRetryAt: '2001-01-01T01:05:00.000Z' })

      const second = await store.claimDueFollowUps({ limit: 10, leaseSeconds: 300, now })
      expect(second.map((item) => item.id).sort()).toEqual(
        due
          .slice(3)
          .map((item) => item.id)
          .sort(),
      )
      expect(await store.claimDueFollowUps({ limit: 10, leaseSeconds: 300, now })).toEqual([])

      // Once the lease runs out, the rows are due again (the instance that held them may have died).
      const later = await store.claimDueFollowUps({
        limit: 10,
        leaseSeconds: 300,
        now: at('2001-01-01T01:05:00.000Z'),
      })
      expect(later.map((item) => item.id).sort()).toEqual(due.map((item) => item.id).sort())
      expect(later.map((item) => item.id)).not.toContain(notYetDue?.id)
    })

    it('two claimers racing never get the same invitation, and together get them all', async () => {
      await emptyQueue()
      const due = await seed(24, inviterA, (index) => ({
        status: 'partial',
        nextRetryAt: new Date(Date.UTC(2001, 5, 1, 0, 0, index)).toISOString(),
      }))
      // On PostgreSQL the second claimer is another instance with its own pool, as a second BFF would be.
      const other = kind === 'postgres' ? createInvitationStore(await location.open()) : store
      const now = at('2001-06-02T00:00:00.000Z')
      const drain = async (claimer: InvitationStore) => {
        const claimed: string[] = []
        for (;;) {
          const batch = await claimer.claimDueFollowUps({ limit: 3, leaseSeconds: 600, now })
          if (batch.length === 0) return claimed
          claimed.push(...batch.map((item) => item.id))
        }
      }
      const [mine, theirs] = await Promise.all([drain(store), drain(other)])
      const all = [...mine, ...theirs]
      expect(new Set(all).size).toBe(all.length)
      expect(all.sort()).toEqual(due.map((item) => item.id).sort())
    })

    it.runIf(kind === 'postgres')(
      'skips rows another instance holds locked instead of waiting for them (SKIP LOCKED)',
      async () => {
        await emptyQueue()
        const due = await seed(6, inviterA, (index) => ({
          status: 'partial',
          nextRetryAt: `2001-09-01T00:00:0${index}.000Z`,
        }))
        const held = due.slice(0, 3).map((item) => item.id)
        const holder = await location.open()
        let release!: () => void
        const released = new Promise<void>((resolve) => {
          release = resolve
        })
        let locked!: () => void
        const lockedSignal = new Promise<void>((resolve) => {
          locked = resolve
        })
        const holding = holder.transaction(async (tx) => {
          await tx.query('SELECT id FROM invitations WHERE id = ANY($1::text[]) FOR UPDATE', [held])
          locked()
          await released
        })
        await lockedSignal
        try {
          const claim = store.claimDueFollowUps({
            limit: 10,
            leaseSeconds: 60,
            now: at('2001-09-02T00:00:00.000Z'),
          })
          const outcome = await Promise.race([
            claim,
            new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 5_000)),
          ])
          expect(outcome).not.toBe('blocked')
          expect((outcome as InvitationRecord[]).map((item) => item.id).sort()).toEqual(
            due
              .slice(3)
              .map((item) => item.id)
              .sort(),
          )
        } finally {
          release()
          await holding
        }
      },
    )

    it('refuses a non-positive limit or lease', async () => {
      const now = new Date()
      await expect(store.claimDueFollowUps({ limit: 0, leaseSeconds: 60, now })).rejects.toThrow(RangeError)
      await expect(store.claimDueFollowUps({ limit: 1, leaseSeconds: 0, now })).rejects.toThrow(RangeError)
    })
  })
})
