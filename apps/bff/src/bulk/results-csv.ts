import { Readable } from 'node:stream'
import { bulkResultColumns } from '@entra-share/contracts'
import { stringify } from 'csv-stringify'
import type { BulkResultRow } from './bulk-store.js'

/** Characters a spreadsheet reads as the start of a formula (or that hide one): `=`, `+`, `-`, `@`, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A cell as a spreadsheet may safely open it: a value that starts like a formula gets a leading `'`, which
 * spreadsheets show as text (OWASP "CSV injection"). Everything else is unchanged.
 *
 * @example
 * neutraliseCell('=HYPERLINK("https://evil.example")') // "'=HYPERLINK(\"https://evil.example\")"
 * neutraliseCell('ada@fabrikam.example') // unchanged
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/**
 * The results file of a bulk job as a stream: the input columns as uploaded, then `status`, `reason`, `detail`,
 * `invitedUserId`, `inviteRedeemUrl`; one line per input row, in file order; every cell neutralised.
 *
 * @example
 * reply.type('text/csv; charset=utf-8').send(resultsCsv(job.columns, store.resultRows(job.id)))
 */
export function resultsCsv(columns: readonly string[], rows: AsyncIterable<BulkResultRow>): Readable {
  const records = async function* () {
    yield [...columns, ...bulkResultColumns].map(neutraliseCell)
    for await (const row of rows) {
      const cells = columns.map((_, index) => row.cells[index] ?? '')
      yield [
        ...cells,
        row.status,
        row.reason ?? '',
        row.detail ?? '',
        row.invitedUserId ?? '',
        row.inviteRedeemUrl ?? '',
      ].map(neutraliseCell)
    }
  }
  return Readable.from(records()).pipe(stringify({ bom: true, record_delimiter: 'windows' }))
}
