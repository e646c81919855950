import type { BulkColumnKey } from '@entra-share/contracts'
import type { BffConfig } from '../config.js'
import type { Caller } from '../identity/caller.js'
import { readBulkCsv } from './bulk-csv.js'
import { type NewBulkRow, newBulkRowJson } from './bulk-row-json.js'
import { duplicateRowDetail, headersByKey, planBulkRow } from './bulk-row-plan.js'
import { FirstRowByAddress } from './first-row-by-address.js'

/**
 * Rows in one batch handed over for one insert. Small, because PGlite runs each insert on the main thread: a request
 * that arrives meanwhile waits for it (measured on 100,000 rows: 500 rows an insert took /healthz p99 to ~170 ms, 200
 * to ~75 ms, 100 to ~50 ms but slowed PGlite's upload by a third, each insert being a commit).
 */
export const ROWS_PER_BATCH = 200

/** What judging a row needs of the configuration: plain data, so it can be sent to a worker thread. */
export type BulkJudgeConfig = Pick<
  BffConfig,
  'redirectOrigins' | 'defaultRedirectUrl' | 'allowedDomains' | 'blockedDomains' | 'presets' | 'emailMode'
> &
  Partial<Pick<BffConfig, 'messageLinks'>>

export interface JudgeBulkCsvOptions {
  config: BulkJudgeConfig
  /** The uploader, as far as judging a row needs: the presets they may use follow from their roles. */
  caller: Pick<Caller, 'roles'>
  /** Largest file accepted, bytes. */
  maxBytes: number
  /** Most data rows judged; the rows past it are only counted. */
  maxRows: number
}

/** Up to {@link ROWS_PER_BATCH} judged rows, as the worker thread hands them over as UTF-8 (`SharedBatch`). */
export interface JudgedBatch {
  kind: 'rows'
  /** One JSON array of the rows' {@link newBulkRowJson} objects. */
  json: string
}

/** The file as a whole, after its last row. */
export interface JudgedFile {
  kind: 'end'
  /** The header cells as written. */
  columns: string[]
  /** Rows judged (at most `maxRows`), refused ones included. */
  totalRows: number
  rejectedRows: number
  exampleRowSkipped: boolean
  /** Rows past `maxRows`, only counted; when more than 0 no batch holds the rows judged since the last full one. */
  rowsBeyondLimit: number
}

export type JudgedItem = JudgedBatch | JudgedFile

/**
 * Reads a bulk CSV (see {@link readBulkCsv}) and judges each row ({@link planBulkRow}, then `duplicate_in_file` for an
 * address an earlier row has, compared lower-cased as the directory does), yielding the rows as batches of JSON text
 * and, last, the file's summary. Everything an upload does before storing, so that it can run in a worker thread: it
 * needs only plain data in and gives plain data out. A broken file throws the `ProblemError` of `readBulkCsv`.
 *
 * @example
 * for await (const item of judgeBulkCsv(file, { config, caller, maxBytes, maxRows: 50_000 })) {
 *   if (item.kind === 'rows') await store.insertRowsJson(jobId, new TextEncoder().encode(item.json))
 * }
 */
export async function* judgeBulkCsv(
  source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
  options: JudgeBulkCsvOptions,
): AsyncGenerator<JudgedItem> {
  const { config, caller, maxRows } = options
  // The addresses seen so far (lower-cased, as the directory compares): the only per-row state kept, 12 bytes a slot.
  const seen = new FirstRowByAddress()
  // The file's header cells by column key, so each row problem names its column as the file does.
  let headers: Partial<Record<BulkColumnKey, string>> = {}
  // Each judged row as the JSON text it is stored as, made at once: strings, not row objects, wait for the batch.
  let batch: string[] = []
  const end: JudgedFile = {
    kind: 'end',
    columns: [],
    totalRows: 0,
    rejectedRows: 0,
    exampleRowSkipped: false,
    rowsBeyondLimit: 0,
  }
  for await (const item of readBulkCsv(source, { maxBytes: options.maxBytes })) {
    if (item.kind === 'header') {
      end.columns = item.header.columns
      headers = headersByKey(item.header)
    } else if (item.kind === 'example') end.exampleRowSkipped = true
    else if (end.totalRows >= maxRows) {
      // Past the limit nothing more is judged or stored: the rest is only counted, to say how long the file is.
      end.rowsBeyondLimit += 1
    } else {
      const { row } = item
      const place = { rowNumber: row.rowNumber, headers }
      const verdict = planBulkRow(config, caller, row.values, row.unstorable, place)
      const email = row.values.inviteeEmail || null
      const key = verdict.ok ? verdict.plan.email.toLowerCase() : undefined
      const first = key === undefined ? undefined : seen.claim(key, row.rowNumber)
      const base = { rowNumber: row.rowNumber, email, cells: row.cells }
      const stored: NewBulkRow = !verdict.ok
        ? { ...base, plan: null, status: 'failed', reason: verdict.code, detail: verdict.detail }
        : first !== undefined
          ? {
              ...base,
              plan: null,
              status: 'failed',
              reason: 'duplicate_in_file',
              detail: duplicateRowDetail(place, row.values.inviteeEmail ?? '', first),
            }
          : { ...base, plan: verdict.plan, status: 'pending', reason: null, detail: null }
      batch.push(newBulkRowJson(stored))
      end.totalRows += 1
      if (stored.status === 'failed') end.rejectedRows += 1
      if (batch.length >= ROWS_PER_BATCH) {
        yield { kind: 'rows', json: `[${batch.join(',')}]` }
        batch = []
      }
    }
  }
  // A file over the limit is refused whole: its last rows need not be stored.
  if (batch.length > 0 && end.rowsBeyondLimit === 0) yield { kind: 'rows', json: `[${batch.join(',')}]` }
  yield end
}
