import { Readable, Transform, type TransformCallback } from 'node:stream'
import { type BulkColumnKey, bulkColumnKeys, bulkTemplateVersionRow } from '@entra-share/contracts'
import { CsvError, type Parser, parse } from 'csv-parse'
import { isProblemError, ProblemError } from '../platform/problem-error.js'
import { isStorableText, quoteInput, toStorableText } from '../platform/storable-text.js'

/** The header row as found: the cells as written and, for each, the column key in its brackets (or `null`). */
export interface BulkCsvHeader {
  /** The header cells in file order, as written (the results CSV repeats them). */
  columns: string[]
  keys: (BulkColumnKey | null)[]
  /** Spreadsheet row number of the header row (2 in the portal's template). */
  rowNumber: number
}

/** One data row of the file. */
export interface BulkCsvRow {
  /** The row's number as a spreadsheet shows it: one per CSV record, the version row being 1. */
  rowNumber: number
  /** Every cell, aligned with {@link BulkCsvHeader.columns} (missing cells are `''`, extra cells dropped). */
  cells: string[]
  /** The cells of the known columns, trimmed. */
  values: Partial<Record<BulkColumnKey, string>>
  /**
   * The header of each cell that held a NUL or an unpaired surrogate (`column N` when the header is empty), in file
   * order. Such a cell, and its value, has U+FFFD in place of each such character; the row is to be refused.
   */
  unstorable: string[]
}

export type BulkCsvItem =
  | { kind: 'header'; header: BulkCsvHeader }
  /** The portal template's example row, skipped. */
  | { kind: 'example'; rowNumber: number }
  | { kind: 'row'; row: BulkCsvRow }

export interface ReadBulkCsvOptions {
  /** Largest file accepted, in bytes; more is `payload_too_large`. */
  maxBytes: number
}

const BRACKETED_KEY = /\[([A-Za-z]+)\]/
/**
 * Records read between two turns of the event loop. The parser hands over buffered records through promises alone,
 * which never let I/O in: without a turn, a file of a million empty rows would hold every other request up.
 */
const RECORDS_PER_TURN = 256
const KEY_BY_LOWERCASE = new Map(bulkColumnKeys.map((key) => [key.toLowerCase(), key]))
/** The portal's template ships one example row (its address cell starts "Example"); users are told to delete it. */
const EXAMPLE_ROW = /^example\b/i

/**
 * Reads a bulk-invite CSV as a stream and yields its header, then each data row, without holding the file in memory.
 * Accepts the Entra portal's template as it downloads (row 1 `version:v1.0`, row 2 the headers, the example row,
 * which is recognised and skipped) and the extended template's extra columns; columns are found by the `[key]` in
 * their header, so their order and any unknown columns do not matter. Quoted cells may hold commas and newlines.
 *
 * A file that is not the template (no version or header row, no `[inviteeEmail]` column, a quote left open, a
 * different template version) throws one `ProblemError('invalid_request')` naming the row; a file larger than
 * `maxBytes` throws `payload_too_large`. Row-level problems (a bad address…) are the caller's to judge.
 *
 * Every cell comes out as text a database can store: bytes that are not UTF-8 read as U+FFFD, and a NUL or an
 * unpaired surrogate (which a UTF-16 file can spell) becomes U+FFFD too, the row listing that cell's column in
 * `unstorable` so the caller refuses it. Nothing read from the file is echoed raw.
 *
 * @example
 * for await (const item of readBulkCsv(request.body, { maxBytes: 8 * 1024 * 1024 })) {
 *   if (item.kind === 'row') console.log(item.row.rowNumber, item.row.values.inviteeEmail)
 * }
 */
export async function* readBulkCsv(
  source: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
  options: ReadBulkCsvOptions,
): AsyncGenerator<BulkCsvItem> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    // Empty lines are kept as records so row numbers match what a spreadsheet shows; all-empty rows are skipped below.
    skip_empty_lines: false,
  })
  const input = isReadable(source) ? source : Readable.from(source)
  const limited = input.pipe(byteLimit(options.maxBytes))
  // Errors of the source (too large, client gone) reach the parser, so the loop below sees them in order.
  input.on('error', (error: Error) => parser.destroy(error))
  limited.on('error', (error: Error) => parser.destroy(error))
  limited.pipe(parser)

  let rowNumber = 0
  let header: BulkCsvHeader | undefined
  let sawVersion = false
  let sawDataRow = false
  try {
    for await (const raw of parser as AsyncIterable<string[]>) {
      rowNumber += 1
      if (rowNumber % RECORDS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve))
      const record = raw.map(toStorableText)
      if (record.every((cell) => cell.trim() === '')) continue
      if (!header) {
        const first = (record[0] ?? '').trim()
        if (!sawVersion && /^version:/i.test(first)) {
          if (first.toLowerCase() !== bulkTemplateVersionRow) {
            throw invalidFile(
              `Row ${rowNumber} says '${quoteInput(first)}'; only the portal template '${bulkTemplateVersionRow}' is supported.`,
            )
          }
          sawVersion = true
          continue
        }
        header = readHeader(record, rowNumber)
        expectRecordLength(parser, raw.length)
        yield { kind: 'header', header }
        continue
      }
      const cells = header.columns.map((_, index) => record[index] ?? '')
      const unstorable = header.columns.flatMap((column, index) =>
        isStorableText(raw[index] ?? '') ? [] : [column || `column ${index + 1}`],
      )
      const values: Partial<Record<BulkColumnKey, string>> = {}
      header.keys.forEach((key, index) => {
        if (key && values[key] === undefined) values[key] = (cells[index] ?? '').trim()
      })
      if (!sawDataRow && EXAMPLE_ROW.test(values.inviteeEmail ?? '')) {
        sawDataRow = true
        yield { kind: 'example', rowNumber }
        continue
      }
      sawDataRow = true
      yield { kind: 'row', row: { rowNumber, cells, values, unstorable } }
    }
  } catch (error) {
    throw structuralProblem(error, rowNumber + 1)
  }
  if (!header)
    throw invalidFile('The file has no header row; download the bulk-invite template and fill it in.')
}
/**
 * Tells csv-parse that records are as long as the header row. It takes the length of the FIRST record, the template's
 * one-cell version row, and with `relax_column_count` it still builds a `CsvError` (a stack trace, the record and its
 * context copied through JSON) for every record of another length: for the template, every data row. That was most
 * of an upload's garbage (issue 16). csv-parse has no option for it, so its state is set where it keeps it; should a
 * later version keep it elsewhere, this does nothing and rows are read the same, only slower.
 */
function expectRecordLength(parser: Parser, length: number): void {
  const state = (parser as Parser & { state?: { expectedRecordLength?: unknown } }).state
  if (typeof state?.expectedRecordLength === 'number') state.expectedRecordLength = length
}

function readHeader(record: string[], rowNumber: number): BulkCsvHeader {
  const columns = record.map((cell) => cell.trim())
  const keys = columns.map((cell) => {
    const bracketed = BRACKETED_KEY.exec(cell)?.[1]
    return bracketed ? (KEY_BY_LOWERCASE.get(bracketed.toLowerCase()) ?? null) : null
  })
  if (!keys.includes('inviteeEmail')) {
    throw invalidFile(
      `Row ${rowNumber} is not the bulk-invite template's header row: no column has '[inviteeEmail]' in its name. ` +
        "Keep the template's first two rows as they download.",
    )
  }
  return { columns, keys, rowNumber }
}

function invalidFile(detail: string): ProblemError {
  return new ProblemError('invalid_request', { detail, errors: [{ field: 'file', message: detail }] })
}

function structuralProblem(error: unknown, rowNumber: number): ProblemError {
  if (error instanceof CsvError) {
    const at = Number((error as CsvError & { lines?: number }).lines) || rowNumber
    const detail =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `A quoted cell that starts near line ${at} is never closed; check the quotes in that row.`
        : `The file is not valid CSV near line ${at}: ${quoteInput(error.message, 200)}`
    return invalidFile(detail)
  }
  return unreadableFile(error)
}

/**
 * The problem for a file whose bytes could not be read (the client went away, a form's stream failed): the error
 * itself when it is already a {@link ProblemError}. Also what the upload answers when its source fails while a
 * worker thread reads the file.
 */
export function unreadableFile(error: unknown): ProblemError {
  if (isProblemError(error)) return error
  return new ProblemError('invalid_request', { detail: 'The file could not be read.', cause: error })
}

function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError('payload_too_large', {
    detail: `The file is larger than ${Math.floor(maxBytes / 1024)} KiB; split it into smaller files.`,
  })
}

/** Passes bytes through and fails once more than `maxBytes` went by. */
function byteLimit(maxBytes: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length
      if (seen > maxBytes) callback(tooLarge(maxBytes))
      else callback(null, chunk)
    },
  })
}

function isReadable(source: unknown): source is NodeJS.ReadableStream {
  return typeof (source as NodeJS.ReadableStream).pipe === 'function'
}
