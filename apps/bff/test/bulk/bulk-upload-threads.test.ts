import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBulkStore } from '../../src/bulk/bulk-store.js'
import { type JudgeBulkCsvOptions, type JudgedItem, judgeBulkCsv } from '../../src/bulk/bulk-upload-judge.js'
import type { UploadItem } from '../../src/bulk/bulk-upload-protocol.js'
import { createBulkUploadThreads } from '../../src/bulk/bulk-upload-threads.js'
import type { PostgresConnection } from '../../src/platform/postgres-connection.js'
import { ProblemError } from '../../src/platform/problem-error.js'
import type { Database } from '../../src/platform/types.js'
import { createTestLocation, type TestDatabaseLocation } from '../platform/databases.js'
import { addresses, portalCsv } from './bulk-support.js'

const options: JudgeBulkCsvOptions = {
  config: {
    redirectOrigins: ['https://app.contoso.example'],
    defaultRedirectUrl: 'https://app.contoso.example/welcome',
    allowedDomains: [],
    blockedDomains: ['competitor.example'],
    presets: [{ id: 'apollo', label: 'Apollo', groupIds: ['g1'], attributes: { usageLocation: 'GB' } }],
    emailMode: 'microsoft',
  },
  caller: { roles: [] },
  maxBytes: 1024 * 1024,
  maxRows: 1000,
}

/** The text in chunks of `size` bytes, so records straddle chunks as on the network. */
function chunked(text: string, size = 4096): Readable {
  const bytes = Buffer.from(text)
  const chunks: Buffer[] = []
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size))
  return Readable.from(chunks)
}

/**
 * The items, each batch's JSON as text: a batch from the worker is UTF-8 in memory it writes again once the next item
 * is asked for, so it is decoded at once.
 */
async function collect(items: AsyncIterable<JudgedItem | UploadItem>): Promise<JudgedItem[]> {
  const all: JudgedItem[] = []
  const decoder = new TextDecoder()
  for await (const item of items) {
    all.push(
      item.kind === 'rows' && typeof item.json !== 'string'
        ? { ...item, json: decoder.decode(item.json) }
        : (item as JudgedItem),
    )
  }
  return all
}

async function problemOf(items: AsyncIterable<JudgedItem | UploadItem>): Promise<ProblemError> {
  try {
    await collect(items)
  } catch (error) {
    if (error instanceof ProblemError) return error
    throw error
  }
  throw new Error('No problem was thrown.')
}

/** A file with a bit of everything a row can be: fine, refused, duplicated (in another case), unstorable. */
function mixedFile(): string {
  // After the template's example row.
  const rows: string[][] = []
  const emails = addresses(450, 'mixed')
  for (const [index, email] of emails.entries()) {
    rows.push([index % 7 === 0 ? email.toUpperCase() : email, '', index % 5 === 0 ? 'yes' : 'false', 'Hi'])
  }
  rows.push([(emails[1] as string).toUpperCase(), '', 'false', ''])
  rows.push(['not an address', '', 'true', ''])
  rows.push(['eve@competitor.example', '', 'true', ''])
  rows.push(['nul@fabrikam.example', '', 'true', 'a\u0000b'])
  return portalCsv(rows)
}

describe('reading uploads on a worker thread (issue 16)', () => {
  const threads = createBulkUploadThreads()
  afterAll(() => threads.close())

  it('yields exactly what judging on this thread yields: the same batches of row JSON and summary', async () => {
    const csv = mixedFile()
    const here = await collect(judgeBulkCsv(chunked(csv), options))
    const there = await collect(threads.judge(chunked(csv), options))
    expect(there).toEqual(here)
    expect(there.filter((item) => item.kind === 'rows')).toHaveLength(3)
    expect(there.at(-1)).toMatchObject({ kind: 'end', totalRows: 454, exampleRowSkipped: true })
    expect((there.at(-1) as { rejectedRows: number }).rejectedRows).toBeGreaterThan(90)
  })

  it('throws the same ProblemError for a broken file, and reuses its worker for the next upload', async () => {
    const broken = 'version:v1.0\nname,mail\nAda,ada@fabrikam.example\n'
    const here = await problemOf(judgeBulkCsv(chunked(broken), options))
    const there = await problemOf(threads.judge(chunked(broken), options))
    expect(there.code).toBe('invalid_request')
    expect(there.message).toBe(here.message)
    expect(there.toProblem()).toEqual(here.toProblem())
    const next = await collect(
      threads.judge(chunked(portalCsv([['ada@fabrikam.example', '', '', '']])), options),
    )
    expect(next.at(-1)).toMatchObject({ kind: 'end', totalRows: 1, rejectedRows: 0 })
  })

  it('refuses a file over the byte limit as judging here does', async () => {
    const csv = mixedFile()
    const small = { ...options, maxBytes: 2000 }
    const here = await problemOf(judgeBulkCsv(chunked(csv, 512), small))
    const there = await problemOf(threads.judge(chunked(csv, 512), small))
    expect(there.toProblem()).toEqual(here.toProblem())
    expect(there.code).toBe('payload_too_large')
  })

  it('counts the rows past the row limit without judging them', async () => {
    const few = { ...options, maxRows: 10 }
    const items = await collect(threads.judge(chunked(mixedFile()), few))
    expect(items.filter((item) => item.kind === 'rows')).toHaveLength(0)
    expect(items.at(-1)).toMatchObject({ kind: 'end', totalRows: 10, rowsBeyondLimit: 444 })
  })

  it('answers a source that fails as a file that could not be read', async () => {
    async function* failing() {
      yield Buffer.from(portalCsv([['ada@fabrikam.example', '', '', '']]))
      throw new Error('socket hang up')
    }
    const problem = await problemOf(threads.judge(failing(), options))
    expect(problem.toProblem()).toMatchObject({
      code: 'invalid_request',
      detail: 'The file could not be read.',
    })
  })

  it('reads uploads side by side, and after one given up half way', async () => {
    const csv = mixedFile()
    const [first, second] = await Promise.all([
      collect(threads.judge(chunked(csv), options)),
      collect(threads.judge(chunked(csv), options)),
    ])
    expect(second).toEqual(first)
    for await (const item of threads.judge(chunked(csv), options)) {
      if (item.kind === 'rows') break
    }
    expect(await collect(threads.judge(chunked(csv), options))).toEqual(first)
  })

  it('reads at most two uploads at once: a third waits, its body unread, until one of them ends', async () => {
    const capped = createBulkUploadThreads()
    try {
      /** A file sent slowly: its header, then nothing until `finish` is called. `pulled`: read at all so far. */
      const slowFile = () => {
        let finish = () => {}
        const finished = new Promise<void>((resolve) => {
          finish = resolve
        })
        const file = { pulled: false, finish }
        const source = (async function* () {
          file.pulled = true
          yield Buffer.from(portalCsv([]))
          await finished
        })()
        return { file, items: collect(capped.judge(source, options)) }
      }
      const uploads = [slowFile(), slowFile(), slowFile()]
      const pulled = () => uploads.map(({ file }) => file.pulled)
      for (let waited = 0; pulled().filter(Boolean).length < 2 && waited < 100; waited += 1)
        await new Promise((resolve) => setTimeout(resolve, 50))
      // Time enough for a third thread to start and ask for the file, had it been allowed.
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(pulled()).toEqual([true, true, false])

      ;(uploads[0] as (typeof uploads)[number]).file.finish()
      await (uploads[0] as (typeof uploads)[number]).items
      for (let waited = 0; !pulled()[2] && waited < 100; waited += 1)
        await new Promise((resolve) => setTimeout(resolve, 50))
      expect(pulled()).toEqual([true, true, true])
      for (const { file } of uploads) file.finish()
      const summaries = await Promise.all(uploads.map(({ items }) => items))
      expect(summaries.map((items) => items.at(-1))).toEqual(
        Array(3).fill(expect.objectContaining({ kind: 'end', totalRows: 0, exampleRowSkipped: true })),
      )
    } finally {
      await capped.close()
    }
  })

  it('refuses uploads once closed', async () => {
    const closing = createBulkUploadThreads()
    await collect(closing.judge(chunked(portalCsv([['ada@fabrikam.example', '', '', '']])), options))
    await closing.close()
    await expect(collect(closing.judge(chunked('x'), options))).rejects.toThrow(/closed/)
  })

  describe('storing the rows on PostgreSQL from the worker thread', () => {
    let location: TestDatabaseLocation
    let db: Database
    beforeAll(async () => {
      location = await createTestLocation('postgres', 'upload_worker')
      db = await location.open()
    })
    afterAll(() => location?.cleanup())

    /** A job to hang the rows on, as the upload makes one before it reads the file. */
    async function newJob(): Promise<string> {
      const id = randomUUID()
      await createBulkStore(db).createJob({
        id,
        invitedBy: { tenantId: 't', objectId: 'o', name: null },
        inviterUsername: null,
        locale: null,
        mode: 'delegated',
        status: 'uploading',
        totalRows: 0,
        rejectedRows: 0,
        exampleRowSkipped: false,
        columns: [],
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        finishedAt: null,
      })
      return id
    }

    it('stores every batch itself, as judging here makes them, and yields only the summary', async () => {
      const jobId = await newJob()
      const csv = mixedFile()
      const here = await collect(judgeBulkCsv(chunked(csv), options))
      const connection = db.connection as PostgresConnection
      const there = await collect(threads.judge(chunked(csv), options, { connection, jobId }))
      expect(there).toEqual([here.at(-1)])
      const stored = await db.query<{ rows: unknown }>(
        `SELECT json_agg(json_build_object('row_number', row_number, 'email', email, 'input', input, 'plan', plan,
           'status', status, 'reason', reason, 'detail', detail) ORDER BY row_number) AS rows
         FROM bulk_rows WHERE job_id = $1`,
        [jobId],
      )
      const judged = here.flatMap((item) =>
        item.kind === 'rows' ? (JSON.parse(item.json) as unknown[]) : [],
      )
      expect(judged).toHaveLength(454)
      expect(stored[0]?.rows).toEqual(judged)
    })

    it('fails the upload when an insert fails, and the next upload gets a working thread', async () => {
      const jobId = await newJob()
      // A schema without the tables: the worker's first insert fails.
      const connection = { ...(db.connection as PostgresConnection), schema: 'no_such_schema' }
      await expect(
        collect(threads.judge(chunked(mixedFile()), options, { connection, jobId })),
      ).rejects.toThrow(/relation "bulk_rows" does not exist/)
      const next = await collect(
        threads.judge(chunked(mixedFile()), options, {
          connection: db.connection as PostgresConnection,
          jobId,
        }),
      )
      expect(next).toHaveLength(1)
      expect(await db.query('SELECT 1 FROM bulk_rows WHERE job_id = $1', [jobId])).toHaveLength(454)
    })
  })
})
