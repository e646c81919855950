import type { BulkJob } from '@entra-share/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from '../api/harness.js'
import { seeded } from '../support.js'
import {
  addresses,
  FAST_BULK_WORKER,
  invitationsPerAddress,
  parseResults,
  portalCsv,
  waitForBulkJob,
} from './bulk-support.js'

const INVITER = seeded.inviter.upn

let harness: Harness
beforeAll(async () => {
  harness = await startHarness({
    app: { bulk: FAST_BULK_WORKER },
  })
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

/** Not more often than every 200 ms: see `waitForBulkJob`. */
function waitFor(id: string, done: (job: BulkJob) => boolean, timeoutMs = 20_000): Promise<BulkJob> {
  return waitForBulkJob(harness, id, done, { timeoutMs, pollMs: 200 })
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
    // Each says what is wrong and where, in one sentence: the column by its header's name, the row and the value.
    expect(created.rejectedRows.map((row) => row.detail)).toEqual([
      "Email address to invite is not a valid email address (row 48: 'not-an-address').",
      "Invitations to 'competitor.example' are not allowed (row 49: 'eve@competitor.example').",
      expect.stringMatching(
        /^The redirect URL is not allowed: .+ \(row 50: 'https:\/\/evil\.example\/'\)\.$/,
      ),
      `Email address to invite repeats row 4, which is the one invited (row 51: '${good[0]}').`,
      "Send invitation message must be true or false (row 52: 'maybe').",
      'Email address to invite is empty (row 53).',
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
        ['x;+1+1', '', '', 'Hi; =1+1'],
      ]),
    )
    expect(response.statusCode).toBe(202)
    const { id } = response.json() as BulkJob
    await waitFor(id, (job) => job.status === 'completed')
    const { body } = await harness.get(INVITER, `/api/bulk-invitations/${id}/results.csv`)
    const [, ...records] = parseResults(body)
    expect(records[0]?.[3]).toBe(`'=HYPERLINK("https://evil.example","x")`)
    expect(records[1]?.[0]).toBe("'+1 555")
    expect(records[2]?.[0]).toBe("'@SUM(A1)")
    expect(records[3]?.[0]).toBe("'-2")
    expect(records[3]?.[3]).toBe("'\tx")
    // A formula after a separator inside the cell is neutralised too, and the cell is quoted.
    expect(body).toContain(`\r\n"'x;+1+1",,,"'Hi; =1+1",failed,invalid_email,`)
    expect(records[4]?.slice(0, 4)).toEqual(["'x;+1+1", '', '', "'Hi; =1+1"])
  })

  it('refuses a row whose cell holds a NUL as invalid_value, naming the column, and keeps it in the results', async () => {
    const [good, nul] = addresses(2, 'nul') as [string, string]
    const response = await upload(
      portalCsv([
        [good, '', 'true', 'Hello'],
        [good.replace('@', '-other@'), '', 'true', 'Hello\u0000there'],
        [nul.replace('@', '\u0000@'), '', 'true', ''],
      ]),
    )
    expect(response.statusCode, response.body).toBe(202)
    const created = response.json() as BulkJob
    expect(created.totalRows).toBe(3)
    expect(created.rejectedRows).toEqual([
      {
        rowNumber: 5,
        email: good.replace('@', '-other@'),
        code: 'invalid_value',
        detail:
          'Customized invitation message holds a character that cannot be stored, a NUL or an unpaired surrogate (row 5).',
      },
      {
        rowNumber: 6,
        email: nul.replace('@', '\uFFFD@'),
        code: 'invalid_value',
        detail:
          'Email address to invite holds a character that cannot be stored, a NUL or an unpaired surrogate (row 6).',
      },
    ])
    await waitFor(created.id, (job) => job.status === 'completed')
    const results = await harness.get(INVITER, `/api/bulk-invitations/${created.id}/results.csv`)
    expect(results.statusCode).toBe(200)
    expect(results.body).not.toContain('\u0000')
    const [, ...records] = parseResults(results.body)
    expect(records.map((record) => record.slice(4, 6))).toEqual([
      ['invited', ''],
      ['failed', 'invalid_value'],
      ['failed', 'invalid_value'],
    ])
    expect(records[1]?.[3]).toBe('Hello\uFFFDthere')
    expect(records[2]?.[0]).toBe(nul.replace('@', '\uFFFD@'))
  })

  it('refuses a row of a UTF-16 file whose cell holds a lone surrogate, and reads invalid UTF-8 as U+FFFD', async () => {
    const [surrogate, badBytes] = addresses(2, 'utf') as [string, string]
    // A UTF-16LE file (with its BOM, as Excel saves "Unicode text") can spell a lone surrogate; UTF-8 cannot.
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(portalCsv([[surrogate, '', 'true', 'Hi \uD800 there']]), 'utf16le'),
    ])
    const first = await upload(utf16 as unknown as string)
    expect(first.statusCode, first.body).toBe(202)
    expect((first.json() as BulkJob).rejectedRows).toEqual([
      {
        rowNumber: 4,
        email: surrogate,
        code: 'invalid_value',
        detail: expect.stringMatching(
          /^Customized invitation message holds a character that cannot be stored.*\(row 4\)\.$/,
        ),
      },
    ])
    const id = (first.json() as BulkJob).id
    await waitFor(id, (job) => job.status === 'completed')
    const [, record] = parseResults(
      (await harness.get(INVITER, `/api/bulk-invitations/${id}/results.csv`)).body,
    )
    expect(record?.[3]).toBe('Hi \uFFFD there')

    // Bytes that are not UTF-8 are decoded as U+FFFD: storable, so the row is judged as usual.
    const [head, tail] = portalCsv([[badBytes, '', 'true', 'Hi X there']]).split('X') as [string, string]
    const second = await upload(
      Buffer.concat([
        Buffer.from(head),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from(tail),
      ]) as unknown as string,
    )
    expect(second.statusCode).toBe(202)
    expect((second.json() as BulkJob).rejectedRows).toEqual([])
  })

  it('reads a header row holding a NUL (the cell kept as U+FFFD) without a server error', async () => {
    const [email] = addresses(1, 'nul-header') as [string]
    const csv = [
      'version:v1.0',
      'Email address to invite [inviteeEmail] Required,Notes\u0000 [notes]',
      `${email},a note`,
    ].join('\r\n')
    const response = await upload(csv)
    expect(response.statusCode, response.body).toBe(202)
    const { id } = response.json() as BulkJob
    await waitFor(id, (job) => job.status === 'completed')
    const [header] = parseResults(
      (await harness.get(INVITER, `/api/bulk-invitations/${id}/results.csv`)).body,
    )
    expect(header?.[1]).toBe('Notes\uFFFD [notes]')
    // In the version row it is one invalid_request, the cell echoed without the NUL.
    const version = await upload('version:v1.0\u0000\r\nEmail [inviteeEmail]\r\n')
    expect(version.statusCode).toBe(400)
    expect(version.json()).toMatchObject({ code: 'invalid_request' })
    expect(version.body).not.toMatch(/\\u0000/)
  })

  it('over a real socket too, a NUL refuses its row, not the file, and never answers 5xx', async () => {
    const origin = await harness.app.listen({ port: 0, host: '127.0.0.1' })
    const [good, nul] = addresses(2, 'socket') as [string, string]
    const response = await fetch(`${origin}/api/bulk-invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await harness.tokenFor(INVITER)}`, 'content-type': 'text/csv' },
      body: portalCsv([
        [good, '', 'true', 'Hello'],
        [nul, '', 'true', 'Hello\u0000there'],
      ]),
    })
    const body = await response.text()
    expect(response.status, body).toBe(202)
    expect((JSON.parse(body) as BulkJob).rejectedRows).toEqual([
      expect.objectContaining({ rowNumber: 5, email: nul, code: 'invalid_value' }),
    ])
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

  it('honours per-item 429s under the throttle budget: every row ends invited, once', async () => {
    // 150 invitations against 100 per Graph window of 10 s: the worker paces itself under the budget (its 429s are
    // rare), so some invitations are throttled outright too. The first window's 100 go at once; the other 50 go at
    // the budget's pace once they leave Graph's window, about 17 s in all (up to 45 s on a loaded machine).
    await harness.emulator.context.faults.set({
      throttleBudget: { requestsPerSecond: 10 },
      throttle: [{ route: 'POST /v1.0/invitations', next: 10, retryAfterSeconds: 1 }],
    })
    try {
      const throttled = async () => {
        const { injectedFaults } = await stateOf()
        return injectedFaults.throttle + injectedFaults.throttleBudget
      }
      const before = await throttled()
      const emails = addresses(150, 'throttle')
      const response = await upload(portalCsv(emails.map((email) => [email, '', 'false', ''])))
      const { id } = response.json() as BulkJob
      const job = await waitFor(id, (job) => job.status === 'completed', 45_000)
      expect(job.counts.invited).toBe(150)
      expect(await throttled()).toBeGreaterThan(before)
      // The budget was reached: 150 invitations against 100 a window took part of a second window.
      expect(job.finishedAt && Date.parse(job.finishedAt) - Date.parse(job.createdAt)).toBeGreaterThan(5000)
      const perAddress = await invitationsPerAddress(harness.emulator)
      expect(emails.filter((email) => perAddress.get(email.toLowerCase()) !== 1)).toEqual([])
    } finally {
      await harness.emulator.context.faults.set({})
    }
  }, 60_000)

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
      // A batch already on its way when the job paused still lands; after it, nothing more is claimed.
      while ((await store.counts(id)).sending > 0) {
        if (Date.now() > deadline) throw new Error('a batch never landed')
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

async function stateOf(): Promise<{ injectedFaults: { throttle: number; throttleBudget: number } }> {
  return (await fetch(`${harness.emulator.url}/_emulator/state`)).json() as Promise<{
    injectedFaults: { throttle: number; throttleBudget: number }
  }>
}
