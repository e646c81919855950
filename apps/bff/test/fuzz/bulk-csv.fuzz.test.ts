import { Readable } from 'node:stream'
import {
  type BulkJob,
  bulkRowReasons,
  bulkTemplateHeaders,
  bulkTemplateVersionRow,
  isProblemCode,
} from '@entra-share/contracts'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BulkCsvItem, readBulkCsv } from '../../src/bulk/bulk-csv.js'
import { planBulkRow } from '../../src/bulk/bulk-row-plan.js'
import { isProblemError } from '../../src/platform/problem-error.js'
import { isStorableText } from '../../src/platform/storable-text.js'
import { type Harness, startHarness } from '../api/harness.js'
import { FAST_BULK_WORKER, parseResults, quote } from '../bulk/bulk-support.js'
import { seeded } from '../support.js'

/**
 * Property-based tests over bulk CSV files (fixed seed): random headers (the portal's, reordered, unknown columns,
 * garbage) and random rows (quotes, commas, newlines, control characters, NUL, unpaired surrogates, formula starts),
 * written as UTF-8 or as UTF-16LE with its BOM (the one encoding that can carry an unpaired surrogate). Reading never
 * fails with anything but one catalogued problem; every row it yields is storable text, judged with a catalogued
 * reason or a plan; row numbers only grow. Uploaded to the BFF, no file is ever answered with a 5xx. Each property
 * prints how many files it tried.
 */
const SEED = 20_261_124
const tried: Record<string, number> = {}

let harness: Harness
beforeAll(async () => {
  harness = await startHarness({
    app: { bulk: FAST_BULK_WORKER },
    config: {
      rateLimits: { perUserPerMinute: 1_000_000, perTenantPerMinute: 1_000_000 },
      readRateLimitPerUserPerMinute: 1_000_000,
    },
  })
})
afterAll(async () => {
  for (const [property, count] of Object.entries(tried))
    console.log(`fuzz: ${property}: ${count} inputs tried`)
  await harness?.close()
})

/** Any UTF-16 code unit but mostly whole code points: NUL, control characters and unpaired surrogates included. */
const anyUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\uFFFD', '\uFEFF') },
)

const config = {
  redirectOrigins: ['https://app.contoso.example'],
  defaultRedirectUrl: 'https://app.contoso.example/welcome',
  allowedDomains: [],
  blockedDomains: ['competitor.example'],
  presets: [{ id: 'apollo', label: 'Apollo', groupIds: ['g1'], attributes: { usageLocation: 'GB' } }],
  emailMode: 'microsoft' as const,
}

const cell = fc.oneof(
  fc.emailAddress(),
  fc.string(),
  // `binary` is every code point but never a half surrogate: `anyUnit` adds those.
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.emailAddress().map((email) => email.replace('@', '\u0000@')),
  fc.constantFrom(
    'true',
    'false',
    'TRUE',
    '',
    '=HYPERLINK("x")',
    '+1',
    '-1',
    '@SUM(A1)',
    'a,b',
    'line\nbreak',
    '"',
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDC00y',
    'x;+1+1',
  ),
)
const headers = fc.oneof(
  fc.constant([...bulkTemplateHeaders.portal]),
  fc.shuffledSubarray([...bulkTemplateHeaders.portal, 'Notes [notes]', 'Display name [displayName]'], {
    minLength: 1,
  }),
  fc.array(fc.string(), { minLength: 1, maxLength: 6 }),
  fc.array(fc.oneof(fc.constantFrom(...bulkTemplateHeaders.portal), fc.string({ unit: anyUnit })), {
    minLength: 1,
    maxLength: 6,
  }),
)
const file = fc.record({
  version: fc.oneof(
    { weight: 4, arbitrary: fc.constant(bulkTemplateVersionRow) },
    { weight: 1, arbitrary: fc.string() },
  ),
  headers,
  rows: fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 25 }),
  newline: fc.constantFrom('\r\n', '\n'),
  quoted: fc.boolean(),
  truncate: fc.option(fc.nat(), { nil: undefined }),
  encoding: fc.constantFrom('utf8', 'utf8', 'utf16le'),
})

type CsvFile = typeof file extends fc.Arbitrary<infer T> ? T : never

/** The file's bytes: UTF-8 (an unpaired surrogate becomes U+FFFD on the way), or UTF-16LE after its BOM. */
function bytesOf(generated: CsvFile): Buffer {
  const { version, headers: headerCells, rows, newline, quoted, truncate, encoding } = generated
  const line = (cells: readonly string[]) => cells.map((value) => (quoted ? quote(value) : value)).join(',')
  let text = [version, line(headerCells), ...rows.map(line)].join(newline)
  if (truncate !== undefined) text = text.slice(0, truncate % (text.length + 1))
  return encoding === 'utf16le'
    ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    : Buffer.from(text)
}

async function readAll(bytes: Buffer): Promise<BulkCsvItem[]> {
  const items: BulkCsvItem[] = []
  for await (const item of readBulkCsv(Readable.from([bytes]), { maxBytes: 1024 * 1024 })) items.push(item)
  return items
}

describe('fuzzing bulk CSV files (fixed seed)', () => {
  it('reads any file into rows with catalogued verdicts, or refuses it with one catalogued problem', async () => {
    tried['CSV files'] = 0
    let readWhole = 0
    let refusedUnstorable = 0
    await fc.assert(
      fc.asyncProperty(file, async (generated) => {
        tried['CSV files'] = (tried['CSV files'] ?? 0) + 1
        let items: BulkCsvItem[]
        try {
          items = await readAll(bytesOf(generated))
        } catch (error) {
          expect(isProblemError(error), String(error)).toBe(true)
          if (isProblemError(error)) {
            expect(['invalid_request', 'payload_too_large']).toContain(error.code)
            expect(isStorableText(error.message), error.message).toBe(true)
          }
          return
        }
        readWhole += 1
        let last = 0
        for (const item of items) {
          const rowNumber =
            item.kind === 'header'
              ? item.header.rowNumber
              : item.kind === 'example'
                ? item.rowNumber
                : item.row.rowNumber
          expect(rowNumber).toBeGreaterThan(last)
          last = rowNumber
          if (item.kind === 'header') {
            for (const column of item.header.columns) expect(isStorableText(column)).toBe(true)
          }
          if (item.kind !== 'row') continue
          const { cells, values, unstorable } = item.row
          for (const text of [...cells, ...Object.values(values), ...unstorable])
            expect(isStorableText(text), JSON.stringify(text)).toBe(true)
          const verdict = planBulkRow(config, { roles: [] }, values, unstorable)
          if (unstorable.length > 0) expect(verdict).toMatchObject({ ok: false, code: 'invalid_value' })
          if (!verdict.ok) {
            expect(bulkRowReasons).toContain(verdict.code)
            expect(isStorableText(verdict.detail)).toBe(true)
          }
          if (unstorable.length > 0) refusedUnstorable += 1
        }
      }),
      { seed: SEED, numRuns: 400 },
    )
    // Whole files must have been among them, not only refusals, and rows refused for a NUL or a surrogate.
    expect(readWhole).toBeGreaterThan(50)
    expect(refusedUnstorable).toBeGreaterThan(10)
  })

  it('POST /api/bulk-invitations never answers 5xx; an accepted file reads back and its results download', async () => {
    tried['uploaded CSV files'] = 0
    const statuses = new Map<number, number>()
    const token = await harness.tokenFor(seeded.inviter.upn)
    await fc.assert(
      fc.asyncProperty(file, async (generated) => {
        tried['uploaded CSV files'] = (tried['uploaded CSV files'] ?? 0) + 1
        const response = await harness.app.inject({
          method: 'POST',
          url: '/api/bulk-invitations',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
          payload: bytesOf(generated),
        })
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
        expect(response.statusCode, response.body).toBeLessThan(500)
        if (response.statusCode !== 202) {
          expect(isProblemCode(response.json().code), response.body).toBe(true)
          return
        }
        const job = response.json() as BulkJob
        expect(job.rejectedRows.length).toBeLessThanOrEqual(job.totalRows)
        const [status, results] = await Promise.all([
          harness.get(seeded.inviter.upn, `/api/bulk-invitations/${job.id}`),
          harness.get(seeded.inviter.upn, `/api/bulk-invitations/${job.id}/results.csv`),
        ])
        expect(status.statusCode, status.body).toBe(200)
        expect(results.statusCode, results.body).toBe(200)
        expect(results.body).not.toContain('\u0000')
        expect(parseResults(results.body).length).toBe(job.totalRows + 1)
      }),
      { seed: SEED, numRuns: 120 },
    )
    // Accepted files must have been among them, not only refusals.
    expect(statuses.get(202) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(20)
  }, 120_000)
})
