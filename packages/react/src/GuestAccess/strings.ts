import type { ShareErrorCode } from '@entra-share/client'
import type { PluralText } from '../format.js'
import { defaultShareErrors } from '../ShareWithExternalUser/strings.js'

/**
 * Every user-facing text of `<GuestAccess>`, in English. `{guest}` is the guest's email address, `{date}` a date
 * written for the reader's locale (`Intl.DateTimeFormat`), `{name}` a person; `endsInDays` and `extendDaysHint` are
 * {@link PluralText}s by `{days}`. The `…Name` texts are the accessible names of the buttons and of the days field,
 * which say whose row they act on ("Remove ada@fabrikam.example"); the short text beside them is what is shown.
 * Failures are shown with the share components' sentences (`strings.errors`, the language pack's `share.errors`), one
 * per catalogued code. Override any of them through the `strings` prop; other languages come as packs
 * (`@entra-share/react/locales/<tag>`).
 */
export const defaultGuestAccessStrings = {
  titleMine: 'Your guests',
  titleAll: 'All guests',
  titleReviews: 'Guests to review',
  titleApprovals: 'Requests waiting for your approval',
  loading: 'Loading…',
  emptyMine: 'You have not invited anyone yet.',
  emptyAll: 'Nobody has been invited yet.',
  emptyReviews: 'No guest is waiting for your review.',
  emptyApprovals: 'No request is waiting for you.',
  columnGuest: 'Guest',
  columnStatus: 'Status',
  columnAccess: 'Access',
  columnRequest: 'Request',
  columnActions: 'Actions',
  statusInvited: 'Invited',
  statusAccepted: 'Accepted',
  statusPartial: 'Being set up',
  statusPendingApproval: 'Waiting for approval',
  statusDenied: 'Denied',
  statusRequestExpired: 'Nobody decided in time',
  statusRemoving: 'Removing access',
  statusRemoved: 'Removed',
  accessEnds: 'Access ends on {date}',
  endsInDays: { one: 'Ends in {days} day', other: 'Ends in {days} days' } as PluralText,
  endsToday: 'Ends today',
  accessNoEnd: 'No end date',
  accessExtended: 'Extended once',
  reviewDue: 'Review due by {date}: keep or remove?',
  reviewNext: 'Next review on {date}',
  removedOn: 'Removed on {date}',
  requestedBy: 'Asked by {name} on {date}',
  someone: 'someone',
  requestReason: 'Reason: {reason}',
  decideBy: 'Decide by {date}',
  decisionComment: 'Comment: {comment}',
  commentLabel: 'Comment (optional)',
  commentName: 'Comment on the request for {guest}',
  extend: 'Extend',
  extendName: 'Extend {guest}',
  extending: 'Extending…',
  remove: 'Remove',
  removeName: 'Remove {guest}',
  removing: 'Removing…',
  keep: 'Keep',
  keepName: 'Keep {guest}',
  keeping: 'Saving…',
  approve: 'Approve',
  approveName: 'Approve {guest}',
  approving: 'Approving…',
  deny: 'Deny',
  denyName: 'Deny {guest}',
  denying: 'Denying…',
  // Extend's confirm step: how many days to add, prefilled with the days first granted (`extendDaysHint` by {days}).
  confirmExtendTitle: 'Extend access for {guest}',
  confirmExtendText: 'Access can be extended once. The days are added to its end date, {date}.',
  extendDaysLabel: 'Days to add',
  extendDaysName: 'Days to add for {guest}',
  extendDaysHint: {
    one: 'Access was first given for {days} day.',
    other: 'Access was first given for {days} days.',
  } as PluralText,
  extendDaysInvalid: 'Enter a whole number from 1 to {days}.',
  confirmExtend: 'Extend access',
  confirmRemoveTitle: 'Remove {guest}?',
  confirmRemoveText:
    'They lose the groups and app access this app gave them, as when their access ends. This cannot be undone.',
  confirmRemove: 'Remove access',
  cancel: 'Cancel',
  loadMore: 'Load more',
  loadingMore: 'Loading more…',
  retry: 'Try again',
  errorTitle: 'The guests could not be loaded',
  requestId: 'Reference: {requestId}',
  announceExtended: 'Access for {guest} now ends on {date}.',
  announceRemoving: 'Removing access for {guest}.',
  announceKept: '{guest} keeps access.',
  announceApproved: 'Approved: {guest} is invited.',
  announceDenied: 'Denied the request for {guest}.',
  announceFailed: '{guest}: {message}',
}

/** The strings of `<GuestAccess>`; `errors` are the share components' sentences for each failure code. */
export type GuestAccessStrings = typeof defaultGuestAccessStrings

/** A partial override of {@link GuestAccessStrings}; `errors` is merged code by code onto the share sentences. */
export type GuestAccessStringsOverride = Partial<GuestAccessStrings> & {
  errors?: Partial<Record<ShareErrorCode, string>>
}

/** The strings and failure sentences of `<GuestAccess>`: the override over the language's, over English. */
export function mergeGuestAccessStrings(
  override: GuestAccessStringsOverride | undefined,
  base: GuestAccessStrings = defaultGuestAccessStrings,
  baseErrors: Record<ShareErrorCode, string> = defaultShareErrors,
): GuestAccessStrings & { errors: Record<ShareErrorCode, string> } {
  return { ...base, ...override, errors: { ...baseErrors, ...override?.errors } }
}
