import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import type { BulkResultRow } from '../../src/bulk/bulk-store.js'
import { resultsCsv } from '../../src/bulk/results-csv.js'
import { parseResults } from './bulk-support.js'

const COLUMNS = ['Email address to invite [inviteeEmail] Required', 'Notes [notes]']

/** The results file of one failed row whose second input cell is `cell`: its raw text, then as records. */
async function resultsFor(cell: string): Promise<{ raw: string; records: string[][] }> {
  async function* rows(): AsyncGenerator<BulkResultRow> {
    yield {
      rowNumber: 3,
      cells: ['ada@fabrikam.example', cell],
      status: 'failed',
      reason: 'invalid_value',
      detail: 'A detail; with a separator',
      invitedUserId: null,
      inviteRedeemUrl: null,
    }
  }
  const raw = await text(resultsCsv(COLUMNS, rows()))
  return { raw, records: parseResults(raw) }
}

/** The line of the row, as written: BOM and header dropped. */
const rowLine = (raw: string) => raw.split('\r\n')[1] as string

describe('results CSV: CSV injection (OWASP)', () => {
  it.each([
    ['x;+1+1', `"'x;+1+1"`],
    ['x;=1+1', `"'x;=1+1"`],
    ['x,-1', `"'x,-1"`],
    ['x|@SUM(A1)', `"'x|@SUM(A1)"`],
    ['x\t=1', `"'x\t=1"`],
    ['x; =1', `"'x; =1"`],
    ['x"=1', `"'x""=1"`],
    ['x\n=1', `"'x\n=1"`],
    ['x\r\n+1', `"'x\r\n+1"`],
    ['  =1', `'  =1`],
  ])(
    'prefixes %j with a quote (a formula after a separator or leading spaces), quoted when it must be',
    async (cell, written) => {
      const { raw, records } = await resultsFor(cell)
      expect(raw).toContain(`ada@fabrikam.example,${written},failed,`)
      expect(records[1]?.[1]).toBe(`'${cell}`)
    },
  )

  it.each([
    ['a;b', '"a;b"'],
    ['a,b', '"a,b"'],
    ['a|b', '"a|b"'],
    ['a\tb', '"a\tb"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['car\rriage', '"car\rriage"'],
  ])(
    'quotes %j, which holds a separator, a quote, CR or LF, and keeps it as it was',
    async (cell, written) => {
      const { raw, records } = await resultsFor(cell)
      expect(raw).toContain(`ada@fabrikam.example,${written},failed,`)
      expect(records).toHaveLength(2)
      expect(records[1]?.[1]).toBe(cell)
    },
  )

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\uFF1D1+1'])(
    'prefixes %j, which starts like a formula, with a quote',
    async (cell) => {
      const { records } = await resultsFor(cell)
      expect(records[1]?.[1]).toBe(`'${cell}`)
    },
  )

  it('leaves ordinary cells alone, and quotes the generated ones that hold a separator', async () => {
    const { raw, records } = await resultsFor('Ada Lovelace (a-b@c.example) 1+1=2')
    expect(rowLine(raw)).toBe(
      'ada@fabrikam.example,Ada Lovelace (a-b@c.example) 1+1=2,failed,invalid_value,"A detail; with a separator",,',
    )
    expect(records[0]).toEqual([...COLUMNS, 'status', 'reason', 'detail', 'invitedUserId', 'inviteRedeemUrl'])
  })

  it('neutralises the header row too', async () => {
    async function* none(): AsyncGenerator<BulkResultRow> {}
    const raw = await text(resultsCsv(['=cmd|x', 'a;-1'], none()))
    expect(parseResults(raw)[0]?.slice(0, 2)).toEqual(["'=cmd|x", "'a;-1"])
    expect(raw).toContain(`"'=cmd|x","'a;-1",status`)
  })
})
