import type { FaultConfig } from '@entra-share/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBulkProcessor } from '../../src/bulk/bulk-processor.js'
import { type Harness, startHarness } from '../api/harness.js'
import { addresses, portalCsv, uploadBulkCsv } from './bulk-support.js'

/**
 * When the worker gives a row up. A transient failure (5xx, a lost answer) is retried; the row is failed only once it
 * has had `maxAttempts` attempts **and** `giveUpAfterSeconds` have passed since its first, so a Graph incident of a few
 * minutes does not fail a job's rows after ten quick retries. A throttled request (429) is no attempt at all: Graph did
 * not run it. The processor runs here on a clock the test moves, with the app's own worker off.
 */

let harness: Harness
let now = Date.now()

beforeAll(async () => {
  harness = await startHarness({ app: { bulk: { workerEnabled: false } } })
})
afterAll(() => harness.close())

function processor(options: { maxAttempts: number; giveUpAfterSeconds: number }) {
  const services = harness.app.entraShare
  return createBulkProcessor({
    store: services.bulkStore,
    invitations: services.invitations,
    graph: services.graph,
    tokens: services.tokens,
    inviterTokens: services.inviterTokens,
    instanceId: services.instanceId,
    logger: { info() {}, warn() {}, error() {} },
    reconcileSettleSeconds: 1,
    clock: () => new Date(now),
    ...options,
  })
}

async function uploadOne(prefix: string): Promise<string> {
  const [email] = addresses(1, prefix)
  return (await uploadBulkCsv(harness, portalCsv([[email as string, '', 'false', '']]))).id
}

interface RowState {
  status: string
  attempts: number
  reason: string | null
  detail: string | null
  /** When it may be claimed next: `not_before` when pending, `lease_until` when sending. */
  dueAt: number | null
}

async function rowOf(jobId: string): Promise<RowState> {
  const [row] = await harness.app.entraShare.database.query<{
    status: string
    attempts: number
    reason: string | null
    detail: string | null
    not_before: Date | string | null
    lease_until: Date | string | null
  }>('SELECT status, attempts, reason, detail, not_before, lease_until FROM bulk_rows WHERE job_id = $1', [
    jobId,
  ])
  if (!row) throw new Error(`No row for job ${jobId}`)
  const due = row.status === 'sending' ? row.lease_until : row.not_before
  return {
    status: row.status,
    attempts: Number(row.attempts),
    reason: row.reason,
    detail: row.detail,
    dueAt: due === null ? null : new Date(due).getTime(),
  }
}

/** Runs the processor, moving the clock to each time the row is due, until the row is done; each claim's state. */
async function runUntilDone(jobId: string, run: ReturnType<typeof processor>) {
  const startedAt = now
  const seen: (RowState & { atSeconds: number })[] = []
  for (let claims = 0; claims < 60; claims += 1) {
    const { claimed } = await run.runOnce()
    expect(claimed).toBe(1)
    const row = await rowOf(jobId)
    seen.push({ ...row, atSeconds: (now - startedAt) / 1000 })
    if (row.status === 'invited' || row.status === 'failed') return seen
    now = Math.max(now, row.dueAt ?? now) + 1
  }
  throw new Error(`The row was not done after 60 claims: ${JSON.stringify(seen.at(-1))}`)
}

async function setFaults(faults: FaultConfig) {
  await harness.emulator.context.faults.set(faults)
}

describe('giving a bulk row up (issue 16)', () => {
  it('retries a row Graph keeps answering 503 past its attempts until the time has passed, at most once a minute', async () => {
    await setFaults({
      unavailable: [{ route: 'POST /v1.0/invitations', percent: 100, status: 503, retryAfterSeconds: 1 }],
    })
    try {
      const jobId = await uploadOne('give-up')
      const seen = await runUntilDone(jobId, processor({ maxAttempts: 3, giveUpAfterSeconds: 600 }))
      const last = seen.at(-1) as RowState & { atSeconds: number }
      expect(last.status).toBe('failed')
      expect(last.reason).toBe('upstream_unavailable')
      expect(last.detail).toMatch(/^Gave up after \d+ attempts over 10 minutes: /)
      // Not before the time had passed, although the third attempt came within seconds.
      expect(seen.find((row) => row.attempts >= 3)?.atSeconds).toBeLessThan(10)
      expect(last.atSeconds).toBeGreaterThanOrEqual(600)
      // Past the third attempt, Graph is asked at most once a minute (a claim that only looks the address up, which
      // finds no guest here, is not an attempt): 503s every second for ten minutes would be some 600 requests.
      const failedInvites = seen.filter((row) => row.reason === 'upstream_unavailable' && row.attempts >= 3)
      const gaps = failedInvites
        .slice(1)
        .map((row, index) => row.atSeconds - (failedInvites[index] as { atSeconds: number }).atSeconds)
      expect(gaps.length).toBeGreaterThanOrEqual(5)
      expect(gaps.filter((gap) => gap < 60)).toEqual([])
    } finally {
      await setFaults({})
    }
  }, 60_000)

  it('does not count a throttled request among the attempts: a row Graph throttles is invited, not given up on', async () => {
    await setFaults({ throttle: [{ route: 'POST /v1.0/invitations', next: 3, retryAfterSeconds: 1 }] })
    try {
      const jobId = await uploadOne('throttled')
      const seen = await runUntilDone(jobId, processor({ maxAttempts: 2, giveUpAfterSeconds: 1 }))
      expect(seen.map((row) => row.status)).toEqual(['pending', 'pending', 'pending', 'invited'])
      // Three 429s and one invitation: one attempt.
      expect(seen.map((row) => row.attempts)).toEqual([0, 0, 0, 1])
      expect(seen.slice(0, 3).map((row) => row.reason)).toEqual([
        'graph_throttled',
        'graph_throttled',
        'graph_throttled',
      ])
    } finally {
      await setFaults({})
    }
  }, 60_000)
})
