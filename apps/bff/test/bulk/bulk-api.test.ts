import type { BulkJob } from '@entra-share/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from '../api/harness.js'
import { seeded } from '../support.js'
import { addresses, invitationsPerAddress, parseResults, portalCsv } from './bulk-support.js'

const INVITER = seeded.inviter.upn

let harness: Harness
beforeAll(async () => {
  harness = await startHarness({ app: { bulk: { pollIntervalMs: 20, leaseSeconds: 2 } } })
})
afterAll(() => harness.close())

async function upload(csv: string, upn = INVITER) {
  return harness.app.inject({
    method: 'POST',
    url: '/api/bulk-invitations',
    headers: { authorization: `Bearer ${await harness.tokenFor(upn)}`, 'content-type': 'text/csv' },
    payload: csv,
  })
}

async function waitFor(id: string, done: (job: BulkJob) => boolean, timeoutMs = 20_000): Promise<BulkJob> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = (await harness.get(INVITER, `/api/bulk-invitations/${id}`)).json() as BulkJob
    if (done(job)) return job
    if (Date.now() > deadline) throw new Error(`Job ${id} still ${job.status}: ${JSON.stringify(job.counts)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('bulk invitations (issue 6)', () => {
  it('runs a 50-row file with bad rows to completion, inviting each address once', async () => {
    const good = addresses(44, 'bulk-e2e')
    const rows = [
      ...good.map((email, index) => [
        email,
        '',
        index % 2 ? 'false' : 'true',
        `Hello, row ${index}\nwelcome`,
      ]),
      ['not-an-address', '', 'true', ''],
      ['eve@competitor.example', '', 'true', ''],
      [addresses(1, 'redirect')[0] as string, 'https://evil.example/', 'true', ''],
      [good[0] as string, '', 'true', ''],
      [addresses(1, 'flag')[0] as string, '', 'maybe', ''],
      ['', '', 'true', 'no address'],
    ]
    const response = await upload(portalCsv(rows))
    expect(response.statusCode).toBe(202)
    const created = response.json() as BulkJob
    expect(response.headers.location).toBe(`/api/bulk-invitations/${created.id}`)
    expect(created.totalRows).toBe(50)
    expect(created.exampleRowSkipped).toBe(true)
    expect(created.rejectedRows.map((row) => [row.rowNumber, row.code])).toEqual([
      [48, 'invalid_email'],
      [49, 'domain_not_allowed'],
      [50, 'redirect_url_not_allowed'],
      [51, 'duplicate_in_file'],
      [52, 'invalid_value'],
      [53, 'invalid_email'],
    ])

    const job = await waitFor(created.id, (job) => job.status === 'completed')
    expect(job.counts).toEqual({ pending: 0, sending: 0, invited: 44, failed: 6, cancelled: 0 })
    expect(job.finishedAt).not.toBeNull()

    const perAddress = await invitationsPerAddress(harness.emulator)
    for (const email of good) expect(perAddress.get(email.toLowerCase())).toBe(1)

    const results = await harness.get(INVITER, `/api/bulk-invitations/${created.id}/results.csv`)
    expect(results.statusCode).toBe(200)
    expect(results.headers['content-type']).toMatch(/^text\/csv/)
    const [header, ...records] = parseResults(results.body)
    expect(header?.slice(-5)).toEqual(['status', 'reason', 'detail', 'invitedUserId', 'inviteRedeemUrl'])
    expect(records).toHaveLength(50)
    expect(records[0]?.[0]).toBe(good[0])
    expect(records[0]?.[3]).toBe('Hello, row 0\nwelcome')
    expect(records[0]?.[4]).toBe('invited')
    expect(records[0]?.[7]).toMatch(/^[0-9a-f-]{36}$/)
    expect(records[0]?.[8]).toMatch(/^https:\/\//)
    expect(records[47]?.slice(4, 6)).toEqual(['failed', 'duplicate_in_file'])
  })

  it('neutralises cells that a spreadsheet would run as formulas', async () => {
    const [email] = addresses(1, 'formula')
    const response = await upload(
      portalCsv([
        [email as string, '', 'true', '=HYPERLINK("https://evil.example","x")'],
        ['+1 555', '', '', ''],
        ['@SUM(A1)', '', '', ''],
        ['-2', '', '', '\tx'],
      ]),
    )
    expect(response.statusCode).toBe(202)
    const { id } = response.json() as BulkJob
    await waitFor(id, (job) => job.status === 'completed')
    const [, ...records] = parseResults(
      (await harness.get(INVITER, `/api/bulk-invitations/${id}/results.csv`)).body,
    )
    expect(records[0]?.[3]).toBe(`'=HYPERLINK("https://evil.example","x")`)
    expect(records[1]?.[0]).toBe("'+1 555")
    expect(records[2]?.[0]).toBe("'@SUM(A1)")
    expect(records[3]?.[0]).toBe("'-2")
    expect(records[3]?.[3]).toBe("'\tx")
  })

  it('answers a broken file with one invalid_request problem', async () => {
    const response = await upload(
      `${portalCsv([['a@fabrikam.example', '', 'true', '"unclosed']])}`.replace('""unclosed"', '"unclosed'),
    )
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ code: 'invalid_request' })
    const notTemplate = await upload('name,email\nAda,ada@fabrikam.example\n')
    expect(notTemplate.statusCode).toBe(400)
    expect(notTemplate.json().detail).toMatch(/\[inviteeEmail\]/)
  })

  it('keeps jobs to their inviter', async () => {
    const response = await upload(portalCsv([[addresses(1, 'owner')[0] as string, '', 'false', '']]))
    const { id } = response.json() as BulkJob
    expect([403, 404]).toContain(
      (await harness.get(seeded.nonInviter.upn, `/api/bulk-invitations/${id}`)).statusCode,
    )
    expect((await harness.get(seeded.admin.upn, `/api/bulk-invitations/${id}`)).statusCode).toBe(200)
    expect((await harness.app.inject({ method: 'GET', url: `/api/bulk-invitations/${id}` })).statusCode).toBe(
      401,
    )
  })

  it('cancel stops new work: pending rows are cancelled', async () => {
    await harness.emulator.context.faults.set({ throttleBudget: { requestsPerSecond: 5 } })
    try {
      const response = await upload(
        portalCsv(addresses(200, 'cancel').map((email) => [email, '', 'false', ''])),
      )
      const { id } = response.json() as BulkJob
      const cancelled = await harness.app.inject({
        method: 'POST',
        url: `/api/bulk-invitations/${id}/cancel`,
        headers: { authorization: `Bearer ${await harness.tokenFor(INVITER)}` },
      })
      expect(cancelled.statusCode).toBe(200)
      expect((cancelled.json() as BulkJob).status).toBe('cancelled')
      const job = await waitFor(id, (job) => job.counts.sending === 0)
      expect(job.counts.cancelled).toBeGreaterThan(150)
      expect(job.counts.pending).toBe(0)
      const invitedBefore = job.counts.invited
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(
        ((await harness.get(INVITER, `/api/bulk-invitations/${id}`)).json() as BulkJob).counts.invited,
      ).toBe(invitedBefore)
    } finally {
      await harness.emulator.context.faults.set({})
    }
  })

  it('honours per-item 429s under the throttle budget: every row ends invited, once', async () => {
    await harness.emulator.context.faults.set({ throttleBudget: { requestsPerSecond: 60 } })
    try {
      const before = (await stateOf()).injectedFaults.throttleBudget
      const emails = addresses(150, 'throttle')
      const response = await upload(portalCsv(emails.map((email) => [email, '', 'false', ''])))
      const { id } = response.json() as BulkJob
      const job = await waitFor(id, (job) => job.status === 'completed')
      expect(job.counts.invited).toBe(150)
      expect((await stateOf()).injectedFaults.throttleBudget).toBeGreaterThan(before)
      const perAddress = await invitationsPerAddress(harness.emulator)
      expect(emails.filter((email) => perAddress.get(email.toLowerCase()) !== 1)).toEqual([])
    } finally {
      await harness.emulator.context.faults.set({})
    }
  })

  it('pauses as paused_reauth without the inviter token and resumes on their next authenticated GET', async () => {
    await harness.emulator.context.faults.set({ throttleBudget: { requestsPerSecond: 20 } })
    try {
      const response = await upload(
        portalCsv(addresses(60, 'reauth').map((email) => [email, '', 'false', ''])),
      )
      const { id } = response.json() as BulkJob
      // What a restart does: the in-memory token is gone.
      harness.app.entraShare.inviterTokens.forget({ tenantId: seeded.tenantId, objectId: seeded.inviter.id })
      const store = harness.app.entraShare.bulkStore
      const deadline = Date.now() + 10_000
      while ((await store.getJob(id))?.status !== 'paused_reauth') {
        if (Date.now() > deadline) throw new Error('the job never paused')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const paused = await store.counts(id)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await store.counts(id)).toEqual(paused)
      await harness.emulator.context.faults.set({})
      const resumed = (await harness.get(INVITER, `/api/bulk-invitations/${id}`)).json() as BulkJob
      expect(resumed.status).toBe('running')
      const job = await waitFor(id, (job) => job.status === 'completed')
      expect(job.counts.invited).toBe(60)
    } finally {
      await harness.emulator.context.faults.set({})
    }
  })
})

async function stateOf(): Promise<{ injectedFaults: { throttleBudget: number } }> {
  return (await fetch(`${harness.emulator.url}/_emulator/state`)).json() as Promise<{
    injectedFaults: { throttleBudget: number }
  }>
}
