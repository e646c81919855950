import type { ShareErrorCode } from '@entra-share/client'
import type { PluralText } from '../format.js'

/**
 * A sentence for every failure code, catalogued (`@entra-share/contracts`) and client: what the components show for a
 * `ShareError` (`defaultShareStrings.errors`; `<GuestAccess>` shows the same sentences).
 */
export const defaultShareErrors = {
  invalid_request: 'Some details are not valid. Check the highlighted fields.',
  unauthenticated: 'Your sign-in has expired. Sign in again and retry.',
  insufficient_scope: 'Your sign-in does not allow inviting guests. Ask your administrator for access.',
  claims_challenge:
    'Additional verification (such as multi-factor authentication) is needed. Sign in again and retry.',
  tenant_not_allowed:
    "Your organization is not allowed to use this app's sharing. Contact the app's administrator.",
  consent_required: 'An administrator must approve this app before you can invite guests.',
  forbidden: 'You are not allowed to do this.',
  follow_up_forbidden:
    'The guest was invited, but this app may not finish setting them up yet. Your administrator has been told what to grant.',
  license_unavailable:
    'The guest was invited, but no licence is free to assign to them yet. Your administrator has been told to add licences.',
  removal_forbidden:
    "The guest's access could not be removed yet: this app lacks a permission. Your administrator was told what to grant.",
  not_found: 'The sharing service could not find what was asked for.',
  redirect_url_not_allowed: 'This app is not set up to send guests to this page. Contact your administrator.',
  message_links_not_allowed: 'Links are not allowed in the personal message. Remove the link and try again.',
  domain_not_allowed: 'Invitations to this email domain are not allowed.',
  preset_not_allowed: 'You cannot give access to this group. Choose another option.',
  already_member: 'This person is already a member of your organization; no invitation is needed.',
  reason_required: 'This access needs approval. Say why the person needs it.',
  access_days_not_allowed: 'That is longer than this access may last. Choose fewer days.',
  approval_required: 'This access needs approval: invite this person on their own.',
  approval_not_allowed: 'You cannot decide on this request.',
  approval_already_decided: 'This request has already been decided.',
  approval_in_progress: 'Another approver is approving this request. Wait a moment.',
  invitation_not_active: 'This invitation no longer gives any access.',
  extension_not_allowed: 'This access cannot be extended again.',
  guest_invites_disabled: 'Your organization does not let you invite guests.',
  blocked_by_tenant_policy: "Your organization's external collaboration settings block this address.",
  rate_limited: 'You have sent many invitations in a short time. Wait a moment, then try again.',
  invitation_quota_exceeded:
    'You have reached the number of invitations allowed per hour. Try again when the countdown ends.',
  graph_throttled: 'Microsoft is busy. Wait a moment, then try again.',
  upstream_unavailable: 'Microsoft Entra ID is unavailable right now. Try again in a few minutes.',
  upstream_error: 'Microsoft refused the invitation.',
  idempotency_conflict: 'This invitation changed while it was being sent. Share again.',
  idempotency_in_progress: 'This invitation is still being sent. Wait a moment.',
  payload_too_large: 'The invitation is too large. Shorten the personal message.',
  uri_too_long:
    'The sharing service could not read the request. Try again; if it persists, contact your administrator.',
  internal_error: 'Something went wrong on the sharing service. Try again later.',
  network_error: 'The sharing service could not be reached. Check your connection and try again.',
  invalid_response: 'The sharing service answered unexpectedly. Try again later.',
  sign_in_required: 'Sign in to invite guests.',
  interaction_in_progress: 'A sign-in window is still open. Finish or close it, then try again.',
} satisfies Record<ShareErrorCode, string>

/**
 * Every user-facing text of `<ShareWithExternalUser>` and `<ShareButton>`, in English. `{name}` placeholders are
 * filled in; a {@link PluralText} (`waiting`, `tooLong`, `successStepsToDo`, `accessDaysHint`…) may give one
 * template per plural category of its number. Override any of them through the `strings` prop; other languages come
 * as packs (`@entra-share/react/locales/<tag>`, given to `<EntraShareLocaleProvider>`).
 */
export const defaultShareStrings = {
  title: 'Share with an external user',
  intro: 'Invite someone outside your organization. They get a link to accept the invitation.',
  emailLabel: 'Email address',
  emailHint: 'For example ada@fabrikam.com',
  displayNameLabel: 'Name',
  displayNameHint: 'How they appear in your directory (optional).',
  presetLabel: 'Access',
  presetNone: 'No group',
  // What the chosen preset asks for, under the Access field; `presetAccessDays` by `{days}`.
  presetNeedsApproval: 'An approver decides before the invitation is sent.',
  presetAccessDays: {
    one: 'Access ends after {days} day.',
    other: 'Access ends after {days} days.',
  } as PluralText,
  // The days of access a request asks for, shown for a preset with `accessDays`; empty is the preset's days.
  accessDaysLabel: 'Access for (days)',
  accessDaysHint: {
    one: 'Up to {days} day; leave empty for {days}.',
    other: 'Up to {days} days; leave empty for {days}.',
  } as PluralText,
  accessDaysInvalid: {
    one: 'Enter 1, or leave it empty.',
    other: 'Enter a whole number from 1 to {days}, or leave it empty.',
  } as PluralText,
  reasonLabel: 'Reason for access',
  reasonHint: 'The approvers read this before they decide.',
  reasonRequired: 'Say why this person needs access.',
  messageLabel: 'Personal message (optional)',
  messageHintNoLinks: 'Links are not allowed in the message.',
  messageHintAllowedLinks: 'Links may only go to {origins}.',
  submit: 'Share',
  submitting: 'Sharing…',
  retry: 'Try again',
  waiting: 'Try again in {seconds} s' as PluralText,
  emailRequired: 'Enter an email address.',
  emailInvalid: 'Enter an email address like name@example.com.',
  tooLong: 'Use at most {max} characters.' as PluralText,
  validationSummary: 'Check the highlighted fields.',
  errorTitle: 'The invitation was not sent',
  requestId: 'Reference: {requestId}',
  consentLink: 'Open the consent page',
  successTitleEmailed: 'Invitation sent',
  successTitleLink: 'Invitation ready to share',
  successEmailedByMicrosoft: 'Microsoft emailed an invitation to {email}.',
  successEmailedByApp: 'An invitation was emailed to {email}.',
  successSendLink: 'No email was sent: send this link to {email} yourself.',
  successPartial: 'Some access is still being set up and will finish shortly.',
  // The follow-up steps of the success view: `…Done` when it succeeded, `…ToDo` inside `stepToDo` otherwise.
  addToGroupDone: 'Added to {preset}',
  addToGroupToDo: 'add to {preset}',
  stepAnyGroup: 'a group',
  updateAttributesDone: 'Name and location set',
  updateAttributesToDo: 'set name and location',
  assignLicenseDone: 'Licence assigned',
  assignLicenseToDo: 'assign a licence',
  assignAppRoleDone: 'App access granted',
  assignAppRoleToDo: 'grant app access',
  stepToDo: 'Still to do: {step} — {reason}',
  stepRetried: 'It will be retried automatically.',
  stepFailed: 'It will not be retried. Contact your administrator.',
  successStepsToDo: 'Steps still to do: {count}.' as PluralText,
  redeemUrlLabel: 'Invitation link',
  copy: 'Copy link',
  copied: 'Link copied',
  copyFailed: 'Copy failed: select the link and copy it.',
  objectIdLabel: 'Object id',
  shareAnother: 'Share with someone else',
  // The waiting view, after sharing with a preset that needs an approval (nothing was sent yet).
  pendingTitle: 'Waiting for approval',
  pendingText: 'Nothing was sent to {email} yet: the invitation goes out once an approver approves it.',
  pendingApproversLabel: 'Who decides',
  pendingDeadlineLabel: 'Decision needed by',
  pendingDeadlineNote: 'If nobody decides by then, the request is denied.',
  pendingReasonLabel: 'Your reason',
  openButton: 'Share…',
  dialogTitle: 'Share with an external user',
  close: 'Close',
  errors: defaultShareErrors,
}

/** The strings of the share components. */
export type ShareStrings = Omit<typeof defaultShareStrings, 'errors'> & {
  errors: Record<ShareErrorCode, string>
}

/** A partial override of {@link ShareStrings}; `errors` is merged code by code. */
export type ShareStringsOverride = Partial<Omit<ShareStrings, 'errors'>> & {
  errors?: Partial<Record<ShareErrorCode, string>>
}

/** Merges an override onto the strings of a language (English by default). */
export function mergeShareStrings(
  override?: ShareStringsOverride,
  base: ShareStrings = defaultShareStrings,
): ShareStrings {
  if (!override) return base
  return { ...base, ...override, errors: { ...base.errors, ...override.errors } }
}
