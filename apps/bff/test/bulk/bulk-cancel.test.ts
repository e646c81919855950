import type { BulkJob } from '@entra-share/contracts'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Harness, startHarness } from '../api/harness.js'
import { seeded } from '../support.js'
import {
  addresses,
  FAST_BULK_WORKER,
  invitationsPerAddress,
  portalCsv,
  uploadBulkCsv,
  waitForBulkJob,
} from './bulk-support.js'

const INVITER = seeded.inviter.upn

// Its own harness: the budget of 5 requests a second that this test sets is learned by the harness's pacer (one per
// tenant, as in production), which would slow a later test that sets a larger one.
let harness: Harness
beforeAll(async () => {
  harness = await startHarness({
    app: { bulk: FAST_BULK_WORKER },
  })
})
afterAll(() => harness.close())

it('cancel stops new work: rows not sent are cancelled, and none is sent after', async () => {
  // 5 requests a second over Graph's 10 s window: at most 50 of the 200 invitations go through before the cancel,
  // however slow the machine is; the rest wait at the pacer or come back throttled.
  await harness.emulator.context.faults.set({ throttleBudget: { requestsPerSecond: 5 } })
  const emails = addresses(200, 'cancel')
  const { id } = await uploadBulkCsv(harness, portalCsv(emails.map((email) => [email, '', 'false', ''])))
  const cancelled = await harness.app.inject({
    method: 'POST',
    url: `/api/bulk-invitations/${id}/cancel`,
    headers: { authorization: `Bearer ${await harness.tokenFor(INVITER)}` },
  })
  expect(cancelled.statusCode).toBe(200)
  expect((cancelled.json() as BulkJob).status).toBe('cancelled')

  const job = await waitForBulkJob(harness, id, (polled) => polled.counts.sending === 0, { pollMs: 200 })
  expect(job.counts.pending).toBe(0)
  expect(job.counts.failed).toBe(0)
  expect(job.counts.invited + job.counts.cancelled).toBe(200)
  expect(job.counts.cancelled).toBeGreaterThanOrEqual(150)

  // Every invited row is one invitation in Graph, and no cancelled row reached it, then or later.
  await new Promise((resolve) => setTimeout(resolve, 500))
  const perAddress = await invitationsPerAddress(harness.emulator)
  const sent = emails.filter((email) => perAddress.has(email.toLowerCase()))
  expect(sent.length).toBe(job.counts.invited)
  expect(sent.every((email) => perAddress.get(email.toLowerCase()) === 1)).toBe(true)
  const later = (await harness.get(INVITER, `/api/bulk-invitations/${id}`)).json() as BulkJob
  expect(later.counts).toEqual(job.counts)
})
