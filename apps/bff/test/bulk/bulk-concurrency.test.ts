import type { BulkJob } from '@entra-share/contracts'
import type { FaultConfig } from '@entra-share/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuildAppOptions } from '../../src/app.js'
import { ProblemError } from '../../src/platform/problem-error.js'
import { type Harness, startHarness } from '../api/harness.js'
import { createTestLocation, type TestDatabaseLocation } from '../platform/databases.js'
import { seeded } from '../support.js'
import {
  addresses,
  FAST_BULK_WORKER,
  invitationsPerAddress,
  portalCsv,
  uploadBulkCsv,
} from './bulk-support.js'

/**
 * Issue 16, at the throttle limit: the worker keeps several batches in flight, paced by Graph's throttle headers,
 * and jobs take turns. Each test has its own emulator and BFF (the pacer learns a tenant's budget as it goes).
 */
const INVITER = seeded.inviter.upn

/** A BFF with four batches in flight, counting the `$batch` requests it has open at once. */
async function startConcurrentHarness(faults: FaultConfig, app: BuildAppOptions = {}) {
  const harness = await startHarness({
    app: { bulk: { ...FAST_BULK_WORKER, concurrency: 4 }, ...app },
  })
  await harness.emulator.context.faults.set(faults)
  const graph = harness.app.entraShare.graph
  const batch = graph.batch.bind(graph)
  const inFlight = { now: 0, most: 0 }
  graph.batch = async (token, requests) => {
    inFlight.now += 1
    inFlight.most = Math.max(inFlight.most, inFlight.now)
    try {
      return await batch(token, requests)
    } finally {
      inFlight.now -= 1
    }
  }
  return { harness, inFlight }
}

async function upload(harness: Harness, emails: readonly string[]): Promise<string> {
  return (await uploadBulkCsv(harness, portalCsv(emails.map((email) => [email, '', 'false', ''])))).id
}

async function jobOf(harness: Harness, id: string): Promise<BulkJob> {
  return (await harness.get(INVITER, `/api/bulk-invitations/${id}`)).json() as BulkJob
}

async function waitFor(
  harness: Harness,
  id: string,
  done: (job: BulkJob) => boolean,
  timeoutMs = 60_000,
): Promise<BulkJob> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = await jobOf(harness, id)
    if (done(job)) return job
    if (Date.now() > deadline) throw new Error(`Job ${id} still ${job.status}: ${JSON.stringify(job.counts)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('bulk invitations at the throttle limit (issue 16)', () => {
  // PostgreSQL too: there the batches' transactions really run side by side (PGlite runs them one at a time).
  describe.each(['pglite', 'postgres'] as const)('several batches in flight on %s', (kind) => {
    let harness: Harness
    let inFlight: { most: number }
    let location: TestDatabaseLocation | undefined
    beforeAll(async () => {
      location = kind === 'postgres' ? await createTestLocation('postgres', 'bulk_in_flight') : undefined
      ;({ harness, inFlight } = await startConcurrentHarness(
        {
          seed: 16,
          throttleBudget: { requestsPerSecond: 400 },
          latency: [{ ms: 60, jitterMs: 40 }],
          throttle: [{ route: 'POST /v1.0/invitations', percent: 8, retryAfterSeconds: 1 }],
          unavailable: [
            { route: 'POST /v1.0/invitations', percent: 8, status: 503 },
            { route: 'GET /v1.0/users', percent: 5, status: 504 },
          ],
        },
        location ? { database: await location.open() } : {},
      ))
    })
    afterAll(async () => {
      await harness.close()
      await location?.cleanup()
    })

    it('invites each address exactly once under injected 429s and 5xx, every row invited', async () => {
      const emails = addresses(300, `in-flight-${kind}`)
      const id = await upload(harness, emails)
      const job = await waitFor(harness, id, (job) => job.status === 'completed', 150_000)
      expect(job.counts).toEqual({ pending: 0, sending: 0, invited: 300, failed: 0, cancelled: 0 })
      // Batches overlapped: the point of the test.
      expect(inFlight.most).toBeGreaterThan(1)
      const { injectedFaults } = (await (await fetch(`${harness.emulator.url}/_emulator/state`)).json()) as {
        injectedFaults: { throttle: number; unavailable: number }
      }
      expect(injectedFaults.throttle).toBeGreaterThan(0)
      expect(injectedFaults.unavailable).toBeGreaterThan(0)
      const perAddress = await invitationsPerAddress(harness.emulator)
      expect(emails.filter((email) => perAddress.get(email.toLowerCase()) !== 1)).toEqual([])
    }, 180_000)
  })

  describe('fair share', () => {
    let harness: Harness
    beforeAll(async () => {
      ;({ harness } = await startConcurrentHarness({
        throttleBudget: { requestsPerSecond: 60 },
        latency: [{ ms: 50, jitterMs: 20 }],
      }))
    })
    afterAll(() => harness.close())

    it('lets a second job and a single invite through while a large job runs', async () => {
      const large = await upload(harness, addresses(600, 'large'))
      await waitFor(harness, large, (job) => job.counts.invited >= 20)

      const small = addresses(20, 'small')
      const smallId = await upload(harness, small)
      const single = await harness.invite(INVITER, { email: addresses(1, 'single')[0] as string })
      expect(single.statusCode, single.body).toBe(201)
      const smallDone = await waitFor(harness, smallId, (job) => job.status === 'completed')
      expect(smallDone.counts.invited).toBe(20)

      // The large job is far from done: the small one did not wait for it.
      const largeNow = await jobOf(harness, large)
      expect(largeNow.status).toBe('running')
      expect(largeNow.counts.invited).toBeLessThan(500)

      const largeDone = await waitFor(harness, large, (job) => job.status === 'completed', 120_000)
      expect(largeDone.counts.invited).toBe(600)
      const perAddress = await invitationsPerAddress(harness.emulator)
      expect(small.filter((email) => perAddress.get(email.toLowerCase()) !== 1)).toEqual([])
    }, 180_000)
  })

  describe("answers lost inside Graph's replication window", () => {
    let harness: Harness
    let lost = 0
    beforeAll(async () => {
      // New guests stay invisible to lookups by address for 1.5 s, as Graph's replicas are right after an invite.
      ;({ harness } = await startConcurrentHarness(
        { replicationDelayMs: 1500 },
        { bulk: { pollIntervalMs: 20, leaseSeconds: 2, concurrency: 4, reconcileSettleSeconds: 2 } },
      ))
      const graph = harness.app.entraShare.graph
      const batch = graph.batch.bind(graph)
      // The first invitation batches reach Graph, which invites, but their answers are lost; Graph asks to try again
      // after 1 s, well inside the replication window.
      graph.batch = async (token, requests) => {
        const answers = await batch(token, requests)
        if (lost < 2 && requests.some((request) => request.url === '/invitations')) {
          lost += 1
          throw new ProblemError('upstream_unavailable', {
            retryAfterSeconds: 1,
            detail: 'Connection reset.',
          })
        }
        return answers
      }
    })
    afterAll(() => harness.close())

    it('looks each address up again after the settle time instead of inviting a guest Graph does not show yet', async () => {
      const emails = addresses(40, 'lost-answer')
      const id = await upload(harness, emails)
      const job = await waitFor(harness, id, (job) => job.status === 'completed')
      expect(lost).toBe(2)
      expect(job.counts).toEqual({ pending: 0, sending: 0, invited: 40, failed: 0, cancelled: 0 })
      // A lost row was claimed three times (invited, looked up in vain, found); the lookup that found nothing yet is
      // not one of its attempts, so a row is not given up on for waiting.
      const attempts = await harness.app.entraShare.database.query<{ attempts: number }>(
        'SELECT attempts FROM bulk_rows WHERE job_id = $1',
        [id],
      )
      expect(Math.max(...attempts.map((row) => Number(row.attempts)))).toBe(2)
      const perAddress = await invitationsPerAddress(harness.emulator)
      expect(emails.filter((email) => perAddress.get(email.toLowerCase()) !== 1)).toEqual([])
    }, 60_000)
  })
})
