import {
  bulkColumnKeys,
  bulkColumnName,
  bulkRowReasonCatalogue,
  bulkTemplateHeaders,
  bulkTemplateVersionRow,
} from '@entra-share/contracts'
import { describe, expect, it } from 'vitest'
import {
  columnName,
  parseCsv,
  previewBulkCsv,
  templateColumnKeys,
  templateVersionRow,
} from './parse-bulk-preview.js'
import { defaultBulkStrings } from './strings.js'

const header = [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended].join(',')
const template = (...rows: string[]) => [bulkTemplateVersionRow, header, ...rows].join('\r\n')

describe('the copies of the contracts’ template constants', () => {
  it('match the contracts', () => {
    expect(templateVersionRow).toBe(bulkTemplateVersionRow)
    expect(templateColumnKeys).toEqual(bulkColumnKeys)
    expect(defaultBulkStrings.rowReasons).toEqual(bulkRowReasonCatalogue)
    for (const key of bulkColumnKeys) expect(columnName(key)).toBe(bulkColumnName(key))
    for (const header of ['Guest e-mail [inviteeEmail] Required', 'Flag (yes/no) [sendEmail]', '[sendEmail]'])
      expect(columnName('sendEmail', header)).toBe(bulkColumnName('sendEmail', header))
  })
})

describe('parseCsv', () => {
  it('keeps quoted commas, newlines and doubled quotes in one cell', () => {
    expect(parseCsv('a,"b,c"\n"d\r\ne ""x""",f\n')).toEqual({
      records: [
        ['a', 'b,c'],
        ['d\r\ne "x"', 'f'],
      ],
      openQuote: false,
    })
  })

  it('drops a byte order mark and reports a quote left open', () => {
    expect(parseCsv('\uFEFFa,"b\nc')).toEqual({ records: [['a', 'b\nc']], openQuote: true })
  })
})

describe('previewBulkCsv', () => {
  it('reads the portal template: skips the version and example rows, numbers rows as a spreadsheet', () => {
    const preview = previewBulkCsv(
      template(
        'Example: someone@example.com,https://myapplications.microsoft.com,true,Hello,,,',
        'ada@fabrikam.example,,true,,Ada Lovelace,,GB',
      ),
    )
    expect(preview.exampleRowSkipped).toBe(true)
    expect(preview.fileProblem).toBeNull()
    expect(preview.totalRows).toBe(1)
    expect(preview.rows).toEqual([
      { rowNumber: 4, email: 'ada@fabrikam.example', displayName: 'Ada Lovelace', problem: null },
    ])
  })

  it('finds columns by their bracketed key, whatever the order and other text', () => {
    const preview = previewBulkCsv(
      'Name [displayName],Mail it [INVITEEEMAIL],Other\nAda,ada@fabrikam.example,x\n',
    )
    expect(preview.rows[0]).toMatchObject({ rowNumber: 2, email: 'ada@fabrikam.example', displayName: 'Ada' })
  })

  it('counts a quoted multi-line cell as one row and keeps the quoted comma in the name', () => {
    const preview = previewBulkCsv(
      template(
        'ada@fabrikam.example,,true,"Dear Ada,\nwelcome","Lovelace, Ada",,',
        'grace@fabrikam.example,,,,,,',
      ),
    )
    expect(preview.rows.map((row) => [row.rowNumber, row.displayName])).toEqual([
      [3, 'Lovelace, Ada'],
      [4, ''],
    ])
  })

  it('flags bad emails, bad values and duplicates (case-insensitive) with the row that has the address first', () => {
    const preview = previewBulkCsv(
      template(
        'ada@fabrikam.example,,,,,,',
        'not-an-address,,,,,,',
        ',,,,,,Bob',
        'ADA@fabrikam.example,,,,,,',
        'grace@fabrikam.example,,maybe,,,,',
        'linus@fabrikam.example,,,,,,Great Britain',
      ),
    )
    const email = 'Email address to invite'
    expect(preview.rows.map((row) => [row.rowNumber, row.problem])).toEqual([
      [3, null],
      [4, { code: 'invalid_email', check: 'emailInvalid', column: email, value: 'not-an-address' }],
      [5, { code: 'invalid_email', check: 'emailMissing', column: email, value: '' }],
      [
        6,
        {
          code: 'duplicate_in_file',
          check: 'duplicate',
          column: email,
          value: 'ADA@fabrikam.example',
          duplicateOf: 3,
        },
      ],
      [7, { code: 'invalid_value', check: 'sendEmail', column: 'Send invitation message', value: 'maybe' }],
      [
        8,
        { code: 'invalid_value', check: 'usageLocation', column: 'Usage location', value: 'Great Britain' },
      ],
    ])
    expect(preview.problemRows).toBe(5)
  })

  it('counts the whole file but keeps only the first rows', () => {
    const rows = Array.from({ length: 25 }, (_, index) => `guest${index}@fabrikam.example,,,,,,`)
    const preview = previewBulkCsv(template(...rows), 5)
    expect(preview.totalRows).toBe(25)
    expect(preview.rows).toHaveLength(5)
  })

  it('skips empty rows but keeps counting them', () => {
    const preview = previewBulkCsv(template('', ',,,,,,', 'ada@fabrikam.example,,,,,,'))
    expect(preview.rows.map((row) => row.rowNumber)).toEqual([5])
  })

  it('reports a file that is not the template', () => {
    expect(previewBulkCsv('version:v2.0\nx').fileProblem).toEqual({
      kind: 'version',
      rowNumber: 1,
      value: 'version:v2.0',
    })
    expect(previewBulkCsv('email,name\nada@fabrikam.example,Ada').fileProblem).toEqual({
      kind: 'no_header',
      rowNumber: 1,
    })
    expect(previewBulkCsv('').fileProblem).toEqual({ kind: 'no_header', rowNumber: 1 })
    expect(previewBulkCsv(template('"ada@fabrikam.example,,,,,,')).fileProblem).toEqual({
      kind: 'open_quote',
      rowNumber: 3,
    })
  })
})
