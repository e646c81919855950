import {
  CreatedInvitation,
  CreateInvitationRequest,
  Invitation,
  InvitationListQuery,
  InvitationPage,
  ProblemDocument,
} from '@entra-share/contracts'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify'
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

/** `/api/invitations`: invite (idempotent), list, read with a refresh from Graph, resend. */
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
          'presets, and a record in the app database. Send an Idempotency-Key: the same key and body replay the answer.',
        tags: ['invitations'],
        security,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: CreateInvitationRequest,
        response: { 201: CreatedInvitation, ...problems },
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
        status: 201,
        staleAfterSeconds: options.idempotencyLeaseSeconds,
        work: async ({ takenOver, beforeGraph }) =>
          createdInvitation(
            await invites.invite(caller, request.body, {
              reconcile: takenOver,
              beforeGraph,
              locale: acceptLanguageTags(request.headers['accept-language']),
            }),
          ),
      })
      if (answer.replayed) reply.header('idempotent-replayed', 'true')
      if (answer.status >= 400) {
        const stored = (answer.body as { problem: Record<string, unknown> }).problem
        return reply
          .code(answer.status)
          .type('application/problem+json')
          .send({ ...stored, instance: request.url, requestId: request.id })
      }
      const invitation = answer.body as CreatedInvitation
      return reply.code(201).header('location', `/api/invitations/${invitation.id}`).send(invitation)
    },
  )

  app.get<{ Querystring: InvitationListQuery }>(
    '/api/invitations',
    {
      onRequest: options.authenticate,
      schema: {
        summary: "List the caller's invitations (admins: scope=all)",
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
}
