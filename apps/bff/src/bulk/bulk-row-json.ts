import type { BulkRowReason } from '@entra-share/contracts'
import { toStorableText } from '../platform/storable-text.js'
import type { BulkRowPlan } from './bulk-row-plan.js'

/** A row as the upload writes it. */
export interface NewBulkRow {
  rowNumber: number
  email: string | null
  cells: string[]
  plan: BulkRowPlan | null
  status: 'pending' | 'failed'
  reason: BulkRowReason | null
  detail: string | null
}

/**
 * Stores a batch of upload rows: `$1` the job's id, `$2` one JSON array of {@link newBulkRowJson} objects, expanded by
 * `json_to_recordset`, rather than eight bind parameters a row: a batch is then one text to build and send, not
 * thousands of parameters and a long VALUES list (issue 16). Plain SQL, so it runs unchanged on PGlite (by
 * `BulkStore.insertRowsJson`, on the main thread) and on PostgreSQL (by the upload's worker thread, over a connection
 * of its own).
 */
export const INSERT_BULK_ROWS_JSON = `INSERT INTO bulk_rows (job_id, row_number, email, input, plan, status, reason, detail)
  SELECT $1::text, r.row_number, r.email, r.input, r.plan, r.status, r.reason, r.detail
    FROM json_to_recordset($2::json)
      AS r(row_number integer, email text, input jsonb, plan jsonb, status text, reason text, detail text)`

/**
 * One upload row as the JSON object {@link INSERT_BULK_ROWS_JSON} expands into a `bulk_rows` row, its cells and free text made storable. An upload turns each row into this text as soon as it is
 * judged: a batch waiting for its insert is then one string a row, not a tree of objects a row that outlives
 * young-generation collections and fills the old space with garbage (issue 16).
 *
 * @example
 * newBulkRowJson({ rowNumber: 3, email: 'ada@fabrikam.example', cells: ['ada@fabrikam.example'], plan: null,
 *   status: 'failed', reason: 'invalid_value', detail: 'Bad (row 3).' })
 * // '{"row_number":3,"email":"ada@fabrikam.example","input":["ada@fabrikam.example"],"plan":null,…}'
 */
export function newBulkRowJson(row: NewBulkRow): string {
  return JSON.stringify({
    row_number: row.rowNumber,
    email: storable(row.email),
    input: row.cells.map(toStorableText),
    // A JSON null comes out of json_to_recordset as SQL NULL, as before.
    plan: row.plan,
    status: row.status,
    reason: row.reason,
    detail: storable(row.detail),
  })
}

/** Free text as it may be stored (see `toStorableText`): `text` and `jsonb` refuse NUL and unpaired surrogates. */
function storable(value: string | null): string | null {
  return value === null ? null : toStorableText(value)
}
