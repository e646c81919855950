import type { ShareErrorCode } from '@entra-share/client'
import type { BulkRowReason } from '@entra-share/contracts'

/**
 * Every user-facing text of `<BulkInvite>`. `{name}` placeholders are filled in (numbers already formatted for the
 * reader's locale); override any of them through the `strings` prop, for example to translate.
 */
export const defaultBulkStrings = {
  title: 'Invite guests from a file',
  intro:
    'Use the bulk-invite template from the Microsoft Entra admin center: one guest per row, the first two rows as they download.',
  fileLabel: 'CSV file',
  fileHint: 'Choose the file, or drop it here.',
  dropActive: 'Drop the file to preview it.',
  previewCaption: 'The first {count} rows of {fileName}',
  previewSummary: '{total} rows to invite · {problems} with problems',
  exampleSkipped: 'The template’s example row will be skipped.',
  columnRow: 'Row',
  columnEmail: 'Email address',
  columnName: 'Name',
  columnProblem: 'Problem',
  noProblem: 'Ready',
  duplicateOf: 'The address is already on row {row}; it is invited once.',
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
  etaMinutes: 'about {minutes} min left',
  etaHours: 'about {hours} h {minutes} min left',
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
  announceStarted: 'Inviting {total} guests.',
  announceCompleted: 'Invitations finished: {invited} invited, {failed} failed.',
  announceCancelled: 'Invitations cancelled: {invited} invited, {failed} failed.',
  announcePaused: 'Invitations paused: sign in again to continue.',
  /** Row failures found in the file (the contracts' `bulkRowReasonCatalogue`); for other codes the server's sentence. */
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
export type BulkStrings = Omit<typeof defaultBulkStrings, 'errors' | 'rowReasons'> & {
  rowReasons: Partial<Record<BulkRowReason, string>>
  errors: Partial<Record<ShareErrorCode, string>>
}

/** A partial override of {@link BulkStrings}; `errors` and `rowReasons` are merged code by code. */
export type BulkStringsOverride = Partial<Omit<BulkStrings, 'errors' | 'rowReasons'>> & {
  errors?: Partial<Record<ShareErrorCode, string>>
  rowReasons?: Partial<Record<BulkRowReason, string>>
}

/** Merges an override onto the defaults. */
export function mergeBulkStrings(override?: BulkStringsOverride): BulkStrings {
  if (!override) return defaultBulkStrings
  return {
    ...defaultBulkStrings,
    ...override,
    errors: { ...defaultBulkStrings.errors, ...override.errors },
    rowReasons: { ...defaultBulkStrings.rowReasons, ...override.rowReasons },
  }
}

/** The sentence for a failure code: its own, else the fallback. */
export function errorText(strings: BulkStrings, code: string): string {
  return strings.errors[code as ShareErrorCode] ?? strings.errorFallback
}
