import {
  type BulkColumnKey,
  type BulkRowReason,
  bulkRowReasonCatalogue,
  type CreateInvitationRequest,
  constraints,
  isValidEmail,
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
 * Details quote the row's values through `quoteInput`: storable, control characters hidden, length bounded.
 *
 * @example
 * planBulkRow(config, caller, { inviteeEmail: 'ada@fabrikam.example', sendEmail: 'false' })
 * // { ok: true, plan: { email: 'ada@fabrikam.example', sendInvitationMessage: false, … } }
 */
export function planBulkRow(
  config: PlanConfig,
  caller: Pick<Caller, 'roles'>,
  values: Partial<Record<BulkColumnKey, string>>,
  unstorable: readonly string[] = [],
): BulkRowVerdict {
  if (unstorable.length > 0) {
    const columns = unstorable.map((column) => `'${quoteInput(column, 80)}'`).join(', ')
    return refuse(
      `The ${unstorable.length === 1 ? 'cell under' : 'cells under'} ${columns} ${unstorable.length === 1 ? 'holds' : 'hold'} ` +
        'a NUL or another invalid character (an unpaired surrogate), which cannot be stored; it is shown as U+FFFD. ' +
        'Remove it and upload the row again.',
    )
  }
  const email = values.inviteeEmail ?? ''
  if (!isValidEmail(email)) {
    return {
      ok: false,
      code: 'invalid_email',
      detail:
        email === ''
          ? 'The email address is missing.'
          : `'${quoteInput(email)}' is not a valid email address.`,
    }
  }
  const sendEmail = parseSendEmail(values.sendEmail)
  if (sendEmail === undefined) {
    return refuse(`The sendEmail cell must be true or false, not '${quoteInput(values.sendEmail ?? '')}'.`)
  }
  const usageLocation = values.usageLocation || undefined
  if (usageLocation !== undefined && !USAGE_LOCATION.test(usageLocation)) {
    return refuse(
      `The usage location must be a two-letter country code such as GB, not '${quoteInput(usageLocation)}'.`,
    )
  }
  const message = values.customizedMessageBody || undefined
  if (message !== undefined && message.length > constraints.messageMaxLength) {
    return refuse(`The invitation message is longer than ${constraints.messageMaxLength} characters.`)
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
    return { ok: false, code: error.code, detail: error.message }
  }
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
