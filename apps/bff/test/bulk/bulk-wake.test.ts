import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Harness, startHarness } from '../api/harness.js'
import { addresses, portalCsv, runBulkJob } from './bulk-support.js'

let harness: Harness
beforeAll(async () => {
  // An idle worker looks for due rows once a minute here: only the upload's wake can start the job in time.
  harness = await startHarness({ app: { bulk: { pollIntervalMs: 60_000, leaseSeconds: 2 } } })
})
afterAll(() => harness.close())

it('starts a job uploaded on this instance at once, not at the next poll', async () => {
  // The worker's first look at start-up found nothing; the next is a minute away, past runBulkJob's 30 s.
  await new Promise((resolve) => setTimeout(resolve, 200))
  const emails = addresses(3, 'wake')
  const job = await runBulkJob(harness, portalCsv(emails.map((email) => [email, '', 'false', ''])))
  expect(job.status).toBe('completed')
  expect(job.counts.invited).toBe(3)
})
