import type { BulkJob } from '@entra-share/contracts'
import type { FaultConfig } from '@entra-share/emulator'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ProblemError } from '../../src/platform/problem-error.js'
import { type Harness, startHarness } from '../api/harness.js'
import { seeded } from '../support.js'
import {
  addresses,
  FAST_BULK_WORKER,
  invitationsPerAddress,
  parseResults,
  portalCsv,
  uploadBulkCsv,
  waitForBulkJob,
} from './bulk-support.js'

const INVITER = seeded.inviter.upn

let harness: Harness
/** The addresses of the batch whose answer was lost: the first half reached Graph, the second did not. */
const reached: string[] = []
const notReached: string[] = []
beforeAll(async () => {
  harness = await startHarness({
    app: { bulk: { ...FAST_BULK_WORKER, concurrency: 1 } },
  })
  const { graph, bulkStore, database } = harness.app.entraShare
  const batch = graph.batch.bind(graph)
  let lost = false
  // The first invitation batch: Graph invites half of it, then the connection drops and the job is cancelled while
  // the whole batch is in flight, its outcome unknown.
  graph.batch = async (token, requests) => {
    if (lost || !requests.some((request) => request.url === '/invitations')) return batch(token, requests)
    lost = true
    const half = Math.ceil(requests.length / 2)
    await batch(token, requests.slice(0, half))
    const emailOf = (request: (typeof requests)[number]) =>
      (request.body as { invitedUserEmailAddress: string }).invitedUserEmailAddress
    reached.push(...requests.slice(0, half).map(emailOf))
    notReached.push(...requests.slice(half).map(emailOf))
    const [job] = await database.query<{ id: string }>("SELECT id FROM bulk_jobs WHERE status = 'running'")
    await bulkStore.cancel(job?.id as string, new Date())
    throw new ProblemError('upstream_unavailable', { retryAfterSeconds: 1, detail: 'Connection reset.' })
  }
})
afterAll(() => harness.close())

/** Polls the job until no row is in flight (and `ready()`), for up to 20 s. */
function untilNoneInFlight(id: string, ready = () => true): Promise<BulkJob> {
  return waitForBulkJob(harness, id, (job) => ready() && job.counts.sending === 0)
}

it('looks up the rows a cancelled job had in flight: those Graph invited are invited, the rest cancelled', async () => {
  const emails = addresses(30, 'cancel-in-flight')
  const { id } = await uploadBulkCsv(harness, portalCsv(emails.map((email) => [email, '', 'false', ''])))
  const job = await untilNoneInFlight(id, () => reached.length > 0)

  expect(job.status).toBe('cancelled')
  expect(job.counts).toEqual({
    pending: 0,
    sending: 0,
    invited: reached.length,
    failed: 0,
    cancelled: 30 - reached.length,
  })
  const perAddress = await invitationsPerAddress(harness.emulator)
  expect(reached.map((email) => perAddress.get(email.toLowerCase()))).toEqual(reached.map(() => 1))
  expect(notReached.filter((email) => perAddress.has(email.toLowerCase()))).toEqual([])
  expect(notReached.length).toBeGreaterThan(0)

  // The guests Graph invited are invitations like any other; the rows it never saw say why they were not sent.
  const listed = (await harness.get(INVITER, '/api/invitations?limit=100')).json() as {
    items: { invitedUserEmailAddress: string; bulkJobId: string | null }[]
  }
  const ofJob = listed.items
    .filter((invitation) => invitation.bulkJobId === id)
    .map((invitation) => invitation.invitedUserEmailAddress.toLowerCase())
  expect(ofJob.sort()).toEqual(reached.map((email) => email.toLowerCase()).sort())
  const [row] = await harness.app.entraShare.database.query<{ status: string; detail: string }>(
    'SELECT status, detail FROM bulk_rows WHERE job_id = $1 AND lower(email) = $2',
    [id, notReached[0]?.toLowerCase()],
  )
  expect(row).toMatchObject({
    status: 'cancelled',
    detail: expect.stringMatching(/no guest at this address/),
  })
})

/**
 * Uploads 30 rows under `faults` (every invitation throttled by another limit), cancels the job once `ready` holds,
 * and checks that every row ends cancelled with no reason and the cancel's detail, as the results file shows.
 */
async function cancelThrottledJob(faults: FaultConfig, ready: (id: string) => Promise<boolean>) {
  await harness.emulator.context.faults.set(faults)
  try {
    const { id } = await uploadBulkCsv(
      harness,
      portalCsv(addresses(30, 'cancel-throttled').map((email) => [email, '', 'false', ''])),
    )
    const deadline = Date.now() + 10_000
    while (!(await ready(id))) {
      if (Date.now() > deadline) throw new Error('the job never reached the state to cancel it in')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await harness.app.entraShare.bulkStore.cancel(id, new Date())
    const job = await untilNoneInFlight(id)
    expect(job.counts).toEqual({ pending: 0, sending: 0, invited: 0, failed: 0, cancelled: 30 })
    const [header, ...records] = parseResults(
      (await harness.get(INVITER, `/api/bulk-invitations/${id}/results.csv`)).body,
    )
    const cells = (record: string[]) =>
      ['status', 'reason', 'detail'].map((name) => record[header?.indexOf(name) ?? -1]).join('|')
    expect(new Set(records.map(cells))).toEqual(
      new Set(['cancelled||The job was cancelled before this row was sent; it was not invited.']),
    )
  } finally {
    await harness.emulator.context.faults.set({})
  }
}

it('cancels a row Graph throttled before the cancel as any other: no reason, the cancel its detail', async () => {
  await cancelThrottledJob(
    { throttle: [{ route: 'POST /v1.0/invitations', next: 1000, retryAfterSeconds: 1 }] },
    async (id) =>
      Number(
        (
          await harness.app.entraShare.database.query<{ count: number | string }>(
            "SELECT count(*) AS count FROM bulk_rows WHERE job_id = $1 AND status = 'pending' AND reason = 'graph_throttled'",
            [id],
          )
        )[0]?.count,
      ) > 0,
  )
})

it('cancels a row in flight at the cancel and throttled after it the same way', async () => {
  // Graph answers after 0.8 s: the cancel comes while the first rows are in flight.
  await cancelThrottledJob(
    {
      throttle: [{ route: 'POST /v1.0/invitations', next: 1000, retryAfterSeconds: 1 }],
      latency: [{ requests: 'writes', ms: 800 }],
    },
    async (id) => (await harness.app.entraShare.bulkStore.counts(id)).sending > 0,
  )
})
