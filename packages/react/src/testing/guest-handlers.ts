import type {
  Invitation,
  InvitationApproval,
  InvitationListQuery,
  PersonRef,
  ProblemCode,
} from '@entra-share/contracts'
import { delay, HttpResponse, http, type RequestHandler } from 'msw'
import { testBffUrl, testInvitation, testProblem } from './bff-handlers.js'

/**
 * The "now" of the guest fixtures (1 March 2026, noon UTC): give it to `<GuestAccess now={testNow}>` so "Ends in 3
 * days" and the dates read the same on every day and in every time zone.
 */
export const testNow = Date.parse('2026-03-01T12:00:00.000Z')

const DAY_MS = 86_400_000
/** A date `days` after {@link testNow}, as the BFF writes it. */
const day = (days: number) => new Date(testNow + days * DAY_MS).toISOString()

const sponsor: PersonRef = { tenantId: 'tenant-0001', objectId: 'inviter-0001', name: 'Grace Hopper' }
const approver: PersonRef = { tenantId: 'tenant-0001', objectId: 'approver-0001', name: 'Adele Vance' }

/** A guest as `GET /api/invitations` lists it (an `Invitation`); override any field. */
export function testGuest(overrides: Partial<Invitation> = {}): Invitation {
  return { ...testInvitation(), createdAt: day(-10), updatedAt: day(-10), ...overrides }
}

/** The approval of a request waiting for an approver; override any field. */
export function testApproval(overrides: Partial<InvitationApproval> = {}): InvitationApproval {
  return {
    approvers: ['Invitations.Admin'],
    reason: 'Reviews the Apollo supplier contracts until June.',
    requestedAt: day(-1),
    expiresAt: day(6),
    decision: null,
    decidedBy: null,
    decidedAt: null,
    comment: null,
    ...overrides,
  }
}

/** A request `pending_approval` as the BFF lists it: no guest, invitation id or link yet. */
export function testApprovalRequest(overrides: Partial<Invitation> = {}): Invitation {
  return testGuest({
    status: 'pending_approval',
    invitedUserId: '',
    invitationId: null,
    inviteRedeemUrl: null,
    externalUserState: 'Unknown',
    emailSentByMicrosoft: false,
    presetId: 'apollo-reviewed',
    steps: [],
    approval: testApproval(),
    ...overrides,
  })
}

const guest = (n: number, email: string, name: string, overrides: Partial<Invitation>) =>
  testGuest({
    id: `inv-g${n}`,
    invitedUserId: `00000000-0000-4000-8000-0000000c000${n}`,
    invitedUserEmailAddress: email,
    invitedUserDisplayName: name,
    ...overrides,
  })

/**
 * One guest per status, as a sponsor sees them on {@link testNow}: accepted with 90 days left (extend, remove),
 * invited and ending in 3 days, being set up without an end, a periodic review due (keep or remove), access being
 * removed, removed, a request waiting for approval, and a denied one.
 */
export function testGuests(): Invitation[] {
  const access = (expiresIn: number) => ({
    expiresAt: day(expiresIn),
    days: 90,
    extendedAt: null,
    extendedBy: null,
  })
  return [
    guest(1, 'ada@fabrikam.example', 'Ada Lovelace', { externalUserState: 'Accepted', access: access(90) }),
    guest(2, 'grace@fabrikam.example', 'Grace Brewster', { access: access(3) }),
    guest(3, 'linus@fabrikam.example', 'Linus Pauling', {
      status: 'partial',
      steps: [
        { name: 'invite', status: 'succeeded', attempts: 1 },
        { name: 'addToGroup', target: 'group-1', status: 'pending', attempts: 2, code: 'graph_throttled' },
      ],
    }),
    guest(4, 'katherine@fabrikam.example', 'Katherine Johnson', {
      externalUserState: 'Accepted',
      access: { ...access(40), extendedAt: day(-5), extendedBy: sponsor },
      review: {
        startedAt: day(-2),
        deadlineAt: day(12),
        decision: null,
        defaulted: false,
        decidedBy: null,
        decidedAt: null,
        comment: null,
        nextReviewAt: null,
      },
    }),
    guest(5, 'mary@fabrikam.example', 'Mary Somerville', {
      status: 'removing',
      externalUserState: 'Accepted',
      removal: {
        reason: 'revoked',
        requestedAt: day(-1),
        requestedBy: sponsor,
        completedAt: null,
        steps: [{ name: 'removeFromGroup', target: 'group-1', status: 'pending', attempts: 1 }],
      },
    }),
    guest(6, 'charles@fabrikam.example', 'Charles Babbage', {
      status: 'removed',
      removal: {
        reason: 'expired',
        requestedAt: day(-3),
        requestedBy: null,
        completedAt: day(-3),
        steps: [{ name: 'removeFromGroup', target: 'group-1', status: 'succeeded', attempts: 1 }],
      },
    }),
    testApprovalRequest({
      id: 'inv-g7',
      invitedUserEmailAddress: 'alan@fabrikam.example',
      invitedUserDisplayName: 'Alan Turing',
    }),
    testApprovalRequest({
      id: 'inv-g8',
      status: 'denied',
      invitedUserEmailAddress: 'hedy@fabrikam.example',
      invitedUserDisplayName: 'Hedy Lamarr',
      approval: testApproval({
        decision: 'denied',
        decidedBy: approver,
        decidedAt: day(-1),
        comment: 'Use the supplier portal instead.',
      }),
    }),
  ]
}

/** Two requests waiting for an approver, as `GET /api/invitations?scope=approvals` lists them. */
export function testApprovalRequests(): Invitation[] {
  return [
    testApprovalRequest({
      id: 'inv-r1',
      invitedUserEmailAddress: 'ada@fabrikam.example',
      invitedUserDisplayName: 'Ada Lovelace',
    }),
    testApprovalRequest({
      id: 'inv-r2',
      invitedUserEmailAddress: 'alan@fabrikam.example',
      invitedUserDisplayName: 'Alan Turing',
      invitedBy: { tenantId: 'tenant-0001', objectId: 'inviter-0002', name: 'Megan Bowen' },
      approval: testApproval({ reason: 'Cryptography review for the launch.', expiresAt: day(2) }),
    }),
  ]
}

/** The governance calls the handlers answer. */
export type GuestCallName = 'list' | 'approve' | 'deny' | 'extend' | 'review' | 'remove'

/** How a call answers: as the BFF would (`ok`), never (`pending`, a state to look at), or with a problem. */
export type GuestCallOutcome = 'ok' | 'pending' | ProblemCode

/** One governance request as the handlers saw it. */
export interface RecordedGuestCall {
  name: GuestCallName
  method: string
  /** The path and query, e.g. `/api/invitations?scope=approvals&limit=20`. */
  url: string
  authorization: string | null
  /** The JSON body of a POST. */
  body?: unknown
}

/** Options of {@link guestHandlers}. */
export interface GuestHandlersOptions {
  baseUrl?: string
  /** What `scope` `mine`, `all` and `reviews` list. @default testGuests() */
  guests?: Invitation[]
  /** What `scope=approvals` lists. @default testApprovalRequests() */
  approvals?: Invitation[]
  /** How each call answers. @default 'ok' for every call */
  outcomes?: Partial<Record<GuestCallName, GuestCallOutcome>>
  /** Called with each request (for assertions). */
  onCall?: (call: RecordedGuestCall) => void
}

/**
 * MSW handlers for the governance calls: `GET /api/invitations` (paged by `limit`, `cursor` the offset), `POST
 * /api/invitations/{id}/approve|deny|extend|review` and `DELETE /api/invitations/{id}`, each answering the invitation
 * changed as the BFF would (approved: invited; extended by 30 days; reviewed; removing), or the outcome asked for.
 *
 * @example
 * server.use(...guestHandlers({ outcomes: { extend: 'extension_not_allowed' }, onCall: (call) => calls.push(call) }))
 */
export function guestHandlers(options: GuestHandlersOptions = {}): RequestHandler[] {
  const baseUrl = `${options.baseUrl ?? testBffUrl}/api/invitations`
  const guests = options.guests ?? testGuests()
  const approvals = options.approvals ?? testApprovalRequests()
  const find = (id: string) => [...guests, ...approvals].find((item) => item.id === id)

  /** The outcome of `name`, after recording the call; `undefined` means answer as the BFF would. */
  const answer = async (name: GuestCallName, request: Request): Promise<Response | undefined> => {
    const body = request.method === 'POST' ? await request.json().catch(() => undefined) : undefined
    const url = new URL(request.url)
    options.onCall?.({
      name,
      method: request.method,
      url: `${url.pathname}${url.search}`,
      authorization: request.headers.get('Authorization'),
      ...(body === undefined ? {} : { body }),
    })
    const outcome = options.outcomes?.[name] ?? 'ok'
    if (outcome === 'ok') return undefined
    if (outcome === 'pending') await delay('infinite')
    const problem = testProblem(outcome as ProblemCode)
    return HttpResponse.json(problem, {
      status: problem.status,
      headers: { 'Content-Type': 'application/problem+json', 'request-id': problem.requestId ?? '' },
    })
  }
  const changed = (id: string, change: (invitation: Invitation) => Partial<Invitation>) => {
    const invitation = find(id)
    if (!invitation) return HttpResponse.json(testProblem('not_found'), { status: 404 })
    return HttpResponse.json({ ...invitation, ...change(invitation), updatedAt: now() })
  }
  // Decisions are dated testNow, so a picture taken after one reads the same on every day.
  const now = () => day(0)

  return [
    http.get(baseUrl, async ({ request }) => {
      const refused = await answer('list', request)
      if (refused) return refused
      const query = new URL(request.url).searchParams
      const scope = (query.get('scope') ?? 'mine') as InvitationListQuery['scope']
      const items = scope === 'approvals' ? approvals : guests
      const limit = Number(query.get('limit') ?? 20)
      const offset = Number(query.get('cursor') ?? 0)
      const next = offset + limit
      return HttpResponse.json({
        items: items.slice(offset, next),
        ...(next < items.length ? { nextCursor: String(next) } : {}),
      })
    }),
    http.post<{ id: string }>(`${baseUrl}/:id/approve`, async ({ request, params }) => {
      const body = (await request.clone().json()) as { comment?: string }
      return (
        (await answer('approve', request)) ??
        changed(params.id, (invitation) => ({
          ...testInvitation({ id: invitation.id }),
          invitedUserEmailAddress: invitation.invitedUserEmailAddress,
          invitedUserDisplayName: invitation.invitedUserDisplayName,
          presetId: invitation.presetId,
          invitedBy: invitation.invitedBy,
          approval: invitation.approval && {
            ...invitation.approval,
            decision: 'approved',
            decidedBy: approver,
            decidedAt: now(),
            comment: body.comment ?? null,
          },
        }))
      )
    }),
    http.post<{ id: string }>(`${baseUrl}/:id/deny`, async ({ request, params }) => {
      const body = (await request.clone().json()) as { comment?: string }
      return (
        (await answer('deny', request)) ??
        changed(params.id, (invitation) => ({
          status: 'denied',
          approval: invitation.approval && {
            ...invitation.approval,
            decision: 'denied',
            decidedBy: approver,
            decidedAt: now(),
            comment: body.comment ?? null,
          },
        }))
      )
    }),
    http.post<{ id: string }>(`${baseUrl}/:id/extend`, async ({ request, params }) => {
      const body = (await request.clone().json()) as { days?: number }
      return (
        (await answer('extend', request)) ??
        changed(params.id, ({ access }) => ({
          access: access && {
            ...access,
            expiresAt: new Date(Date.parse(access.expiresAt) + (body.days ?? 30) * DAY_MS).toISOString(),
            extendedAt: now(),
            extendedBy: sponsor,
          },
        }))
      )
    }),
    http.post<{ id: string }>(`${baseUrl}/:id/review`, async ({ request, params }) => {
      const body = (await request.clone().json()) as { decision: 'keep' | 'remove'; comment?: string }
      return (
        (await answer('review', request)) ??
        changed(params.id, ({ review }) => ({
          ...(body.decision === 'remove' ? removing() : {}),
          review: review && {
            ...review,
            decision: body.decision,
            decidedBy: sponsor,
            decidedAt: now(),
            comment: body.comment ?? null,
            nextReviewAt: body.decision === 'keep' ? day(90) : null,
          },
        }))
      )
    }),
    http.delete<{ id: string }>(`${baseUrl}/:id`, async ({ request, params }) => {
      return (await answer('remove', request)) ?? changed(params.id, removing)
    }),
  ]

  function removing(): Partial<Invitation> {
    return {
      status: 'removing',
      removal: {
        reason: 'revoked',
        requestedAt: now(),
        requestedBy: sponsor,
        completedAt: null,
        steps: [{ name: 'removeFromGroup', target: 'group-1', status: 'pending', attempts: 0 }],
      },
    }
  }
}
