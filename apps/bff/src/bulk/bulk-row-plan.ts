import {
  type BulkColumnKey,
  type BulkRowReason,
  bulkColumnName,
  bulkRowReasonCatalogue,
  type CreateInvitationRequest,
  constraints,
  isValidEmail,
  type ProblemCode,
} from '@entra-share/contracts'
import type { BffConfig } from '../config.js'
import type { Caller } from '../identity/caller.js'
import { planInvitation } from '../invitations/preflight.js'
import type { GuestAttributes } from '../invitations/types.js'
import { isProblemError } from '../platform/problem-error.js'
import { quoteInput } from '../platform/storable-text.js'

/** What the worker sends for one row: stored with the row, so a restart needs nothing else. */
export interface BulkRowPlan {
  email: string
  redirectUrl: string
  displayName: string | null
  message: string | null
  sendInvitationMessage: boolean
  /** Whether the row asked for an email (the BFF sends its own in email mode `smtp`); absent in older plans: `true`. */
  sendEmail?: boolean
  /** The preset the row named; absent in older plans. */
  presetId?: string | null
  groupIds: string[]
  attributes: GuestAttributes
}

/** A row judged: its plan, or why it is refused. */
export type BulkRowVerdict =
  | { ok: true; plan: BulkRowPlan }
  | { ok: false; code: BulkRowReason; detail: string }

/** Where a row sits in its file, so a refusal can say where: its number and the file's header cells by key. */
export interface BulkRowPlace {
  /** The row's number as a spreadsheet shows it (the version row is 1, the header row 2). */
  rowNumber: number
  /** The header cell of each known column, as the file has it; the template's header stands in for a missing one. */
  headers?: Partial<Record<BulkColumnKey, string>>
}

type PlanConfig = Pick<
  BffConfig,
  'redirectOrigins' | 'defaultRedirectUrl' | 'allowedDomains' | 'blockedDomains' | 'presets' | 'emailMode'
> &
  /** The message link policy, applied by `planInvitation` (absent: `none`). */
  Partial<Pick<BffConfig, 'messageLinks'>>

const USAGE_LOCATION = new RegExp(constraints.usageLocationPattern)

/**
 * Judges one CSV row with the same pre-flight rules as a single invitation (`planInvitation`: redirect allowlist,
 * domain rules, presets the caller may use), plus the checks a file needs: the address, the `sendEmail` flag
 * (`true`/`false`, empty meaning `true` as in the portal), the usage location, the message length. Empty cells mean
 * "not given": the default redirect URL, no preset. A row with a cell that held a NUL or an unpaired surrogate
 * (`unstorable`: those cells' headers, from `readBulkCsv`) is refused as `invalid_value` before anything else.
 *
 * A refusal's detail is one sentence that says what is wrong and where: the column by its header's name, then the
 * row and the value, e.g. "Send invitation message must be true or false (row 6: 'yes')." Values are quoted through
 * `quoteInput` (storable, control characters hidden, cut short with an ellipsis).
 *
 * @example
 * planBulkRow(config, caller, { inviteeEmail: 'ada@fabrikam.example', sendEmail: 'false' })
 * // { ok: true, plan: { email: 'ada@fabrikam.example', sendInvitationMessage: false, … } }
 * planBulkRow(config, caller, { inviteeEmail: 'ada@fabrikam.example', sendEmail: 'yes' }, [], { rowNumber: 6 })
 * // { ok: false, code: 'invalid_value', detail: "Send invitation message must be true or false (row 6: 'yes')." }
 */
export function planBulkRow(
  config: PlanConfig,
  caller: Pick<Caller, 'roles'>,
  values: Partial<Record<BulkColumnKey, string>>,
  unstorable: readonly string[] = [],
  place?: BulkRowPlace,
): BulkRowVerdict {
  const column = (key: BulkColumnKey) => bulkColumnName(key, place?.headers?.[key])
  const where = (value?: string) => {
    const text = bulkRowWhere(place?.rowNumber, value)
    return text && ` ${text}`
  }
  if (unstorable.length > 0) {
    const columns = listOf(unstorable.map((header) => quoteInput(bulkColumnName(null, header), 80)))
    return refuse(
      `${columns} ${unstorable.length === 1 ? 'holds' : 'hold'} a character that cannot be stored, a NUL or an ` +
        `unpaired surrogate${where()}.`,
    )
  }
  const email = values.inviteeEmail ?? ''
  if (!isValidEmail(email)) {
    return {
      ok: false,
      code: 'invalid_email',
      detail:
        email === ''
          ? `${column('inviteeEmail')} is empty${where()}.`
          : `${column('inviteeEmail')} is not a valid email address${where(email)}.`,
    }
  }
  const sendEmail = parseSendEmail(values.sendEmail)
  if (sendEmail === undefined) {
    return refuse(`${column('sendEmail')} must be true or false${where(values.sendEmail ?? '')}.`)
  }
  const usageLocation = values.usageLocation || undefined
  if (usageLocation !== undefined && !USAGE_LOCATION.test(usageLocation)) {
    return refuse(
      `${column('usageLocation')} must be a two-letter country code such as GB${where(usageLocation)}.`,
    )
  }
  const message = values.customizedMessageBody || undefined
  if (message !== undefined && message.length > constraints.messageMaxLength) {
    return refuse(
      `${column('customizedMessageBody')} is longer than ${constraints.messageMaxLength} characters${where(message)}.`,
    )
  }
  const request: CreateInvitationRequest = {
    email,
    ...(values.inviteRedirectURL ? { redirectUrl: values.inviteRedirectURL } : {}),
    ...(values.displayName ? { displayName: values.displayName } : {}),
    ...(values.presetId ? { presetId: values.presetId } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(usageLocation !== undefined ? { attributes: { usageLocation: usageLocation.toUpperCase() } } : {}),
  }
  try {
    const plan = planInvitation(config, caller, request)
    return {
      ok: true,
      plan: {
        email: plan.email,
        redirectUrl: plan.redirectUrl,
        displayName: plan.displayName,
        message: plan.message,
        // In the other email modes Microsoft's email is suppressed, as for single invitations.
        sendInvitationMessage: config.emailMode === 'microsoft' && sendEmail,
        sendEmail,
        presetId: plan.preset?.id ?? null,
        groupIds: plan.groupIds,
        attributes: plan.attributes,
      },
    }
  } catch (error) {
    if (!isProblemError(error)) throw error
    // The pre-flight's sentence names what is refused (the domain, the preset, the link); add where.
    const key = policyColumns[error.code]
    const detail = error.message.replace(/\.$/, '')
    return { ok: false, code: error.code, detail: `${detail}${where(key ? values[key] : undefined)}.` }
  }
}

/**
 * The detail of a row whose address an earlier row already has (`duplicate_in_file`, decided by the caller, which
 * keeps the addresses seen).
 *
 * @example
 * duplicateRowDetail({ rowNumber: 12 }, 'ADA@fabrikam.example', 3)
 * // "Email address to invite repeats row 3, which is the one invited (row 12: 'ADA@fabrikam.example')."
 */
export function duplicateRowDetail(place: BulkRowPlace, email: string, firstRow: number): string {
  const column = bulkColumnName('inviteeEmail', place.headers?.inviteeEmail)
  return `${column} repeats row ${firstRow}, which is the one invited ${bulkRowWhere(place.rowNumber, email)}.`
}

/**
 * The header cell of each known column (the first, when a key appears twice), for {@link BulkRowPlace.headers}.
 *
 * @example
 * headersByKey({ columns: ['Email [inviteeEmail]', 'Notes'], keys: ['inviteeEmail', null] })
 * // { inviteeEmail: 'Email [inviteeEmail]' }
 */
export function headersByKey(header: {
  columns: readonly string[]
  keys: readonly (BulkColumnKey | null)[]
}): Partial<Record<BulkColumnKey, string>> {
  const headers: Partial<Record<BulkColumnKey, string>> = {}
  header.keys.forEach((key, index) => {
    if (key && headers[key] === undefined) headers[key] = header.columns[index]
  })
  return headers
}

/** The column each pre-flight refusal is about, so its detail can quote the cell. */
const policyColumns: Partial<Record<ProblemCode, BulkColumnKey>> = {
  domain_not_allowed: 'inviteeEmail',
  redirect_url_not_allowed: 'inviteRedirectURL',
  preset_not_allowed: 'presetId',
  message_links_not_allowed: 'customizedMessageBody',
}

/**
 * The "where" of a row problem: `(row 6: 'yes')`, `(row 6)` without a value, `('yes')` without a row number. The
 * value is quoted through `quoteInput` (at most 60 characters, an ellipsis marking the cut).
 *
 * @example
 * bulkRowWhere(6, 'yes') // "(row 6: 'yes')"
 */
export function bulkRowWhere(rowNumber: number | undefined, value?: string): string {
  const quoted = value === undefined ? undefined : `'${quoteInput(value)}'`
  if (rowNumber === undefined) return quoted === undefined ? '' : `(${quoted})`
  return quoted === undefined ? `(row ${rowNumber})` : `(row ${rowNumber}: ${quoted})`
}

function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function refuse(detail: string): BulkRowVerdict {
  return { ok: false, code: 'invalid_value', detail: detail || bulkRowReasonCatalogue.invalid_value }
}

function parseSendEmail(cell: string | undefined): boolean | undefined {
  const value = (cell ?? '').trim().toLowerCase()
  if (value === '' || value === 'true') return true
  if (value === 'false') return false
  return undefined
}
