import { type BulkColumnKey, type BulkRowReason, constraints, isValidEmail } from '@entra-share/contracts'

// Copies of the contracts' `bulkTemplateVersionRow` and `bulkColumnKeys` (a test keeps them equal): the contracts'
// bulk module also builds TypeBox schemas at load time, which would put TypeBox in the browser bundle.
/** The portal template's first row. */
export const templateVersionRow = 'version:v1.0'
/** The column keys found in the header's `[key]` brackets. */
export const templateColumnKeys: readonly BulkColumnKey[] = [
  'inviteeEmail',
  'inviteRedirectURL',
  'sendEmail',
  'customizedMessageBody',
  'displayName',
  'presetId',
  'usageLocation',
]

/** Which check a row fails, each with its sentence in the strings' `rowProblems`. */
export type BulkRowCheck =
  | 'emailMissing'
  | 'emailInvalid'
  | 'sendEmail'
  | 'usageLocation'
  | 'tooLong'
  | 'duplicate'

/** What the server will refuse a row for, and where: the column (by its header's name) and the cell's value. */
export interface BulkPreviewProblem {
  code: BulkRowReason
  check: BulkRowCheck
  /** The column's name as the file's header gives it (see {@link columnName}). */
  column: string
  /** The cell as written (trimmed). */
  value: string
  /** `tooLong`: the most characters the column takes. */
  max?: number
  /** `duplicate`: the row that has the address first. */
  duplicateOf?: number
}

/** One data row of the preview, as the server will number and judge it. */
export interface BulkPreviewRow {
  /** The row's number as a spreadsheet shows it (the version row is 1, the header row 2). */
  rowNumber: number
  email: string
  displayName: string
  /** What the server will refuse this row for, if anything. */
  problem: BulkPreviewProblem | null
}

/** A file the preview cannot read as the template, with the row it stopped at. */
export type BulkFileProblem =
  | { kind: 'version'; rowNumber: number; value: string }
  | { kind: 'no_header'; rowNumber: number }
  | { kind: 'open_quote'; rowNumber: number }

/** What the browser can tell about a bulk-invite CSV before uploading it. */
export interface BulkPreview {
  /** The first `limit` data rows. */
  rows: BulkPreviewRow[]
  /** Data rows in the whole file (the example row not counted). */
  totalRows: number
  /** Data rows with a problem in the whole file. */
  problemRows: number
  exampleRowSkipped: boolean
  fileProblem: BulkFileProblem | null
}

const usageLocationRegex = new RegExp(constraints.usageLocationPattern, 'i')

/** The portal template's headers, for a column the file's header row leaves out (a copy; a test keeps them equal). */
const templateHeaders: Record<BulkColumnKey, string> = {
  inviteeEmail: 'Email address to invite [inviteeEmail] Required',
  inviteRedirectURL: 'Redirection url [inviteRedirectURL] Required',
  sendEmail: 'Send invitation message (true or false) [sendEmail]',
  customizedMessageBody: 'Customized invitation message [customizedMessageBody]',
  displayName: 'Display name [displayName]',
  presetId: 'Group preset [presetId]',
  usageLocation: 'Usage location [usageLocation]',
}

/**
 * A column's name as the BFF's row problems give it (a copy of the contracts' `bulkColumnName`): the header cell
 * without the `[key]`, the `(…)` hint and `Required`.
 *
 * @example
 * columnName('sendEmail', 'Send invitation message (true or false) [sendEmail]') // 'Send invitation message'
 */
export function columnName(key: BulkColumnKey, header = templateHeaders[key]): string {
  const name = header
    .replace(/\[[^\]]*\]|\([^)]*\)|\bRequired\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return name || key
}

/**
 * Splits CSV text into records (RFC 4180: `"` quotes, `""` escapes, commas and newlines inside quotes). Deliberately
 * tiny for the browser bundle: the server's csv-parse is the authority, this only previews.
 * Returns the records and whether a quote was left open.
 *
 * @example
 * parseCsv('a,"b,c"\n"d\ne",f') // { records: [['a', 'b,c'], ['d\ne', 'f']], openQuote: false }
 */
export function parseCsv(text: string): { records: string[][]; openQuote: boolean } {
  const records: string[][] = []
  let record: string[] = []
  let cell = ''
  let quoted = false
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0
  for (; index < text.length; index++) {
    const char = text[index]
    if (quoted) {
      if (char !== '"') cell += char
      else if (text[index + 1] === '"') {
        cell += '"'
        index++
      } else quoted = false
    } else if (char === '"') quoted = true
    else if (char === ',') {
      record.push(cell)
      cell = ''
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++
      record.push(cell)
      records.push(record)
      record = []
      cell = ''
    } else cell += char
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell)
    records.push(record)
  }
  return { records, openQuote: quoted }
}

/**
 * Reads a bulk-invite CSV as the BFF will (the portal template's `version:v1.0` row, the header row's `[key]`
 * columns, the example row skipped, empty rows counted but ignored) and judges each row with the same checks:
 * the address (`isValidEmail`), the `sendEmail`, usage location, name and message cells, and addresses repeated in
 * the file. Policy checks (domains, presets) are the server's.
 *
 * @example
 * const preview = previewBulkCsv(await file.text())
 * preview.rows[0] // { rowNumber: 3, email: 'ada@fabrikam.example', displayName: 'Ada', problem: null }
 */
export function previewBulkCsv(text: string, limit = 10): BulkPreview {
  const { records, openQuote } = parseCsv(text)
  const preview: BulkPreview = {
    rows: [],
    totalRows: 0,
    problemRows: 0,
    exampleRowSkipped: false,
    fileProblem: null,
  }
  let keys: (BulkColumnKey | null)[] | null = null
  const columns: Partial<Record<BulkColumnKey, string>> = {}
  let sawVersion = false
  let sawDataRow = false
  const seen = new Map<string, number>()
  for (const [index, record] of records.entries()) {
    const rowNumber = index + 1
    if (record.every((cell) => cell.trim() === '')) continue
    if (!keys) {
      const first = (record[0] ?? '').trim()
      if (!sawVersion && /^version:/i.test(first)) {
        if (first.toLowerCase() !== templateVersionRow) {
          preview.fileProblem = { kind: 'version', rowNumber, value: first }
          return preview
        }
        sawVersion = true
        continue
      }
      keys = record.map((cell) => {
        const key = /\[([A-Za-z]+)\]/.exec(cell)?.[1]?.toLowerCase()
        return templateColumnKeys.find((known) => known.toLowerCase() === key) ?? null
      })
      if (!keys.includes('inviteeEmail')) {
        preview.fileProblem = { kind: 'no_header', rowNumber }
        return preview
      }
      keys.forEach((key, column) => {
        if (key && columns[key] === undefined) columns[key] = columnName(key, record[column] ?? '')
      })
      continue
    }
    const values: Partial<Record<BulkColumnKey, string>> = {}
    keys.forEach((key, column) => {
      if (key && values[key] === undefined) values[key] = (record[column] ?? '').trim()
    })
    const email = values.inviteeEmail ?? ''
    if (!sawDataRow && /^example\b/i.test(email)) {
      sawDataRow = true
      preview.exampleRowSkipped = true
      continue
    }
    sawDataRow = true
    const problem = judgeRow(values, rowNumber, seen, (key) => columns[key] ?? columnName(key))
    preview.totalRows += 1
    if (problem) preview.problemRows += 1
    if (preview.rows.length < limit)
      preview.rows.push({ rowNumber, email, displayName: values.displayName ?? '', problem })
  }
  if (openQuote) preview.fileProblem = { kind: 'open_quote', rowNumber: records.length }
  else if (!keys) preview.fileProblem = { kind: 'no_header', rowNumber: records.length || 1 }
  return preview
}

function judgeRow(
  values: Partial<Record<BulkColumnKey, string>>,
  rowNumber: number,
  seen: Map<string, number>,
  column: (key: BulkColumnKey) => string,
): BulkPreviewProblem | null {
  const email = values.inviteeEmail ?? ''
  const problem = (
    code: BulkRowReason,
    check: BulkRowCheck,
    key: BulkColumnKey,
    extra: Partial<BulkPreviewProblem> = {},
  ): BulkPreviewProblem => ({ code, check, column: column(key), value: values[key] ?? '', ...extra })
  if (email === '') return problem('invalid_email', 'emailMissing', 'inviteeEmail')
  if (!isValidEmail(email)) return problem('invalid_email', 'emailInvalid', 'inviteeEmail')
  const sendEmail = (values.sendEmail ?? '').toLowerCase()
  if (sendEmail !== '' && sendEmail !== 'true' && sendEmail !== 'false')
    return problem('invalid_value', 'sendEmail', 'sendEmail')
  if (values.usageLocation && !usageLocationRegex.test(values.usageLocation))
    return problem('invalid_value', 'usageLocation', 'usageLocation')
  if ((values.displayName ?? '').length > constraints.displayNameMaxLength)
    return problem('invalid_value', 'tooLong', 'displayName', { max: constraints.displayNameMaxLength })
  if ((values.customizedMessageBody ?? '').length > constraints.messageMaxLength)
    return problem('invalid_value', 'tooLong', 'customizedMessageBody', { max: constraints.messageMaxLength })
  const key = email.toLowerCase()
  const first = seen.get(key)
  if (first !== undefined)
    return problem('duplicate_in_file', 'duplicate', 'inviteeEmail', { duplicateOf: first })
  seen.set(key, rowNumber)
  return null
}
