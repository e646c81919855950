import type { RunningEmulator } from '@entra-share/emulator'
import { GraphError } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createGraphApi, type GraphApi } from '../../src/graph/graph-api.js'
import { graphProblem, graphRequestId } from '../../src/graph/graph-errors.js'
import { ProblemError } from '../../src/platform/problem-error.js'
import { seeded, startTestEmulator } from '../support.js'
import { graphCause, graphTokensFor, problemOf } from './graph-test-support.js'

const REDIRECT = 'https://apps.contoso.example/welcome'

describe("graphProblem maps the emulator's real Graph answers to the catalogue", () => {
  let emulator: RunningEmulator
  let graph: GraphApi
  let megan: string

  beforeAll(async () => {
    emulator = await startTestEmulator()
    graph = createGraphApi({
      baseUrl: emulator.settings.graphBaseUrl,
      retry: { maxRetries: 2, delaySeconds: 0 },
    })
    megan = await graphTokensFor(emulator).forUser(seeded.inviter.upn)
  })
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })
  afterAll(() => emulator.close())

  const invite = (token: string, email: string) =>
    graph.inviteGuest(token, {
      invitedUserEmailAddress: email,
      inviteRedirectUrl: REDIRECT,
      sendInvitationMessage: false,
    })

  it('guest invitations switched off → guest_invites_disabled, with Graph’s sentence', async () => {
    emulator.context.faults.set({ guestInvitesDisabled: [seeded.tenantId] })
    const problem = await problemOf(invite(megan, 'ada@fabrikam.example'))
    expect(problem.code).toBe('guest_invites_disabled')
    expect(problem.status).toBe(403)
    expect(problem.extras.detail).toMatch(/^Guest invitations not allowed for your company/)
  })

  it('an inviter the tenant does not let invite (Lee, no role) → guest_invites_disabled', async () => {
    const lee = await graphTokensFor(emulator).forUser(seeded.nonInviter.upn)
    expect((await problemOf(invite(lee, 'ada@fabrikam.example'))).code).toBe('guest_invites_disabled')
  })

  it("a domain on the tenant's deny list (blocked.example) → blocked_by_tenant_policy naming the domain", async () => {
    const problem = await problemOf(invite(megan, 'eve@blocked.example'))
    expect(problem.code).toBe('blocked_by_tenant_policy')
    expect(problem.extras.detail).toMatch(/'blocked\.example'.*blocked by your invitation policy/)
  })

  it('cross-tenant access settings → blocked_by_tenant_policy', async () => {
    emulator.context.faults.set({ crossTenantBlockedDomains: ['litware.example'] })
    const problem = await problemOf(invite(megan, 'ian@litware.example'))
    expect(problem.code).toBe('blocked_by_tenant_policy')
    expect(problem.extras.detail).toMatch(/cross-tenant access settings/)
  })

  it("a member's address → already_member with the member's object id", async () => {
    const problem = await problemOf(invite(megan, seeded.admin.upn))
    expect(problem.code).toBe('already_member')
    expect(problem.extras.existingUserId).toBe(seeded.admin.id)
    expect(problem.toProblem().existingUserId).toBe(seeded.admin.id)
  })

  it('429 after the RetryHandler gave up → graph_throttled with Retry-After', async () => {
    emulator.context.faults.set({
      throttle: [{ route: 'POST /v1.0/invitations', next: 3, retryAfterSeconds: 0 }],
    })
    const problem = await problemOf(invite(megan, 'ada@fabrikam.example'))
    expect(problem.code).toBe('graph_throttled')
    // Retry-After: 0 still tells the caller to wait a moment.
    expect(problem.extras.retryAfterSeconds).toBe(1)
    expect(emulator.context.faults.injected.throttle).toBe(3)
  })

  it('503 and 504 → upstream_unavailable', async () => {
    emulator.context.faults.set({ unavailable: [{ next: 3, retryAfterSeconds: 0, status: 503 }] })
    expect((await problemOf(invite(megan, 'ada@fabrikam.example'))).code).toBe('upstream_unavailable')
    emulator.context.faults.set({ unavailable: [{ next: 3, retryAfterSeconds: 0, status: 504 }] })
    expect((await problemOf(invite(megan, 'ada@fabrikam.example'))).code).toBe('upstream_unavailable')
  })

  it('a connection reset → upstream_unavailable', async () => {
    emulator.context.faults.set({ connectionReset: [{ next: 1 }] })
    const problem = await problemOf(invite(megan, 'ada@fabrikam.example'))
    expect(problem.code).toBe('upstream_unavailable')
    expect(graphCause(problem).statusCode).toBe(-1)
  })

  it('a token Graph refuses → unauthenticated', async () => {
    const problem = await problemOf(graph.getUser(`${megan.slice(0, -4)}AAAA`, seeded.inviter.id, ['id']))
    expect(problem.code).toBe('unauthenticated')
    expect(graphCause(problem).code).toBe('InvalidAuthenticationToken')
  })

  it('Authorization_RequestDenied (a token with User.Read only) → forbidden', async () => {
    const narrow = await graphTokensFor(emulator).forUser(seeded.inviter.upn, [
      'https://graph.microsoft.com/User.Read',
    ])
    const problem = await problemOf(graph.updateUser(narrow, seeded.existingGuest.id, { givenName: 'Grace' }))
    expect(problem.code).toBe('forbidden')
    expect(graphCause(problem).code).toBe('Authorization_RequestDenied')
  })

  it('an unknown object → not_found', async () => {
    // The app's identity owns the group, so Graph gets as far as looking the member up.
    const app = await graphTokensFor(emulator).app()
    const problem = await problemOf(
      graph.addGroupMember(app, seeded.apolloGroupId, '0000dead-0000-4000-8000-000000000000'),
    )
    expect(problem.code).toBe('not_found')
  })

  it("a directory privilege the signed-in user lacks (403 Authorization_RequestDenied) → forbidden, Graph's cause kept", async () => {
    const problem = await problemOf(
      graph.addGroupMember(megan, seeded.apolloGroupId, seeded.existingGuest.id),
    )
    expect([problem.code, problem.status]).toEqual(['forbidden', 403])
    expect(graphCause(problem)).toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' })
  })

  it("any other 4xx → upstream_error with Graph's reason; the GraphError and its request-id stay for the logs", async () => {
    const problem = await problemOf(graph.updateUser(megan, seeded.existingGuest.id, { usageLocation: 'G1' }))
    expect(problem.code).toBe('upstream_error')
    expect(problem.status).toBe(502)
    expect(problem.extras.detail).toMatch(/^Microsoft Graph refused the request: .*usageLocation/)
    const cause = graphCause(problem)
    expect(cause.statusCode).toBe(400)
    expect(graphRequestId(cause)).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('passes a ProblemError through, and reads request-id from the header when the body has none', () => {
    const original = new ProblemError('consent_required')
    expect(graphProblem(original)).toBe(original)

    const bare = new GraphError(502, 'Bad Gateway')
    bare.headers = new Headers({ 'request-id': 'f00dfeed-0000-4000-8000-000000000000' })
    const problem = graphProblem(bare)
    expect(problem.code).toBe('upstream_error')
    expect(problem.extras.detail).toBe('Microsoft Graph refused the request.')
    expect(graphRequestId(problem.extras.cause)).toBe('f00dfeed-0000-4000-8000-000000000000')
  })
})
