import {
  ApprovalDecisionRequest,
  CreatedInvitation,
  CreateInvitationRequest,
  ExtendAccessRequest,
  Invitation,
  InvitationListQuery,
  InvitationPage,
  PendingInvitation,
  ProblemDocument,
  ReviewDecisionRequest,
} from '@entra-share/contracts'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { acceptLanguageTags } from '../email/locales.js'
import { callerKey } from '../identity/caller.js'
import { callerOf } from '../platform/authenticate.js'
import { readIdempotencyKey, runIdempotently } from '../platform/idempotency.js'
import type { IdempotencyStore } from '../platform/types.js'
import type { InviteService } from './invite-service.js'
import { createdInvitation, publicInvitation } from './public-invitation.js'

export interface InvitationRoutesOptions {
  invites: InviteService
  idempotency: IdempotencyStore
  /** Validates the token and sets `request.caller`. */
  authenticate: onRequestAsyncHookHandler
  /** Seconds after which a dead instance's Idempotency-Key claim may be taken over. */
  idempotencyLeaseSeconds: number
  /** Per-user and per-tenant rate limits, run after authentication. */
  rateLimits: onRequestAsyncHookHandler[]
}

const problems = {
  400: ProblemDocument,
  401: ProblemDocument,
  403: ProblemDocument,
  404: ProblemDocument,
  409: ProblemDocument,
  429: ProblemDocument,
  502: ProblemDocument,
  503: ProblemDocument,
}
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const security = [{ bearer: [] }]

/** A decision or an extension may come without a body: it is then the empty object its schema allows. */
const emptyBodyIsEmptyObject = async (request: FastifyRequest) => {
  request.body ??= {}
}

/**
 * `/api/invitations`: invite (idempotent; `202` when the preset needs an approval), list, read with a refresh from
 * Graph, resend, approve or deny a request, extend the access, answer a periodic review, revoke it (`DELETE`).
 */
export async function invitationRoutes(
  app: FastifyInstance,
  options: InvitationRoutesOptions,
): Promise<void> {
  const { invites, idempotency } = options
  const limited = [options.authenticate, ...options.rateLimits]

  app.post<{ Body: CreateInvitationRequest }>(
    '/api/invitations',
    {
      onRequest: limited,
      schema: {
        summary: 'Invite an external user',
        description:
          'Runs the invitation saga On-Behalf-Of the caller: pre-flight checks, Graph invitation, attributes, group ' +
          'presets, and a record in the app database. Send an Idempotency-Key: the same key and body replay the answer. ' +
          'A preset with an approval policy answers 202 with the invitation `pending_approval`: nothing is sent to Graph until an approver approves it.',
        tags: ['invitations'],
        security,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: CreateInvitationRequest,
        response: { 201: CreatedInvitation, 202: PendingInvitation, ...problems },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request)
      const key = readIdempotencyKey(request.headers['idempotency-key'])
      const answer = await runIdempotently({
        store: idempotency,
        callerKey: callerKey(caller),
        key,
        body: request.body,
        status: (result) => ((result as Invitation).status === 'pending_approval' ? 202 : 201),
        staleAfterSeconds: options.idempotencyLeaseSeconds,
        work: async ({ takenOver, beforeGraph }) => {
          const record = await invites.invite(caller, request.body, {
            reconcile: takenOver,
            beforeGraph,
            locale: acceptLanguageTags(request.headers['accept-language']),
            approval: 'request',
          })
          return record.status === 'pending_approval' ? publicInvitation(record) : createdInvitation(record)
        },
      })
      if (answer.replayed) reply.header('idempotent-replayed', 'true')
      if (answer.status >= 400) {
        const stored = (answer.body as { problem: Record<string, unknown> }).problem
        return reply
          .code(answer.status)
          .type('application/problem+json')
          .send({ ...stored, instance: request.url, requestId: request.id })
      }
      const invitation = answer.body as Invitation
      return reply
        .code(answer.status)
        .header('location', `/api/invitations/${invitation.id}`)
        .send(invitation)
    },
  )

  app.get<{ Querystring: InvitationListQuery }>(
    '/api/invitations',
    {
      onRequest: options.authenticate,
      schema: {
        summary: "List the caller's invitations (admins: scope=all), requests to approve, reviews to answer",
        description:
          '`scope=mine` (default): the caller’s invitations. `all` (admins): everyone’s. `approvals`: requests ' +
          '`pending_approval` the caller may decide (an approver app role in their token, or a group they are in, ' +
          'nested groups included; never their own). `reviews`: the caller’s guests (admins: any) whose periodic ' +
          'review waits for a decision. Newest first; pass `nextCursor` as `cursor` for more.',
        tags: ['invitations'],
        security,
        querystring: InvitationListQuery,
        response: { 200: InvitationPage, ...problems },
      },
    },
    async (request) => {
      const page = await invites.list(callerOf(request), request.query)
      return { ...page, items: page.items.map(publicInvitation) }
    },
  )

  app.get<{ Params: { id: string } }>(
    '/api/invitations/:id',
    {
      onRequest: options.authenticate,
      schema: {
        summary: 'Read an invitation, refreshing the guest’s state from Graph',
        tags: ['invitations'],
        security,
        params: IdParams,
        response: { 200: Invitation, ...problems },
      },
    },
    async (request) =>
      publicInvitation(await invites.get(callerOf(request), request.params.id, { refresh: true })),
  )

  app.post<{ Params: { id: string } }>(
    '/api/invitations/:id/resend',
    {
      onRequest: limited,
      schema: {
        summary: 'Invite the same guest again, with a new redeem URL',
        tags: ['invitations'],
        security,
        params: IdParams,
        response: { 200: CreatedInvitation, ...problems },
      },
    },
    async (request) =>
      createdInvitation(
        await invites.resend(callerOf(request), request.params.id, {
          locale: acceptLanguageTags(request.headers['accept-language']),
        }),
      ),
  )

  app.post<{ Params: { id: string }; Body: ApprovalDecisionRequest }>(
    '/api/invitations/:id/approve',
    {
      onRequest: limited,
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        summary: 'Approve an invitation waiting for approval: the guest is invited',
        description:
          "By one of the request's approvers (an app role of theirs, or a group they are a member of, nested groups included), never " +
          'the person who asked. The saga runs with the approver’s Graph token (On-Behalf-Of in delegated mode, so ' +
          'Entra records the approver as the inviter); the requester stays the inviter of record and the sponsor.',
        tags: ['invitations'],
        security,
        params: IdParams,
        body: ApprovalDecisionRequest,
        response: { 200: CreatedInvitation, ...problems },
      },
    },
    async (request) =>
      createdInvitation(await invites.approve(callerOf(request), request.params.id, request.body)),
  )

  app.post<{ Params: { id: string }; Body: ApprovalDecisionRequest }>(
    '/api/invitations/:id/deny',
    {
      onRequest: limited,
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        summary: 'Deny an invitation waiting for approval: nothing is sent to Graph',
        tags: ['invitations'],
        security,
        params: IdParams,
        body: ApprovalDecisionRequest,
        response: { 200: Invitation, ...problems },
      },
    },
    async (request) =>
      publicInvitation(await invites.deny(callerOf(request), request.params.id, request.body)),
  )

  app.post<{ Params: { id: string }; Body: ExtendAccessRequest }>(
    '/api/invitations/:id/extend',
    {
      onRequest: limited,
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        summary: "Extend the guest's access once, within the preset's policy",
        tags: ['invitations'],
        security,
        params: IdParams,
        body: ExtendAccessRequest,
        response: { 200: Invitation, ...problems },
      },
    },
    async (request) =>
      publicInvitation(await invites.extend(callerOf(request), request.params.id, request.body)),
  )

  app.post<{ Params: { id: string }; Body: ReviewDecisionRequest }>(
    '/api/invitations/:id/review',
    {
      onRequest: limited,
      schema: {
        summary: "Answer the periodic review of a guest's access: keep or remove",
        description:
          'By the sponsor (the inviter) or an administrator, while a review waits (`review.decision` null). `keep` ' +
          'schedules the next review; `remove` removes the access as an expiry does (reason `reviewed`), with the ' +
          "app's Graph token: `removed`, or `removing` while a step is retried. No review waiting: " +
          '409 `approval_already_decided`; no access any more: 409 `invitation_not_active`.',
        tags: ['invitations'],
        security,
        params: IdParams,
        body: ReviewDecisionRequest,
        response: { 200: Invitation, ...problems },
      },
    },
    async (request) =>
      publicInvitation(await invites.review(callerOf(request), request.params.id, request.body)),
  )

  app.delete<{ Params: { id: string } }>(
    '/api/invitations/:id',
    {
      onRequest: limited,
      schema: {
        summary: "Revoke the guest's access, as an expiry removes it",
        description:
          "By the sponsor (the inviter) or an administrator: the guest leaves the preset's groups and app roles (and " +
          "is blocked or deleted when the preset's onExpiry says so), with the app's Graph token. `removed` when every " +
          'step succeeded, else `removing` with the failed steps, retried by the governance work.',
        tags: ['invitations'],
        security,
        params: IdParams,
        response: { 200: Invitation, ...problems },
      },
    },
    async (request) => publicInvitation(await invites.remove(callerOf(request), request.params.id)),
  )
}
