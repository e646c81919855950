import {
  type ClientConfig,
  type CreatedInvitation,
  type CreateInvitationRequest,
  type Problem,
  type ProblemCode,
  problemCatalogue,
  problemType,
} from '@entra-share/contracts'
import { delay, HttpResponse, http, type RequestHandler } from 'msw'
import { type BulkHandlersOptions, type BulkScenario, bulkHandlers } from './bulk-handlers.js'
import {
  type GuestHandlersOptions,
  guestHandlers,
  testApproval,
  testApprovalRequest,
} from './guest-handlers.js'

/** The BFF base URL the handlers answer on unless told otherwise. */
export const testBffUrl = 'https://bff.entra-share.test'

/** The claims JSON the `claims_challenge` handlers ask for (Conditional Access wants MFA). */
export const testClaims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}'

/** An invitation as the BFF answers `POST /api/invitations`; override any field. */
export function testInvitation(overrides: Partial<CreatedInvitation> = {}): CreatedInvitation {
  return {
    id: 'inv-0001',
    invitationId: '7b5c1f0e-0000-4000-8000-000000000001',
    invitedUserId: 'b3c0e2a4-5d6f-4a1b-9c8d-0123456789ab',
    invitedUserEmailAddress: 'ada@fabrikam.example',
    invitedUserDisplayName: 'Ada Lovelace',
    inviteRedeemUrl:
      'https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com%2fredeem%3fticket%3dabc',
    inviteRedirectUrl: 'https://lob.contoso.example/',
    status: 'completed',
    externalUserState: 'PendingAcceptance',
    emailSentByMicrosoft: true,
    emailSentByBff: false,
    reinvited: false,
    presetId: null,
    bulkJobId: null,
    invitedBy: { tenantId: 'tenant-0001', objectId: 'inviter-0001', name: 'Grace Hopper' },
    createdAt: '2025-01-01T12:00:00.000Z',
    updatedAt: '2025-01-01T12:00:00.000Z',
    steps: [{ name: 'invite', status: 'succeeded', attempts: 1 }],
    ...overrides,
  }
}

/** A `GET /api/config` answer; override any field. */
export function testConfig(overrides: Partial<ClientConfig> = {}): ClientConfig {
  return {
    presets: [
      { id: 'apollo', label: 'Project Apollo', groupCount: 2 },
      { id: 'gemini', label: 'Project Gemini', groupCount: 1 },
    ],
    defaultPresetId: null,
    domains: { allowed: [], blocked: ['blocked.example'] },
    defaultRedirectUrl: 'https://lob.contoso.example/',
    allowedRedirectOrigins: ['https://lob.contoso.example'],
    emailMode: 'microsoft',
    limits: {
      emailMaxLength: 254,
      displayNameMaxLength: 256,
      messageMaxLength: 2000,
      invitesPerMinutePerUser: 30,
      messageLinks: 'none',
    },
    ...overrides,
  }
}

/** The problem document the BFF sends for `code`, with the extras that code carries. */
export function testProblem(code: ProblemCode, retryAfterSeconds = 3): Problem {
  const { status, title } = problemCatalogue[code]
  const extras: Partial<Problem> | undefined = {
    invalid_request: { errors: [{ field: 'email', message: 'email must be a valid address.' }] },
    claims_challenge: { claims: btoa(testClaims) },
    consent_required: { adminConsentUrl: 'https://login.microsoftonline.com/tenant-0001/adminconsent' },
    already_member: { existingUserId: 'member-0001' },
    rate_limited: { retryAfterSeconds },
    invitation_quota_exceeded: { retryAfterSeconds, quotaPerHour: 1000, allowedNow: 0 },
    graph_throttled: { retryAfterSeconds },
    idempotency_in_progress: { retryAfterSeconds },
    upstream_error: { detail: 'Graph: the invited user address is not valid.' },
  }[code as string] as Partial<Problem> | undefined
  return { type: problemType(code), title, status, code, requestId: `req-${code}`, ...extras }
}

function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(problem, {
    status: problem.status,
    headers: {
      'Content-Type': 'application/problem+json',
      'request-id': problem.requestId ?? '',
      ...headers,
    },
  })
}

/** What a scenario answers to `POST /api/invitations`. */
export type InviteScenario =
  | 'emailSent'
  | 'linkToShare'
  | 'partial'
  /** `rate_limited` with the wait in the `Retry-After` header only. */
  | 'throttled'
  /** `claims_challenge` until the token carries the claims, then success. */
  | 'claimsChallengeThenSuccess'
  /** The connection fails. */
  | 'networkError'
  /** Never answers (a submitting state to look at). */
  | 'pending'
  /** `202`: the preset's approval policy holds the request for an approver (`status: 'pending_approval'`). */
  | 'pendingApproval'
  | ProblemCode

/** One `POST /api/invitations` as the handler saw it. */
export interface RecordedInvite {
  authorization: string | null
  idempotencyKey: string | null
  body: CreateInvitationRequest
}

/** Options of {@link bffHandlers}. */
export interface BffHandlersOptions {
  baseUrl?: string
  /** `GET /api/config`'s answer; `null` answers `internal_error`. @default testConfig() */
  config?: ClientConfig | null
  /** Seconds for the throttling scenarios. @default 3 */
  retryAfterSeconds?: number
  /** Delay before each invite answer, in milliseconds. @default 0 */
  delayMs?: number
  /** Called with each invite request (for assertions). */
  onInvite?: (request: RecordedInvite) => void
  /**
   * Fields of the invitation the success scenarios answer, over the scenario's own (e.g. the `steps` of a
   * `partial` one).
   *
   * @example
   * bffHandlers('partial', { invitation: { steps: [{ name: 'assignLicense', status: 'pending', attempts: 1 }] } })
   */
  invitation?: Partial<CreatedInvitation>
  /** Also answer `/api/bulk-invitations` with {@link bulkHandlers} (`scenario` defaults to `runs`). */
  bulk?: BulkHandlersOptions & { scenario?: BulkScenario }
  /**
   * How the governance calls answer ({@link guestHandlers}: the list, approve, deny, extend, review, remove), which
   * are always answered, by default with `testGuests()` and `testApprovalRequests()`.
   */
  guests?: GuestHandlersOptions
}

/**
 * MSW handlers for the BFF (`GET /api/config`, `POST /api/invitations`) answering one scenario, and the governance
 * calls (`GET /api/invitations`, approve, deny, extend, review, remove: {@link guestHandlers}); shared by the unit
 * tests and Storybook. A stand-in token that carries claims (see `createMsalStandIn`) passes a claims challenge.
 *
 * @example
 * const server = setupServer(...bffHandlers('linkToShare'))
 * worker.use(...bffHandlers('rate_limited', { retryAfterSeconds: 5 }))
 */
export function bffHandlers(
  scenario: InviteScenario = 'emailSent',
  options: BffHandlersOptions = {},
): RequestHandler[] {
  const baseUrl = options.baseUrl ?? testBffUrl
  const retryAfterSeconds = options.retryAfterSeconds ?? 3
  const config = options.config === undefined ? testConfig() : options.config
  const bulk = options.bulk ? bulkHandlers(options.bulk.scenario, { baseUrl, ...options.bulk }) : []
  return [
    ...bulk,
    ...guestHandlers({ baseUrl, ...options.guests }),
    http.get(`${baseUrl}/api/config`, () =>
      config ? HttpResponse.json(config) : problemResponse(testProblem('internal_error')),
    ),
    http.post(`${baseUrl}/api/invitations`, async ({ request }) => {
      const body = (await request.json()) as CreateInvitationRequest
      const authorization = request.headers.get('Authorization')
      options.onInvite?.({ authorization, idempotencyKey: request.headers.get('Idempotency-Key'), body })
      if (options.delayMs) await delay(options.delayMs)
      const invitation = (overrides: Partial<CreatedInvitation> = {}) =>
        HttpResponse.json(
          testInvitation({
            invitedUserEmailAddress: body.email,
            invitedUserDisplayName: body.displayName ?? null,
            presetId: body.presetId ?? null,
            ...overrides,
            ...options.invitation,
          }),
          { status: 201 },
        )
      switch (scenario) {
        case 'emailSent':
          return invitation()
        case 'linkToShare':
          return invitation({ emailSentByMicrosoft: false })
        case 'partial':
          return invitation({
            status: 'partial',
            steps: [
              { name: 'invite', status: 'succeeded', attempts: 1 },
              {
                name: 'addToGroup',
                target: 'group-1',
                status: 'pending',
                attempts: 3,
                code: 'graph_throttled',
              },
            ],
          })
        case 'throttled':
          return problemResponse(
            { ...testProblem('rate_limited'), retryAfterSeconds: undefined },
            { 'Retry-After': String(retryAfterSeconds) },
          )
        case 'claimsChallengeThenSuccess':
          if (authorization?.includes('claims=')) return invitation()
          return claimsChallenge()
        case 'claims_challenge':
          return claimsChallenge()
        case 'networkError':
          return HttpResponse.error()
        case 'pending':
          await delay('infinite')
          return invitation()
        case 'pendingApproval':
          return HttpResponse.json(
            testApprovalRequest({
              invitedUserEmailAddress: body.email,
              invitedUserDisplayName: body.displayName ?? null,
              presetId: body.presetId ?? null,
              // As the BFF does: the preset's words for its approvers, when it has them.
              approval: testApproval({
                reason: body.reason ?? null,
                approversLabel:
                  config?.presets.find((preset) => preset.id === body.presetId)?.approversLabel ?? null,
              }),
            }),
            { status: 202 },
          )
        default:
          return problemResponse(testProblem(scenario, retryAfterSeconds), {
            ...(['rate_limited', 'graph_throttled', 'idempotency_in_progress'].includes(scenario)
              ? { 'Retry-After': String(retryAfterSeconds) }
              : {}),
          })
      }
    }),
  ]
}

/** As the BFF sends it: the claims in the body and in `WWW-Authenticate`. */
function claimsChallenge(): Response {
  const problem = testProblem('claims_challenge')
  return problemResponse(problem, {
    'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/v2.0/authorize", error="insufficient_claims", claims="${problem.claims}"`,
  })
}
