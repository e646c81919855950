import { Readable } from 'node:stream'
import { bulkResultColumns } from '@entra-share/contracts'
import { stringify } from 'csv-stringify'
import type { BulkResultRow } from './bulk-store.js'

/**
 * A cell holding any of these is quoted: the list separators spreadsheets use by locale (`,` `;` tab `|`), the
 * quote, CR and LF. Unquoted, a `;` in `x;+1+1` starts a new cell, and a live formula, where `;` is the separator.
 */
const QUOTE_WHEN = /[,;\t|"\r\n]/

/**
 * A formula start (`=` `+` `-` `@` tab CR, or their full-width forms) after leading spaces or after a separator
 * inside the cell: where a spreadsheet that splits the cell, or trims it, would see a formula begin. A cell that
 * starts with one is escaped by csv-stringify's `escape_formulas`.
 */
const FORMULA_INSIDE = /(?:^ +|[,;\t|\r\n"] *)[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/**
 * A cell as a spreadsheet may safely open it (OWASP "CSV injection"): one holding a formula start after a separator
 * or leading spaces gets a leading `'`, which spreadsheets show as text. A cell that starts with a formula start is
 * prefixed by csv-stringify's `escape_formulas`, and quoting is `QUOTE_WHEN`'s; everything else is unchanged.
 *
 * @example
 * neutraliseCell('x;+1+1') // "'x;+1+1"
 * neutraliseCell('ada@fabrikam.example') // unchanged
 */
function neutraliseCell(value: string): string {
  return FORMULA_INSIDE.test(value) ? `'${value}` : value
}

/**
 * The results file of a bulk job as a stream: the input columns as uploaded, then `status`, `reason`, `detail`,
 * `invitedUserId`, `inviteRedeemUrl`; one line per input row, in file order. Every cell holding a separator, a
 * quote, CR or LF is quoted, and every cell with a formula start, at its beginning or after a separator inside it,
 * gets a leading `'`.
 *
 * @example
 * reply.type('text/csv; charset=utf-8').send(resultsCsv(job.columns, store.resultRows(job.id)))
 */
export function resultsCsv(columns: readonly string[], rows: AsyncIterable<BulkResultRow>): Readable {
  const records = async function* () {
    yield [...columns, ...bulkResultColumns]
    for await (const row of rows) {
      const cells = columns.map((_, index) => row.cells[index] ?? '')
      yield [
        ...cells,
        row.status,
        row.reason ?? '',
        row.detail ?? '',
        row.invitedUserId ?? '',
        row.inviteRedeemUrl ?? '',
      ]
    }
  }
  return Readable.from(records()).pipe(
    stringify({
      bom: true,
      record_delimiter: 'windows',
      quoted_match: QUOTE_WHEN,
      // `'` before a cell that starts with `=`, `+`, `-`, `@`, tab or CR (or a full-width `=`, `+`, `-`, `@`).
      escape_formulas: true,
      cast: { string: neutraliseCell },
    }),
  )
}
