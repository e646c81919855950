import type {
  ClientConfig,
  CreatedInvitation,
  CreateInvitationRequest,
  Invitation,
  InvitationListQuery,
  InvitationPage,
} from '@entra-share/contracts'
import { createIdempotencyKey } from './idempotency-key.js'
import { type BffClientOptions, type CallOptions, createCaller } from './transport.js'

/** Per-call options of {@link BffClient.invite}. */
export interface InviteOptions extends CallOptions {
  /**
   * The `Idempotency-Key`: the same key and body never invite twice, so send the same key again when retrying a
   * failed attempt. @default a new key per call, from {@link createIdempotencyKey}
   */
  idempotencyKey?: string
}

/** The invitation calls of the entra-share BFF (`/api/invitations`, `/api/config`). Failures throw `ShareError`. */
export interface BffClient {
  /** `POST /api/invitations`: invites the guest (pre-flight checks, Graph, follow-up steps, a record). */
  invite(body: CreateInvitationRequest, options?: InviteOptions): Promise<CreatedInvitation>
  /** `GET /api/invitations`: the caller's invitations, newest first; pass `nextCursor` as `cursor` for more. */
  listInvitations(query?: InvitationListQuery, options?: CallOptions): Promise<InvitationPage>
  /** `GET /api/invitations/{id}`: one invitation; the BFF refreshes the guest's state from Graph on every read. */
  getInvitation(id: string, options?: CallOptions): Promise<Invitation>
  /** `POST /api/invitations/{id}/resend`: invites the same guest again, with a new redeem URL. */
  resendInvitation(id: string, options?: CallOptions): Promise<CreatedInvitation>
  /** `GET /api/config`: presets the caller may use, domain rules, limits and the email mode. */
  getConfig(options?: CallOptions): Promise<ClientConfig>
}

/**
 * A client for the BFF's invitation API. Every failure is thrown as a `ShareError`.
 *
 * @example
 * const bff = createBffClient({ baseUrl: 'https://lob.contoso.com', getAccessToken: () => msal.token() })
 * const invitation = await bff.invite({ email: 'ada@fabrikam.example' })
 * console.log(invitation.inviteRedeemUrl)
 */
export function createBffClient(options: BffClientOptions): BffClient {
  const call = createCaller(options, 'createBffClient')
  const invitationPath = (id: string) => `/api/invitations/${encodeURIComponent(id)}`
  return {
    invite: (body, callOptions) =>
      call(
        '/api/invitations',
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': callOptions?.idempotencyKey ?? createIdempotencyKey(),
          },
          body: JSON.stringify(body),
        },
        callOptions,
      ),
    listInvitations: (query = {}, callOptions) => {
      // A JSON round trip drops the options left undefined; the rest are strings and numbers.
      const search = new URLSearchParams(JSON.parse(JSON.stringify(query))).toString()
      return call(`/api/invitations${search && `?${search}`}`, {}, callOptions)
    },
    getInvitation: (id, callOptions) => call(invitationPath(id), {}, callOptions),
    resendInvitation: (id, callOptions) =>
      call(`${invitationPath(id)}/resend`, { method: 'POST' }, callOptions),
    getConfig: (callOptions) => call('/api/config', {}, callOptions),
  }
}
