import { type BffClient, createBffClient, createIdempotencyKey, type ShareError } from '@entra-share/client'
import type { CreatedInvitation, CreateInvitationRequest, PendingInvitation } from '@entra-share/contracts'
import { useCallback, useMemo, useRef, useState } from 'react'
import { type GetAccessToken, useAccessToken } from './access-token.js'
import { asShareError, callWithToken } from './call-with-token.js'

/** Where the BFF is: its base URL, or a ready client. */
export type BffTarget = { bffUrl: string; client?: undefined } | { client: BffClient; bffUrl?: undefined }

/** Options of {@link useInviteExternalUser}. */
export type UseInviteExternalUserOptions = BffTarget & {
  /** The scopes to request for the BFF, e.g. `['api://<BFF client id>/Invitations.Send']`. */
  scopes: readonly string[]
  /**
   * Gets the BFF token for this hook, over the nearest `<EntraShareTokenProvider>` (or
   * `<MsalEntraShareProvider>`): resolve the token, or `null` to stop quietly; a rejection shows `sign_in_required`.
   */
  getAccessToken?: GetAccessToken | undefined
}

/**
 * The lifecycle of one invitation: `success` when the guest was invited, `pending_approval` when the preset's approval
 * policy holds it for an approver (the BFF answered `202`: nothing was sent to Graph yet).
 */
export type InviteStatus = 'idle' | 'submitting' | 'success' | 'pending_approval' | 'error'

/** What {@link useInviteExternalUser} returns. */
export interface InviteExternalUser {
  status: InviteStatus
  /** The invitation, when `status` is `success`. */
  result: CreatedInvitation | null
  /** The request waiting for an approver (its `approval` names them), when `status` is `pending_approval`. */
  pending: PendingInvitation | null
  /** The failure, when `status` is `error`. */
  error: ShareError | null
  /**
   * Sends the invitation; never throws, resolves `null` on failure or cancellation. Ignored while submitting.
   * Resolves the invitation, or the request waiting for approval (`status: 'pending_approval'`).
   */
  invite(input: CreateInvitationRequest): Promise<CreatedInvitation | PendingInvitation | null>
  /** Back to `idle`. */
  reset(): void
}

type State = Pick<InviteExternalUser, 'status' | 'result' | 'pending' | 'error'>
const idle: State = { status: 'idle', result: null, pending: null, error: null }

/** The BFF client for a target; misuse fails with a sentence that says what to pass. */
export function useBffClient(target: BffTarget): BffClient {
  const { bffUrl, client } = target
  return useMemo(() => {
    if (client) return client
    if (typeof bffUrl !== 'string' || bffUrl === '')
      throw new TypeError(
        '@entra-share/react: pass `bffUrl` (the BFF base URL) or `client` (from createBffClient).',
      )
    return createBffClient({ baseUrl: bffUrl })
  }, [bffUrl, client])
}

/**
 * Headless invitation: gets a token for the BFF from the token seam (`getAccessToken`, else the nearest
 * `<EntraShareTokenProvider>` or `<MsalEntraShareProvider>`), posts the invitation with an `Idempotency-Key`,
 * answers a claims challenge once by itself (a new token with the claims, `interactive`), and reports status,
 * result and a typed {@link ShareError}. A preset with an approval policy ends in `pending_approval`, with the
 * request in `pending`.
 *
 * @example
 * const { status, result, error, invite } = useInviteExternalUser({
 *   bffUrl: 'https://lob.contoso.com',
 *   scopes: ['api://<BFF client id>/Invitations.Send'],
 * })
 * await invite({ email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' })
 */
export function useInviteExternalUser(options: UseInviteExternalUserOptions): InviteExternalUser {
  const client = useBffClient(options)
  const acquireToken = useAccessToken(options.scopes, options.getAccessToken)
  const [state, setState] = useState<State>(idle)
  const inFlight = useRef(false)
  // One key per submission attempt; the same body retried after a failure keeps it so the BFF never invites twice.
  const attempt = useRef<{ body: string; key: string } | null>(null)

  const invite = useCallback(
    async (input: CreateInvitationRequest) => {
      if (inFlight.current) return null
      inFlight.current = true
      const body = JSON.stringify(input)
      if (attempt.current?.body !== body) attempt.current = { body, key: createIdempotencyKey() }
      const { key } = attempt.current
      setState({ ...idle, status: 'submitting' })
      try {
        const invitation = await callWithToken(acquireToken, (accessToken) =>
          client.invite(input, { accessToken, idempotencyKey: key }),
        )
        if (invitation === null) {
          setState(idle)
          return null
        }
        attempt.current = null
        setState(
          invitation.status === 'pending_approval'
            ? { ...idle, status: 'pending_approval', pending: invitation }
            : { ...idle, status: 'success', result: invitation },
        )
        return invitation
      } catch (error) {
        setState({
          ...idle,
          status: 'error',
          error: asShareError(error, 'The invitation failed unexpectedly.'),
        })
        return null
      } finally {
        inFlight.current = false
      }
    },
    [client, acquireToken],
  )

  const reset = useCallback(() => setState(idle), [])
  return { ...state, invite, reset }
}
