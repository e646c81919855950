import type { ShareErrorCode } from '@entra-share/client'
import type { BulkRowReason } from '@entra-share/contracts'
import type { PluralText } from '../format.js'
import type { BulkRowCheck } from './parse-bulk-preview.js'

/**
 * Every user-facing text of `<BulkInvite>`, in English. `{name}` placeholders are filled in (numbers already
 * formatted for the reader's locale); a {@link PluralText} (`previewCaption` by `{count}`, `previewSummary` and
 * `announceStarted` by `{total}`, `etaMinutes` by `{minutes}`, `etaHours` by `{hours}`) may give one template per
 * plural category of that number. Override any of them through the `strings` prop; other languages come as packs
 * (`@entra-share/react/locales/<tag>`, given to `<EntraShareLocaleProvider>`).
 */
export const defaultBulkStrings = {
  title: 'Invite guests from a file',
  intro:
    'Use the bulk-invite template from the Microsoft Entra admin center: one guest per row, the first two rows as they download.',
  fileLabel: 'CSV file',
  fileHint: 'Choose the file, or drop it here.',
  dropActive: 'Drop the file to preview it.',
  previewCaption: {
    one: 'The first row of {fileName}',
    other: 'The first {count} rows of {fileName}',
  } as PluralText,
  previewSummary: {
    one: '{total} row to invite · {problems} with problems',
    other: '{total} rows to invite · {problems} with problems',
  } as PluralText,
  exampleSkipped: 'The template’s example row will be skipped.',
  columnRow: 'Row',
  columnEmail: 'Email address',
  columnName: 'Name',
  columnProblem: 'Problem',
  noProblem: 'Ready',
  /**
   * The preview's row problems, one sentence each saying what is wrong and where, worded as the BFF's row details:
   * `{column}` is the column's header name, `{row}` the row, `{value}` the cell (cut short), `{max}` a length limit,
   * `{first}` the earlier row with the same address.
   */
  rowProblems: {
    emailMissing: '{column} is empty (row {row}).',
    emailInvalid: "{column} is not a valid email address (row {row}: '{value}').",
    sendEmail: "{column} must be true or false (row {row}: '{value}').",
    usageLocation: "{column} must be a two-letter country code such as GB (row {row}: '{value}').",
    tooLong: "{column} is longer than {max} characters (row {row}: '{value}').",
    duplicate: "{column} repeats row {first}, which is the one invited (row {row}: '{value}').",
  } satisfies Record<BulkRowCheck, string>,
  fileVersion: 'Row {row} says “{value}”; only the portal template “version:v1.0” is supported.',
  fileNoHeader: 'Row {row} is not the template’s header row: no column has “[inviteeEmail]” in its name.',
  fileOpenQuote: 'A quoted cell near row {row} is never closed; check the quotes in that row.',
  filePreviewNote: 'The server checks the file again when you start.',
  start: 'Start inviting',
  uploading: 'Uploading…',
  chooseAnother: 'Choose another file',
  progressLabel: 'Invitations',
  progress: '{invited} of {total} invited · {failed} failed',
  etaSeconds: 'less than a minute left',
  etaMinutes: 'about {minutes} min left' as PluralText,
  etaHours: 'about {hours} h {minutes} min left' as PluralText,
  refusedTitle: 'Rows refused at upload',
  refusedMore: 'The results file lists every refused row.',
  pausedTitle: 'Sign in again to continue',
  pausedText: 'The invitations are paused until you sign in again. Nothing is lost.',
  signIn: 'Sign in to continue',
  cancel: 'Cancel the remaining invitations',
  cancelling: 'Cancelling…',
  completedTitle: 'Invitations finished',
  completedText: '{invited} invited · {failed} failed.',
  cancelledTitle: 'Invitations cancelled',
  cancelledText: '{invited} invited · {failed} failed · {cancelled} not sent.',
  download: 'Download results',
  downloaded: 'Results downloaded.',
  again: 'Invite from another file',
  errorTitle: 'The invitations could not go on',
  refusedFileTitle: 'The file was not accepted',
  requestId: 'Reference: {requestId}',
  announceStarted: { one: 'Inviting {total} guest.', other: 'Inviting {total} guests.' } as PluralText,
  announceCompleted: 'Invitations finished: {invited} invited, {failed} failed.',
  announceCancelled: 'Invitations cancelled: {invited} invited, {failed} failed.',
  announcePaused: 'Invitations paused: sign in again to continue.',
  /**
   * A sentence per row failure code (the contracts' `bulkRowReasonCatalogue`), for a row refused at upload that
   * comes without the server's detail; the detail, which says where, is shown when there is one.
   */
  rowReasons: {
    invalid_email: 'The email address is missing or not valid.',
    invalid_value: 'A cell holds a value the column does not accept.',
    duplicate_in_file: 'The address appears earlier in the same file; it is invited once.',
  } as Partial<Record<BulkRowReason, string>>,
  /** For a failure code without a sentence of its own below. */
  errorFallback: 'Something went wrong. Try again later.',
  /**
   * The failures a file upload, a poll, cancel or download can meet, worded as the share messages are (a copy, not
   * an import: the single-invite strings would double this bundle's text).
   */
  errors: {
    invalid_request: 'The file is not the bulk-invite template.',
    payload_too_large: 'The file is too large. Split it into smaller files.',
    unauthenticated: 'Your sign-in has expired. Sign in again and retry.',
    insufficient_scope: 'Your sign-in does not allow inviting guests. Ask your administrator for access.',
    consent_required: 'An administrator must approve this app before you can invite guests.',
    guest_invites_disabled: 'Your organization does not let you invite guests.',
    forbidden: 'You are not allowed to see this bulk invitation.',
    not_found: 'This bulk invitation no longer exists.',
    rate_limited: 'You have sent many invitations in a short time. Wait a moment, then try again.',
    upstream_unavailable: 'Microsoft Entra ID is unavailable right now. Try again in a few minutes.',
    internal_error: 'Something went wrong on the sharing service. Try again later.',
    network_error: 'The sharing service could not be reached. Check your connection and try again.',
    invalid_response: 'The sharing service answered unexpectedly. Try again later.',
    sign_in_required: 'Sign in to invite guests.',
    interaction_in_progress: 'A sign-in window is still open. Finish or close it, then try again.',
  } as Partial<Record<ShareErrorCode, string>>,
}

/** The strings of `<BulkInvite>`. */
export type BulkStrings = Omit<typeof defaultBulkStrings, 'errors' | 'rowReasons' | 'rowProblems'> & {
  rowProblems: Record<BulkRowCheck, string>
  rowReasons: Partial<Record<BulkRowReason, string>>
  errors: Partial<Record<ShareErrorCode, string>>
}

/** A partial override of {@link BulkStrings}; `errors`, `rowReasons` and `rowProblems` are merged key by key. */
export type BulkStringsOverride = Partial<Omit<BulkStrings, 'errors' | 'rowReasons' | 'rowProblems'>> & {
  errors?: Partial<Record<ShareErrorCode, string>>
  rowReasons?: Partial<Record<BulkRowReason, string>>
  rowProblems?: Partial<Record<BulkRowCheck, string>>
}

/** Merges an override onto the strings of a language (English by default). */
export function mergeBulkStrings(
  override?: BulkStringsOverride,
  base: BulkStrings = defaultBulkStrings,
): BulkStrings {
  if (!override) return base
  return {
    ...base,
    ...override,
    errors: { ...base.errors, ...override.errors },
    rowReasons: { ...base.rowReasons, ...override.rowReasons },
    rowProblems: { ...base.rowProblems, ...override.rowProblems },
  }
}

/** The sentence for a failure code: its own, else the fallback. */
export function errorText(strings: BulkStrings, code: string): string {
  return strings.errors[code as ShareErrorCode] ?? strings.errorFallback
}
