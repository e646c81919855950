import { Readable } from 'node:stream'
import { bulkRowReasons, bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { type BulkCsvItem, readBulkCsv } from '../../src/bulk/bulk-csv.js'
import { planBulkRow } from '../../src/bulk/bulk-row-plan.js'
import { isProblemError } from '../../src/problem-error.js'
import { quote } from '../bulk/bulk-support.js'

/**
 * Property-based tests over bulk CSV files (fixed seed): random headers (the portal's, reordered, unknown columns,
 * garbage) and random rows (quotes, commas, newlines, control characters, formula starts). Reading never fails with
 * anything but one catalogued problem; every row it yields is judged with a catalogued reason or a plan; row numbers
 * only grow. Each property prints how many files it tried.
 */
const SEED = 20_261_124
const tried: Record<string, number> = {}
afterAll(() => {
  for (const [property, count] of Object.entries(tried))
    console.log(`fuzz: ${property}: ${count} inputs tried`)
})

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
  fc.string({ unit: 'binary', maxLength: 40 }),
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
  ),
)
const headers = fc.oneof(
  fc.constant([...bulkTemplateHeaders.portal]),
  fc.shuffledSubarray([...bulkTemplateHeaders.portal, 'Notes [notes]', 'Display name [displayName]'], {
    minLength: 1,
  }),
  fc.array(fc.string(), { minLength: 1, maxLength: 6 }),
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
})

async function readAll(text: string): Promise<BulkCsvItem[]> {
  const items: BulkCsvItem[] = []
  for await (const item of readBulkCsv(Readable.from([Buffer.from(text)]), { maxBytes: 1024 * 1024 }))
    items.push(item)
  return items
}

describe('fuzzing bulk CSV files (fixed seed)', () => {
  it('reads any file into rows with catalogued verdicts, or refuses it with one catalogued problem', async () => {
    tried['CSV files'] = 0
    let readWhole = 0
    await fc.assert(
      fc.asyncProperty(file, async ({ version, headers: headerCells, rows, newline, quoted, truncate }) => {
        tried['CSV files'] = (tried['CSV files'] ?? 0) + 1
        const line = (cells: readonly string[]) =>
          cells.map((value) => (quoted ? quote(value) : value)).join(',')
        let text = [version, line(headerCells), ...rows.map(line)].join(newline)
        if (truncate !== undefined) text = text.slice(0, truncate % (text.length + 1))
        let items: BulkCsvItem[]
        try {
          items = await readAll(text)
        } catch (error) {
          expect(isProblemError(error), String(error)).toBe(true)
          if (isProblemError(error)) expect(['invalid_request', 'payload_too_large']).toContain(error.code)
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
          if (item.kind !== 'row') continue
          const verdict = planBulkRow(config, { roles: [] }, item.row.values)
          if (!verdict.ok) expect(bulkRowReasons).toContain(verdict.code)
        }
      }),
      { seed: SEED, numRuns: 400 },
    )
    // Whole files must have been among them, not only refusals.
    expect(readWhole).toBeGreaterThan(50)
  })
})
