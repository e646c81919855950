import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIdempotencyStore } from '../../src/platform/idempotency-store.js'
import type { Database, IdempotencyStore } from '../../src/platform/types.js'
import { createTestLocation, databaseKinds, type TestDatabaseLocation } from './databases.js'

const callerKey = 'c0de0000-0000-4000-8000-000000000001:00000000-0000-4000-8000-0000000a0001'

describe.each(databaseKinds)('idempotency store on %s', (kind) => {
  let location: TestDatabaseLocation
  let db: Database
  let keys: IdempotencyStore

  beforeAll(async () => {
    location = await createTestLocation(kind, 'idempotency')
    db = await location.open()
    keys = createIdempotencyStore(db)
  })
  afterAll(async () => {
    await location?.cleanup()
  })

  const claim = (key: string, requestHash: string, staleAfterSeconds = 60, store = keys) =>
    store.begin({ callerKey, key, requestHash, staleAfterSeconds })
  /** Pretends the claim was made `seconds` ago by an instance that has since died. */
  const age = (key: string, seconds: number) =>
    db.query(
      `UPDATE idempotency_keys SET updated_at = now() - make_interval(secs => $3) WHERE caller_key = $1 AND key = $2`,
      [callerKey, key, seconds],
    )

  it('starts the first request, and sees the same request as in progress while it runs', async () => {
    const key = randomUUID()
    expect(await claim(key, 'hash-a')).toEqual({ outcome: 'started', takenOver: false })
    expect(await claim(key, 'hash-a')).toEqual({ outcome: 'in_progress' })
  })

  it('a different body with the same key is a conflict, whether the first is running or done', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    expect(await claim(key, 'hash-b')).toEqual({ outcome: 'conflict' })
    await keys.complete({ callerKey, key, status: 201, body: { id: 'inv_1' } })
    expect(await claim(key, 'hash-b')).toEqual({ outcome: 'conflict' })
  })

  it('replays the stored status and body once completed', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    const body = {
      id: 'inv_1',
      steps: [{ name: 'invite', status: 'succeeded', attempts: 1 }],
      note: 'ünïcode',
    }
    await keys.complete({ callerKey, key, status: 201, body })
    expect(await claim(key, 'hash-a')).toEqual({ outcome: 'replay', status: 201, body })
    // A replay is not a claim: it stays replayable.
    expect(await claim(key, 'hash-a')).toEqual({ outcome: 'replay', status: 201, body })
  })

  it('keys belong to one caller: another caller with the same key starts afresh', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    expect(
      await keys.begin({ callerKey: 'other:caller', key, requestHash: 'hash-b', staleAfterSeconds: 60 }),
    ).toEqual({ outcome: 'started', takenOver: false })
  })

  it('release forgets an unfinished claim so the same request can start again', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    await keys.release({ callerKey, key })
    expect(await claim(key, 'hash-b')).toEqual({ outcome: 'started', takenOver: false })
  })

  it('release keeps a claim whose request reached Graph, so the retry takes it over and looks first', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    await keys.markGraphAttempt({ callerKey, key })
    await keys.release({ callerKey, key })
    expect(await claim(key, 'hash-a')).toEqual({ outcome: 'started', takenOver: true })
    // The retry holds the claim now: a third request waits for it.
    expect(await claim(key, 'hash-a')).toEqual({ outcome: 'in_progress' })
  })

  it('release after completion keeps the stored answer', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    await keys.complete({ callerKey, key, status: 409, body: { code: 'already_member' } })
    await keys.release({ callerKey, key })
    expect(await claim(key, 'hash-a')).toEqual({
      outcome: 'replay',
      status: 409,
      body: { code: 'already_member' },
    })
  })

  it('takes over a claim older than staleAfterSeconds, once', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    await age(key, 30)
    expect(await claim(key, 'hash-a', 60)).toEqual({ outcome: 'in_progress' })
    await age(key, 120)
    expect(await claim(key, 'hash-a', 60)).toEqual({ outcome: 'started', takenOver: false }) // it never reached Graph
    // The takeover refreshed the claim: it is in progress again, not up for grabs.
    expect(await claim(key, 'hash-a', 60)).toEqual({ outcome: 'in_progress' })
    // A stale claim of another body is still that body's: a conflict, never a takeover.
    await age(key, 120)
    expect(await claim(key, 'hash-b', 60)).toEqual({ outcome: 'conflict' })
  })

  it('of many concurrent requests with one new key exactly one starts', async () => {
    const key = randomUUID()
    // On PostgreSQL half the requests come through a second instance, as from a second BFF.
    const other = kind === 'postgres' ? createIdempotencyStore(await location.open()) : keys
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, index) => claim(key, 'hash-a', 60, index % 2 === 0 ? keys : other)),
    )
    expect(outcomes.filter((outcome) => outcome.outcome === 'started')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome.outcome === 'in_progress')).toHaveLength(11)
  })

  it('of many concurrent takeovers of one stale claim exactly one starts', async () => {
    const key = randomUUID()
    await claim(key, 'hash-a')
    await age(key, 600)
    const other = kind === 'postgres' ? createIdempotencyStore(await location.open()) : keys
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, index) => claim(key, 'hash-a', 60, index % 2 === 0 ? keys : other)),
    )
    expect(outcomes.filter((outcome) => outcome.outcome === 'started')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome.outcome === 'in_progress')).toHaveLength(11)
  })
})
