import type {
  ApprovalDecisionRequest,
  ClientConfig,
  CreatedInvitation,
  CreateInvitationRequest,
  ExtendAccessRequest,
  Invitation,
  InvitationListQuery,
  InvitationPage,
  PendingInvitation,
  ReviewDecisionRequest,
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
  /**
   * `POST /api/invitations`: invites the guest (pre-flight checks, Graph, follow-up steps, a record). A preset with an
   * approval policy answers a {@link PendingInvitation} (`status: 'pending_approval'`): nothing was sent to Graph yet.
   */
  invite(
    body: CreateInvitationRequest,
    options?: InviteOptions,
  ): Promise<CreatedInvitation | PendingInvitation>
  /** `GET /api/invitations`: the caller's invitations, newest first; pass `nextCursor` as `cursor` for more. */
  listInvitations(query?: InvitationListQuery, options?: CallOptions): Promise<InvitationPage>
  /** `GET /api/invitations/{id}`: one invitation; the BFF refreshes the guest's state from Graph on every read. */
  getInvitation(id: string, options?: CallOptions): Promise<Invitation>
  /** `POST /api/invitations/{id}/resend`: invites the same guest again, with a new redeem URL. */
  resendInvitation(id: string, options?: CallOptions): Promise<CreatedInvitation>
  /** `POST /api/invitations/{id}/approve`: an approver approves a request; the guest is invited. */
  approveInvitation(
    id: string,
    body?: ApprovalDecisionRequest,
    options?: CallOptions,
  ): Promise<CreatedInvitation>
  /** `POST /api/invitations/{id}/deny`: an approver denies a request; nothing is sent to Graph. */
  denyInvitation(id: string, body?: ApprovalDecisionRequest, options?: CallOptions): Promise<Invitation>
  /** `POST /api/invitations/{id}/extend`: the sponsor extends the guest's access once, within the preset's policy. */
  extendAccess(id: string, body?: ExtendAccessRequest, options?: CallOptions): Promise<Invitation>
  /** `POST /api/invitations/{id}/review`: the sponsor keeps or removes the guest in a periodic review. */
  reviewInvitation(id: string, body: ReviewDecisionRequest, options?: CallOptions): Promise<Invitation>
  /** `DELETE /api/invitations/{id}`: the sponsor or an administrator removes the guest's access, as expiry does. */
  removeAccess(id: string, options?: CallOptions): Promise<Invitation>
  /** `GET /api/config`: presets the caller may use, domain rules, limits and the email mode. */
  getConfig(options?: CallOptions): Promise<ClientConfig>
}

/** A POST with a JSON body. */
function jsonPost(body: unknown) {
  return { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
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
    approveInvitation: (id, body = {}, callOptions) =>
      call(`${invitationPath(id)}/approve`, jsonPost(body), callOptions),
    denyInvitation: (id, body = {}, callOptions) =>
      call(`${invitationPath(id)}/deny`, jsonPost(body), callOptions),
    extendAccess: (id, body = {}, callOptions) =>
      call(`${invitationPath(id)}/extend`, jsonPost(body), callOptions),
    reviewInvitation: (id, body, callOptions) =>
      call(`${invitationPath(id)}/review`, jsonPost(body), callOptions),
    removeAccess: (id, callOptions) => call(invitationPath(id), { method: 'DELETE' }, callOptions),
    getConfig: (callOptions) => call('/api/config', {}, callOptions),
  }
}
