import { randomUUID } from 'node:crypto'
import type { Invitation, Problem } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bffTokenRequests, signInToTenant } from '../identity/identity-fixtures.js'
import { multiTenantSeed } from '../multi-tenant-seed.js'
import { seeded, startTestEmulator } from '../support.js'
import { type Harness, startHarness } from './harness.js'

const ALEX = 'alex@tailspin.example'
const ADA = { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' }
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

let emulator: RunningEmulator
/** Both tenants allowed: a multi-tenant LOB app used by Contoso and Tailspin. */
let both: Harness
/** Only the home tenant (Contoso) allowed. */
let contosoOnly: Harness
/** Both tenants allowed, Graph called with the app's own token (`graphMode: 'app'`). */
let appMode: Harness
let alexToken: string

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: multiTenantSeed() })
  const allowedTenantIds = [seeded.tenantId, seeded.otherTenantId]
  both = await startHarness({ emulator, config: { allowedTenantIds } })
  contosoOnly = await startHarness({ emulator })
  appMode = await startHarness({ emulator, config: { allowedTenantIds, graphMode: 'app' } })
  // Alex signs in to the SPA at Tailspin's own authority, as a multi-tenant SPA does for a Tailspin user.
  alexToken = await signInToTenant(emulator, seeded.otherTenantId, ALEX, seeded.bffScope)
})
afterAll(async () => {
  await Promise.all([both.close(), contosoOnly.close(), appMode.close()])
  await emulator.close()
})
beforeEach(async () => {
  await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' })
})

function inviteAsAlex(harness: Harness, body: Record<string, unknown> = ADA) {
  return harness.app.inject({
    method: 'POST',
    url: '/api/invitations',
    headers: { authorization: `Bearer ${alexToken}`, 'idempotency-key': randomUUID() },
    payload: body,
  })
}

function guestsIn(tenantId: string, email: string) {
  const users = emulator.context.directory.tenant(tenantId)?.users.values() ?? []
  return [...users].filter((user) => user.mail === email)
}

describe('callers from another tenant (multi-tenant BFF)', () => {
  it("invites a Tailspin user's guest On-Behalf-Of them at Tailspin's authority, into Tailspin's directory", async () => {
    const oboAtContoso = bffTokenRequests(emulator, OBO_GRANT, seeded.tenantId)
    const oboAtTailspin = bffTokenRequests(emulator, OBO_GRANT, seeded.otherTenantId)

    const response = await inviteAsAlex(both)

    expect(response.statusCode).toBe(201)
    const invitation = response.json() as Invitation
    expect(invitation).toMatchObject({
      invitedUserEmailAddress: ADA.email,
      status: 'completed',
      invitedBy: { tenantId: seeded.otherTenantId },
    })
    // As Entra does: the guest is created in the inviter's tenant, with that tenant's guest UPN.
    const [guest, ...more] = guestsIn(seeded.otherTenantId, ADA.email)
    expect(more).toEqual([])
    expect(guest).toMatchObject({ id: invitation.invitedUserId, userType: 'Guest' })
    expect(guest?.userPrincipalName).toMatch(/#EXT#@tailspin\.onmicrosoft\.com$/)
    expect(guestsIn(seeded.tenantId, ADA.email)).toEqual([])
    const sent = [...emulator.context.directory.invitations.values()].filter(
      (record) => record.invitedUserEmailAddress === ADA.email,
    )
    expect(sent.map((record) => record.tenantId)).toEqual([seeded.otherTenantId])
    // The On-Behalf-Of exchange went to Tailspin's token endpoint (real msal-node), never to the home tenant's.
    expect(bffTokenRequests(emulator, OBO_GRANT, seeded.otherTenantId)).toBe(oboAtTailspin + 1)
    expect(bffTokenRequests(emulator, OBO_GRANT, seeded.tenantId)).toBe(oboAtContoso)

    // Reading it back refreshes its state from Tailspin's Graph with the cached Tailspin token.
    const read = await both.app.inject({
      method: 'GET',
      url: `/api/invitations/${invitation.id}`,
      headers: { authorization: `Bearer ${alexToken}` },
    })
    expect(read.statusCode).toBe(200)
    expect(read.json()).toMatchObject({ id: invitation.id, invitedUserId: guest?.id })
  })

  it("finishes a Tailspin invitation's pending follow-up with the app's token from Tailspin (the retrier)", async () => {
    emulator.context.faults.set({
      unavailable: [{ route: 'PATCH /v1.0/users/*', next: 20, retryAfterSeconds: 1 }],
    })
    const appTokensAtTailspin = bffTokenRequests(emulator, 'client_credentials', seeded.otherTenantId)
    const response = await inviteAsAlex(both, { ...ADA, attributes: { usageLocation: 'GB' } })
    emulator.context.faults.set({})
    expect(response.statusCode).toBe(201)
    const partial = response.json() as Invitation
    expect(partial.status).toBe('partial')
    const stored = await both.app.entraShare.invitations.get(partial.id)
    if (!stored) throw new Error('the partial invitation was not stored')
    await both.app.entraShare.invitations.save({
      ...stored,
      nextRetryAt: new Date(Date.now() - 1000).toISOString(),
    })

    const run = await both.app.entraShare.invites.retryDueFollowUps()

    expect(run.completed).toBe(1)
    // Follow-ups run under the app's identity: one app token from Tailspin (asked for by the request's follow-ups,
    // cached for the retrier), never the home tenant's.
    expect(bffTokenRequests(emulator, 'client_credentials', seeded.otherTenantId)).toBe(
      appTokensAtTailspin + 1,
    )
    expect(guestsIn(seeded.otherTenantId, ADA.email)[0]?.usageLocation).toBe('GB')
  })

  it('keeps Contoso callers on the home tenant', async () => {
    const response = await both.invite(seeded.inviter.upn, ADA)
    expect(response.statusCode).toBe(201)
    expect(guestsIn(seeded.tenantId, ADA.email)).toHaveLength(1)
    expect(guestsIn(seeded.otherTenantId, ADA.email)).toEqual([])
  })

  it("uses the app's own token from the caller's tenant in graphMode 'app'", async () => {
    const appTokensAtTailspin = bffTokenRequests(emulator, 'client_credentials', seeded.otherTenantId)

    const response = await inviteAsAlex(appMode)

    expect(response.statusCode).toBe(201)
    expect(guestsIn(seeded.otherTenantId, ADA.email)).toHaveLength(1)
    expect(guestsIn(seeded.tenantId, ADA.email)).toEqual([])
    expect(bffTokenRequests(emulator, 'client_credentials', seeded.otherTenantId)).toBe(
      appTokensAtTailspin + 1,
    )
  })

  it('answers a user of a tenant that is not allowed with 403 tenant_not_allowed, never a 401, and invites nobody', async () => {
    const response = await inviteAsAlex(contosoOnly)

    expect(response.statusCode).toBe(403)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    const body = response.json() as Problem
    expect(body.code).toBe('tenant_not_allowed')
    expect(body.detail).toContain(seeded.otherTenantId)
    expect(body.detail).toContain('ENTRA_SHARE_ALLOWED_TENANT_IDS')
    // No Bearer challenge: the component would sign in again and loop.
    expect(response.headers['www-authenticate']).toBeUndefined()
    expect(guestsIn(seeded.otherTenantId, ADA.email)).toEqual([])
    expect(emulator.context.directory.invitations.size).toBe(0)
  })
})
