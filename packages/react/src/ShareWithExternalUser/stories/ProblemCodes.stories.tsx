import type { ShareErrorCode } from '@entra-share/client'
import type { ProblemCode } from '@entra-share/contracts'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, waitFor, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { defaultShareStrings } from '../strings.js'
import {
  expectFocused,
  expectStatus,
  fillAndShare,
  findAlert,
  formReady,
  storyTarget,
} from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/**
 * One story per problem code the BFF can answer, plus the client codes (`network_error`, `sign_in_required`,
 * `interaction_in_progress`): each shows its sentence in the focused error summary, with the request id.
 */
const meta = {
  title: 'ShareWithExternalUser/Problem codes',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const throttlingCodes: ProblemCode[] = [
  'rate_limited',
  'invitation_quota_exceeded',
  'graph_throttled',
  'idempotency_in_progress',
]

/** Asserts the error summary of `code` after a submission (the config has loaded unless told otherwise). */
async function expectProblem(
  canvasElement: HTMLElement,
  onError: unknown,
  code: ShareErrorCode,
  { requestId = true, configLoads = true } = {},
): Promise<HTMLElement> {
  if (configLoads) await formReady(canvasElement)
  await fillAndShare(canvasElement)
  const alert = await findAlert(canvasElement)
  await waitFor(() => expect(alert).toHaveAttribute('data-code', code))
  await expect(alert).toHaveTextContent(defaultShareStrings.errors[code])
  if (requestId) await expect(alert).toHaveTextContent(`Reference: req-${code}`)
  await expectFocused(alert)
  await expectStatus(canvasElement, 'error')
  await expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }))
  return alert
}

function problemStory(code: ProblemCode): Story {
  return {
    parameters: { bff: { scenario: code, options: { retryAfterSeconds: 30 } } },
    play: async ({ canvasElement, args }) => {
      const alert = await expectProblem(canvasElement, args.onError, code)
      const canvas = within(canvasElement)
      if (throttlingCodes.includes(code))
        await expect(canvas.getByRole('button', { name: /^Try again in \d+ s$/ })).toBeDisabled()
      if (code === 'consent_required')
        await expect(within(alert).getByRole('link', { name: 'Open the consent page' })).toHaveAttribute(
          'href',
          'https://login.microsoftonline.com/tenant-0001/adminconsent',
        )
      if (code === 'domain_not_allowed' || code === 'already_member')
        await expect(canvas.getByLabelText('Email address')).toHaveAttribute('aria-invalid', 'true')
      if (code === 'preset_not_allowed')
        await expect(canvas.getByLabelText('Access')).toHaveAttribute('aria-invalid', 'true')
    },
  }
}

export const InvalidRequest = problemStory('invalid_request')
export const Unauthenticated = problemStory('unauthenticated')
export const InsufficientScope = problemStory('insufficient_scope')
/** The token re-acquired with the challenge's claims was refused again. */
export const ClaimsChallenge = problemStory('claims_challenge')
/** A valid token from a tenant the BFF does not allow: 403, not a sign-in loop. */
export const TenantNotAllowed = problemStory('tenant_not_allowed')
export const ConsentRequired = problemStory('consent_required')
export const Forbidden = problemStory('forbidden')
export const FollowUpForbidden = problemStory('follow_up_forbidden')
export const NotFound = problemStory('not_found')
export const MessageLinksNotAllowed = problemStory('message_links_not_allowed')
export const RedirectUrlNotAllowed = problemStory('redirect_url_not_allowed')
export const DomainNotAllowed = problemStory('domain_not_allowed')
export const PresetNotAllowed = problemStory('preset_not_allowed')
export const AlreadyMember = problemStory('already_member')
export const GuestInvitesDisabled = problemStory('guest_invites_disabled')
export const BlockedByTenantPolicy = problemStory('blocked_by_tenant_policy')
export const RateLimited = problemStory('rate_limited')
export const InvitationQuotaExceeded = problemStory('invitation_quota_exceeded')
export const GraphThrottled = problemStory('graph_throttled')
export const UpstreamUnavailable = problemStory('upstream_unavailable')
export const UpstreamError = problemStory('upstream_error')
export const IdempotencyConflict = problemStory('idempotency_conflict')
export const IdempotencyInProgress = problemStory('idempotency_in_progress')
export const PayloadTooLarge = problemStory('payload_too_large')
export const UriTooLong = problemStory('uri_too_long')
export const InternalError = problemStory('internal_error')

/** Client code: the BFF could not be reached. */
export const NetworkError: Story = {
  parameters: { bff: { scenario: 'networkError' } },
  play: async ({ canvasElement, args }) => {
    await expectProblem(canvasElement, args.onError, 'network_error', { requestId: false })
  },
}

/** Client code: nobody is signed in to MSAL. */
export const SignInRequired: Story = {
  parameters: { msal: { account: null } },
  play: async ({ canvasElement, args }) => {
    await expectProblem(canvasElement, args.onError, 'sign_in_required', {
      requestId: false,
      configLoads: false,
    })
  },
}

/** Client code: another MSAL interaction is open; Try again works once it is over. */
export const InteractionInProgress: Story = {
  parameters: { msal: { silent: ['token', 'interaction_in_progress', 'token'] } },
  play: async ({ canvasElement, args }) => {
    await expectProblem(canvasElement, args.onError, 'interaction_in_progress', { requestId: false })
    await expect(within(canvasElement).getByRole('button', { name: 'Try again' })).toBeEnabled()
  },
}
