import type { ShareError } from '@entra-share/client'
import type { CreatedInvitation, CreateInvitationRequest, PendingInvitation } from '@entra-share/contracts'
import { useCallback, useEffect, useRef, useState } from 'react'
import {
  type InviteExternalUser,
  type UseInviteExternalUserOptions,
  useInviteExternalUser,
} from '../useInviteExternalUser.js'

/** Options of {@link useInvitation}. */
export type UseInvitationOptions = UseInviteExternalUserOptions & {
  /** Called once per successful invitation: the guest is invited. */
  onInvited?: ((invitation: CreatedInvitation) => void) | undefined
  /**
   * Called once per request that waits for an approver (a preset with an approval policy: the BFF answered `202`).
   * Nobody was invited yet; an approver's approval invites the guest later.
   */
  onPendingApproval?: ((request: PendingInvitation) => void) | undefined
  /** Called once per failure. */
  onError?: ((error: ShareError) => void) | undefined
}

/** What {@link useInvitation} returns. */
export interface InvitationControls extends InviteExternalUser {
  /**
   * Seconds the BFF asked to wait before a retry (`Retry-After` on a throttled or unavailable answer), counting down
   * by the second to `0`. `invite` does not wait by itself: hold the retry back while this is above `0`.
   */
  retryInSeconds: number
}

/**
 * The data side of `<ShareWithExternalUser>`: {@link useInviteExternalUser}'s request lifecycle (token, request with
 * an `Idempotency-Key`, claims challenge, status, result, error), the throttling countdown, and `onInvited` /
 * `onPendingApproval` / `onError` once per outcome.
 *
 * @example
 * const { status, invite, retryInSeconds } = useInvitation({
 *   bffUrl: 'https://lob.contoso.com',
 *   scopes: ['api://<BFF client id>/Invitations.Send'],
 *   onInvited: (invitation) => console.log(invitation.inviteRedeemUrl),
 * })
 * <button
 *   type="button"
 *   disabled={status === 'submitting' || retryInSeconds > 0}
 *   onClick={() => invite({ email: 'ada@fabrikam.example' })}
 * >
 *   {retryInSeconds > 0 ? `Try again in ${retryInSeconds} s` : 'Invite Ada'}
 * </button>
 */
export function useInvitation(options: UseInvitationOptions): InvitationControls {
  const request = useInviteExternalUser(options)
  const { invite: send, error } = request
  const [retryInSeconds, setRetryInSeconds] = useState(0)
  // The latest callbacks, called once per outcome, not once per render.
  const callbacks = useRef(options)
  callbacks.current = options

  // As the answer arrives, not in an effect after the success view is painted.
  const invite = useCallback(
    async (input: CreateInvitationRequest) => {
      const invitation = await send(input)
      if (invitation?.status === 'pending_approval') callbacks.current.onPendingApproval?.(invitation)
      else if (invitation) callbacks.current.onInvited?.(invitation)
      return invitation
    },
    [send],
  )

  useEffect(() => {
    if (!error) return
    setRetryInSeconds(error.retryAfterSeconds ?? 0)
    callbacks.current.onError?.(error)
  }, [error])

  useEffect(() => {
    if (retryInSeconds <= 0) return
    const timer = setTimeout(() => setRetryInSeconds((seconds) => seconds - 1), 1000)
    return () => clearTimeout(timer)
  }, [retryInSeconds])

  return { ...request, invite, retryInSeconds }
}
