import { type BulkRowReason, bulkRowReasonCatalogue } from '@entra-share/contracts'
import { defaultShareStrings } from '../ShareWithExternalUser/strings.js'
import type { ShareErrorCode } from '../share-error.js'

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
  /** Row failures: the file checks, then any problem code falls back to `errors`. */
  rowReasons: { ...bulkRowReasonCatalogue } as Partial<Record<BulkRowReason, string>>,
  errors: {
    ...defaultShareStrings.errors,
    invalid_request: 'The file is not the bulk-invite template.',
    payload_too_large: 'The file is too large. Split it into smaller files.',
    not_found: 'This bulk invitation no longer exists.',
    forbidden: 'You are not allowed to see this bulk invitation.',
  } satisfies Record<ShareErrorCode, string>,
}

/** The strings of `<BulkInvite>`. */
export type BulkStrings = Omit<typeof defaultBulkStrings, 'errors' | 'rowReasons'> & {
  rowReasons: Partial<Record<BulkRowReason, string>>
  errors: Record<ShareErrorCode, string>
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

/** The sentence for a row's failure code. */
export function rowReasonText(strings: BulkStrings, code: BulkRowReason): string {
  return strings.rowReasons[code] ?? strings.errors[code as ShareErrorCode] ?? code
}
