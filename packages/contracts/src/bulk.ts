import { type Static, Type } from '@sinclair/typebox'
import { type ProblemCode, problemCodes } from './problems.js'

/**
 * Bulk invitations (`/api/bulk-invitations`): the Entra admin portal's bulk-invite CSV template, the columns
 * entra-share adds to it, and the job and row shapes the BFF answers with.
 */

/** The portal template's first row, as it downloads. */
export const bulkTemplateVersionRow = 'version:v1.0'

/**
 * The column keys, found in the `[key]` brackets of the header row, so column order and the text around the
 * brackets do not matter. The first four are the portal's own; the rest are entra-share's extended template.
 */
export const bulkColumnKeys = [
  'inviteeEmail',
  'inviteRedirectURL',
  'sendEmail',
  'customizedMessageBody',
  'displayName',
  'presetId',
  'usageLocation',
] as const
export type BulkColumnKey = (typeof bulkColumnKeys)[number]

/**
 * The header row of the portal's template, then the extended template's extra headers.
 *
 * @example
 * const csv = ['version:v1.0', [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended].join(',')].join('\n')
 */
export const bulkTemplateHeaders = {
  portal: [
    'Email address to invite [inviteeEmail] Required',
    'Redirection url [inviteRedirectURL] Required',
    'Send invitation message (true or false) [sendEmail]',
    'Customized invitation message [customizedMessageBody]',
  ],
  extended: ['Display name [displayName]', 'Group preset [presetId]', 'Usage location [usageLocation]'],
} as const

/**
 * A column's name as a person reads it in a row problem: its header cell (`header`, as the file has it) without the
 * `[key]`, the `(…)` hint and `Required`; the template's own header for `key` when the file's is not given; the key
 * or the header as written when nothing is left.
 *
 * @example
 * bulkColumnName('sendEmail', 'Send invitation message (true or false) [sendEmail]') // 'Send invitation message'
 * bulkColumnName('usageLocation') // 'Usage location'
 * bulkColumnName(null, 'Notes [x]') // 'Notes'
 */
export function bulkColumnName(key: BulkColumnKey | null, header?: string): string {
  const cell =
    header ??
    [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended].find((template) =>
      template.includes(`[${key}]`),
    ) ??
    ''
  const name = cell
    .replace(/\[[^\]]*\]|\([^)]*\)|\bRequired\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return name || key || cell.trim()
}

/**
 * Reasons a row can fail that have no problem code of their own (found while reading the file). Every other row
 * failure carries the catalogued problem code of what went wrong (`domain_not_allowed`, `already_member`, …). These
 * sentences stand for the code alone; a row's `detail` says which column, which value and which row.
 */
export const bulkRowReasonCatalogue = {
  invalid_email: 'The email address is missing or not valid.',
  invalid_value: 'A cell holds a value the column does not accept.',
  duplicate_in_file: 'The address appears earlier in the same file; it is invited once.',
} as const satisfies Record<string, string>

/** A row failure's code: a catalogued problem code, or one of {@link bulkRowReasonCatalogue}. */
export type BulkRowReason = ProblemCode | keyof typeof bulkRowReasonCatalogue

/** Every row reason code, problem codes first. */
export const bulkRowReasons = [
  ...problemCodes,
  ...(Object.keys(bulkRowReasonCatalogue) as (keyof typeof bulkRowReasonCatalogue)[]),
] as BulkRowReason[]

export const BulkJobStatus = Type.Union(
  [
    Type.Literal('running'),
    Type.Literal('paused_reauth'),
    Type.Literal('completed'),
    Type.Literal('cancelled'),
  ],
  {
    description:
      '`paused_reauth`: the inviter’s token can no longer be used On-Behalf-Of; any authenticated call of the ' +
      'inviter to this API (for example polling the job) resumes it.',
  },
)
export type BulkJobStatus = Static<typeof BulkJobStatus>

export const BulkRowStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('invited'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
])
export type BulkRowStatus = Static<typeof BulkRowStatus>

/** A row refused while reading the file. */
export const BulkRowProblem = Type.Object({
  /** The row's number in the file as a spreadsheet shows it (the version row is 1, the header row 2). */
  rowNumber: Type.Integer({ minimum: 1 }),
  email: Type.Union([Type.String(), Type.Null()]),
  code: Type.Union(bulkRowReasons.map((code) => Type.Literal(code))),
  detail: Type.String(),
})
export type BulkRowProblem = Static<typeof BulkRowProblem>

/** The state of a bulk job: `202` of the upload, `GET /api/bulk-invitations/{id}`, and cancel. */
export const BulkJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: BulkJobStatus,
  /** How Graph is called: On-Behalf-Of the inviter (`delegated`) or with the app's own token (`app`). */
  mode: Type.Union([Type.Literal('delegated'), Type.Literal('app')]),
  invitedBy: Type.Object({
    tenantId: Type.String(),
    objectId: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  /** Data rows in the file (the example row not counted). */
  totalRows: Type.Integer({ minimum: 0 }),
  counts: Type.Object({
    pending: Type.Integer({ minimum: 0 }),
    sending: Type.Integer({ minimum: 0 }),
    invited: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    cancelled: Type.Integer({ minimum: 0 }),
  }),
  /** Rows finished per second over the last minute. */
  ratePerSecond: Type.Number({ minimum: 0 }),
  /** Seconds until the remaining rows are done at that rate; `null` when unknown or finished. */
  etaSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** The rows refused while reading the file (the first 100; every row is in the results CSV). */
  rejectedRows: Type.Array(BulkRowProblem),
  /** `true` when the file had the portal template's example row, which was skipped. */
  exampleRowSkipped: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
export type BulkJob = Static<typeof BulkJob>

/** The columns of `GET /api/bulk-invitations/{id}/results.csv`, after the input columns. */
export const bulkResultColumns = ['status', 'reason', 'detail', 'invitedUserId', 'inviteRedeemUrl'] as const
