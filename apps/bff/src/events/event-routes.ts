import { constraints, EventListQuery, EventPage, ProblemDocument } from '@entra-share/contracts'
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify'
import { callerOf } from '../platform/authenticate.js'
import { ProblemError } from '../platform/problem-error.js'
import type { EventStore } from './event-store.js'

export interface EventRoutesOptions {
  events: EventStore
  /** Validates the token and sets `request.caller`. */
  authenticate: onRequestAsyncHookHandler
}

const problems = { 400: ProblemDocument, 401: ProblemDocument, 403: ProblemDocument, 429: ProblemDocument }

/** `GET /api/events`: the event log of the caller's organization, for invitation administrators. */
export async function eventRoutes(app: FastifyInstance, options: EventRoutesOptions): Promise<void> {
  const { events } = options
  app.get<{ Querystring: EventListQuery }>(
    '/api/events',
    {
      onRequest: options.authenticate,
      schema: {
        summary: "The event log of the caller's organization, newest first (admins)",
        description:
          'Every event written for the invitations of the caller’s tenant, newest first, page by page (`cursor`), ' +
          'each with where its deliveries stand (webhook, hook) and its latest attempts. Invitation administrators only.',
        tags: ['events'],
        security: [{ bearer: [] }],
        querystring: EventListQuery,
        response: { 200: EventPage, ...problems },
      },
    },
    async (request) => {
      const caller = callerOf(request)
      if (!caller.isAdmin) {
        throw new ProblemError('forbidden', {
          detail: 'Only invitation administrators may read the event log.',
        })
      }
      const { limit = constraints.pageSizeDefault, cursor } = request.query
      return events.list({
        tenantId: caller.tenantId,
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      })
    },
  )
}
