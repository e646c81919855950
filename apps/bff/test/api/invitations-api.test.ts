import type { Invitation, Problem } from '@entra-share/contracts'
import { signInToSpa } from '@entra-share/emulator/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { seeded } from '../support.js'
import { APP_ORIGIN, type Harness, startHarness } from './harness.js'

const MEGAN = seeded.inviter.upn
const ADA = { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' }

let harness: Harness

beforeAll(async () => {
  harness = await startHarness()
})
afterAll(() => harness.close())
beforeEach(async () => {
  await fetch(`${harness.emulator.url}/_emulator/reset`, { method: 'POST' })
})

function problem(response: { json(): unknown; headers: Record<string, unknown> }): Problem {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  return response.json() as Problem
}

function emulatorUser(id: string) {
  const tenant = harness.emulator.context.directory.tenant(seeded.tenantId)
  return tenant?.users.get(id)
}

function invitationsSentTo(email: string) {
  return [...harness.emulator.context.directory.invitations.values()].filter(
    (invitation) => invitation.invitedUserEmailAddress === email,
  )
}

describe('POST /api/invitations', () => {
  it('invites a guest On-Behalf-Of the user, applies the preset and records the app user by object id', async () => {
    const response = await harness.invite(MEGAN, {
      ...ADA,
      presetId: 'apollo',
      attributes: { givenName: 'Ada' },
    })
    expect(response.statusCode).toBe(201)
    const invitation = response.json() as Invitation
    expect(response.headers.location).toBe(`/api/invitations/${invitation.id}`)
    expect(invitation).toMatchObject({
      invitedUserEmailAddress: ADA.email,
      invitedUserDisplayName: ADA.displayName,
      inviteRedirectUrl: `${APP_ORIGIN}/welcome`,
      status: 'completed',
      externalUserState: 'PendingAcceptance',
      emailSentByMicrosoft: true,
      reinvited: false,
      presetId: 'apollo',
      invitedBy: { tenantId: seeded.tenantId, objectId: seeded.inviter.id },
    })
    expect(invitation.inviteRedeemUrl).toContain('/redeem?')
    expect(invitation.steps.map((step) => [step.name, step.status])).toEqual([
      ['invite', 'succeeded'],
      ['updateAttributes', 'succeeded'],
      ['addToGroup', 'succeeded'],
    ])

    const guest = emulatorUser(invitation.invitedUserId)
    expect(guest).toMatchObject({ userType: 'Guest', usageLocation: 'GB', givenName: 'Ada' })

    // A lower-case usage location is what a person types; Graph is sent the normalised code.
    const lower = await harness.invite(MEGAN, {
      email: 'lower-location@fabrikam.example',
      attributes: { usageLocation: 'fr' },
    })
    expect(lower.statusCode, lower.body).toBe(201)
    expect(emulatorUser((lower.json() as Invitation).invitedUserId)).toMatchObject({ usageLocation: 'FR' })
    const apollo = harness.emulator.context.directory
      .tenant(seeded.tenantId)
      ?.groups.get(seeded.apolloGroupId)
    expect(apollo?.members.has(invitation.invitedUserId)).toBe(true)

    const appUser = await harness.app.entraShare.appUsers.get(invitation.invitedUserId)
    expect(appUser).toMatchObject({ objectId: invitation.invitedUserId, email: ADA.email, userType: 'Guest' })
  })

  it('replays the stored answer for the same Idempotency-Key and body, and refuses another body with 409', async () => {
    const key = 'share-ada-0001'
    const first = await harness.invite(MEGAN, ADA, { idempotencyKey: key })
    const again = await harness.invite(MEGAN, ADA, { idempotencyKey: key })
    expect(again.statusCode).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json()).toEqual(first.json())
    expect(invitationsSentTo(ADA.email)).toHaveLength(1)

    const other = await harness.invite(
      MEGAN,
      { ...ADA, displayName: 'Countess Lovelace' },
      { idempotencyKey: key },
    )
    expect(other.statusCode).toBe(409)
    expect(problem(other).code).toBe('idempotency_conflict')
    expect(invitationsSentTo(ADA.email)).toHaveLength(1)
  })

  it('requires an Idempotency-Key', async () => {
    const response = await harness.invite(MEGAN, ADA, { idempotencyKey: null })
    expect(response.statusCode).toBe(400)
    expect(problem(response)).toMatchObject({
      code: 'invalid_request',
      errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key is required.' }],
    })
  })

  it('answers field errors for an invalid body without calling Graph', async () => {
    const response = await harness.invite(MEGAN, { email: 'ada@fabrikam', displayName: '', admin: true })
    expect(response.statusCode).toBe(400)
    const body = problem(response)
    expect(body.code).toBe('invalid_request')
    expect(body.errors?.map((error) => error.field).sort()).toEqual(['admin', 'displayName', 'email'])
    expect(harness.emulator.context.directory.invitations.size).toBe(0)
  })

  it.each([
    ['an origin off the allowlist', 'https://evil.example/phish', 'redirect_url_not_allowed'],
    ['a look-alike host', 'https://app.contoso.example.evil.example/', 'redirect_url_not_allowed'],
    ['userinfo before the host', 'https://app.contoso.example@evil.example/', 'redirect_url_not_allowed'],
    ['a javascript: URL', 'javascript:alert(1)', 'redirect_url_not_allowed'],
  ])('refuses a redirect URL with %s', async (_case, redirectUrl, code) => {
    const response = await harness.invite(MEGAN, { ...ADA, redirectUrl })
    expect(problem(response).code).toBe(code)
    expect(harness.emulator.context.directory.invitations.size).toBe(0)
  })

  it("refuses a domain on the BFF's deny list, and a preset the caller may not use", async () => {
    const domain = await harness.invite(MEGAN, { email: 'spy@competitor.example' })
    expect(domain.statusCode).toBe(400)
    expect(problem(domain)).toMatchObject({
      code: 'domain_not_allowed',
      detail: expect.stringContaining('competitor.example'),
    })
    const preset = await harness.invite(MEGAN, { ...ADA, presetId: 'admins-only' })
    expect(preset.statusCode).toBe(403)
    expect(problem(preset).code).toBe('preset_not_allowed')
    const unknown = await harness.invite(MEGAN, { ...ADA, presetId: 'nope' })
    expect(problem(unknown).code).toBe('preset_not_allowed')
    expect(harness.emulator.context.directory.invitations.size).toBe(0)
  })

  it('answers already_member for a member of the directory without inviting', async () => {
    const response = await harness.invite(MEGAN, { email: seeded.admin.upn })
    expect(response.statusCode).toBe(409)
    expect(problem(response)).toMatchObject({ code: 'already_member', existingUserId: seeded.admin.id })
    expect(harness.emulator.context.directory.invitations.size).toBe(0)
  })

  it('re-invites an existing guest: same object id, a new redeem URL', async () => {
    const first = (await harness.invite(MEGAN, ADA)).json() as Invitation
    const second = await harness.invite(MEGAN, ADA)
    expect(second.statusCode).toBe(201)
    const again = second.json() as Invitation
    expect(again.invitedUserId).toBe(first.invitedUserId)
    expect(again.inviteRedeemUrl).not.toBe(first.inviteRedeemUrl)
    expect(again.reinvited).toBe(true)
  })

  it('answers guest_invites_disabled when the user may not invite, or invitations are off', async () => {
    const lee = await harness.invite(seeded.nonInviter.upn, ADA)
    expect(lee.statusCode).toBe(403)
    expect(problem(lee).code).toBe('guest_invites_disabled')
    harness.emulator.context.faults.set({ guestInvitesDisabled: true })
    const megan = await harness.invite(MEGAN, ADA)
    expect(problem(megan).code).toBe('guest_invites_disabled')
  })

  it("answers blocked_by_tenant_policy for the tenant's deny list and for cross-tenant access settings", async () => {
    const denied = await harness.invite(MEGAN, { email: 'someone@blocked.example' })
    expect(denied.statusCode).toBe(403)
    expect(problem(denied).code).toBe('blocked_by_tenant_policy')
    harness.emulator.context.faults.set({ crossTenantBlockedDomains: ['fabrikam.example'] })
    const crossTenant = await harness.invite(MEGAN, ADA)
    expect(problem(crossTenant).code).toBe('blocked_by_tenant_policy')
  })

  it('answers graph_throttled with Retry-After when Graph keeps answering 429, and a retry with the same key runs again', async () => {
    harness.emulator.context.faults.set({
      throttle: [{ route: 'POST /v1.0/invitations', next: 10, retryAfterSeconds: 1 }],
    })
    const key = 'throttled-ada-01'
    const throttled = await harness.invite(MEGAN, ADA, { idempotencyKey: key })
    expect(throttled.statusCode).toBe(503)
    expect(problem(throttled)).toMatchObject({
      code: 'graph_throttled',
      retryAfterSeconds: expect.any(Number),
    })
    expect(throttled.headers['retry-after']).toBeDefined()
    harness.emulator.context.faults.set({})
    const retried = await harness.invite(MEGAN, ADA, { idempotencyKey: key })
    expect(retried.statusCode).toBe(201)
  })

  it('answers upstream_unavailable when Graph stays unavailable', async () => {
    harness.emulator.context.faults.set({
      unavailable: [{ route: 'POST /v1.0/invitations', next: 10, retryAfterSeconds: 1 }],
    })
    const response = await harness.invite(MEGAN, ADA)
    expect(response.statusCode).toBe(503)
    expect(problem(response).code).toBe('upstream_unavailable')
  })

  it('keeps a partial success when a group add fails after the invite, and completes it later', async () => {
    harness.emulator.context.faults.set({
      unavailable: [{ route: 'POST /v1.0/groups/*/members/$ref', next: 20, retryAfterSeconds: 1 }],
    })
    const response = await harness.invite(MEGAN, { ...ADA, presetId: 'apollo' })
    expect(response.statusCode).toBe(201)
    const partial = response.json() as Invitation
    expect(partial.status).toBe('partial')
    expect(partial.steps.find((step) => step.name === 'addToGroup')).toMatchObject({ status: 'pending' })

    harness.emulator.context.faults.set({})
    const stored = await harness.app.entraShare.invitations.get(partial.id)
    if (!stored) throw new Error('the partial invitation was not stored')
    await harness.app.entraShare.invitations.save({
      ...stored,
      nextRetryAt: new Date(Date.now() - 1000).toISOString(),
    })
    const run = await harness.app.entraShare.invites.retryDueFollowUps()
    expect(run.completed).toBe(1)

    const read = await harness.get(MEGAN, `/api/invitations/${partial.id}`)
    expect((read.json() as Invitation).status).toBe('completed')
    const apollo = harness.emulator.context.directory
      .tenant(seeded.tenantId)
      ?.groups.get(seeded.apolloGroupId)
    expect(apollo?.members.has(partial.invitedUserId)).toBe(true)
  })

  it('answers claims_challenge with WWW-Authenticate when On-Behalf-Of needs MFA', async () => {
    // A new sign-in: msal-node serves On-Behalf-Of tokens from its cache per assertion, and Conditional Access
    // speaks only when a token is actually requested.
    const freshToken = (await signInToSpa(harness.emulator, MEGAN)).access_token
    harness.emulator.context.faults.set({ claimsChallengeUsers: [MEGAN] })
    const response = await harness.invite(MEGAN, ADA, { headers: { authorization: `Bearer ${freshToken}` } })
    expect(response.statusCode).toBe(401)
    const body = problem(response)
    expect(body.code).toBe('claims_challenge')
    expect(body.claims).toBeTruthy()
    expect(response.headers['www-authenticate']).toMatch(/error="insufficient_claims", claims="[^"]+"/)
    expect(JSON.parse(Buffer.from(body.claims as string, 'base64').toString('utf8'))).toHaveProperty(
      'access_token',
    )
  })

  it('refuses a missing or forged token with 401 and WWW-Authenticate', async () => {
    const missing = await harness.app.inject({ method: 'POST', url: '/api/invitations', payload: ADA })
    expect(missing.statusCode).toBe(401)
    expect(problem(missing).code).toBe('unauthenticated')
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/)
    const token = await harness.tokenFor(MEGAN)
    const [header, payload] = token.split('.')
    const forged = await harness.app.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: {
        authorization: `Bearer ${header}.${payload}.c2lnbmF0dXJl`,
        'idempotency-key': 'forged-0001',
      },
      payload: ADA,
    })
    expect(forged.statusCode).toBe(401)
    expect(forged.headers['www-authenticate']).toContain('error="invalid_token"')
  })

  it('refuses a body over the size limit with 413', async () => {
    const response = await harness.invite(MEGAN, { ...ADA, message: 'x'.repeat(70 * 1024) })
    expect(response.statusCode).toBe(413)
    expect(problem(response).code).toBe('payload_too_large')
  })
})

describe('reading invitations', () => {
  it('lists the caller’s own invitations newest first, page by page; all of them only for admins', async () => {
    for (const n of [1, 2, 3]) await harness.invite(MEGAN, { email: `guest${n}@fabrikam.example` })
    const first = await harness.get(MEGAN, '/api/invitations?limit=2')
    expect(first.statusCode).toBe(200)
    const page = first.json() as { items: Invitation[]; nextCursor?: string }
    expect(page.items.map((item) => item.invitedUserEmailAddress)).toEqual([
      'guest3@fabrikam.example',
      'guest2@fabrikam.example',
    ])
    const second = (
      await harness.get(MEGAN, `/api/invitations?limit=2&cursor=${page.nextCursor}`)
    ).json() as {
      items: Invitation[]
    }
    expect(second.items.map((item) => item.invitedUserEmailAddress)).toContain('guest1@fabrikam.example')

    const notAdmin = await harness.get(MEGAN, '/api/invitations?scope=all')
    expect(notAdmin.statusCode).toBe(403)
    expect(problem(notAdmin).code).toBe('forbidden')
    const bad = await harness.get(MEGAN, '/api/invitations?cursor=garbage')
    expect(problem(bad).code).toBe('invalid_request')
  })

  it('refreshes externalUserState from Graph after the guest redeems', async () => {
    const invitation = (await harness.invite(MEGAN, ADA)).json() as Invitation
    const guest = emulatorUser(invitation.invitedUserId)
    if (!guest) throw new Error('no guest in the emulator')
    guest.externalUserState = 'Accepted'
    const read = await harness.get(MEGAN, `/api/invitations/${invitation.id}`)
    expect((read.json() as Invitation).externalUserState).toBe('Accepted')
    expect((await harness.app.entraShare.appUsers.get(invitation.invitedUserId))?.externalUserState).toBe(
      'Accepted',
    )
  })

  it("hides another user's invitation (404) and answers not_found for unknown ids and routes", async () => {
    const invitation = (await harness.invite(MEGAN, ADA)).json() as Invitation
    const asAdele = await harness.get(seeded.admin.upn, `/api/invitations/${invitation.id}`)
    expect(asAdele.statusCode).toBe(200) // Adele holds Invitations.Admin
    const asLee = await harness.get(seeded.nonInviter.upn, `/api/invitations/${invitation.id}`)
    expect(asLee.statusCode).toBe(404)
    expect(problem(asLee).code).toBe('not_found')
    const unknown = await harness.app.inject({ method: 'GET', url: '/api/nothing-here' })
    expect(problem(unknown).code).toBe('not_found')
  })

  it('resends with a new redeem URL for the same guest', async () => {
    const invitation = (await harness.invite(MEGAN, ADA)).json() as Invitation
    const resent = await harness.app.inject({
      method: 'POST',
      url: `/api/invitations/${invitation.id}/resend`,
      headers: { authorization: `Bearer ${await harness.tokenFor(MEGAN)}` },
    })
    expect(resent.statusCode).toBe(200)
    const body = resent.json() as Invitation
    expect(body.invitedUserId).toBe(invitation.invitedUserId)
    expect(body.inviteRedeemUrl).not.toBe(invitation.inviteRedeemUrl)
  })
})

describe('GET /api/config', () => {
  it('offers the presets the caller may use, the domain rules, the default redirect and limits', async () => {
    const megan = (await harness.get(MEGAN, '/api/config')).json() as { presets: { id: string }[] }
    expect(megan).toMatchObject({
      defaultPresetId: 'apollo',
      domains: { allowed: [], blocked: ['competitor.example'] },
      defaultRedirectUrl: `${APP_ORIGIN}/welcome`,
      emailMode: 'microsoft',
    })
    expect(megan.presets.map((preset) => preset.id)).toEqual(['apollo'])
    const adele = (await harness.get(seeded.admin.upn, '/api/config')).json() as { presets: { id: string }[] }
    expect(adele.presets.map((preset) => preset.id)).toEqual(['apollo', 'admins-only'])
  })
})

describe('order of checks', () => {
  it('refuses an anonymous request with 401 before looking at its body', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/invitations',
      payload: { nonsense: 1 },
    })
    expect(response.statusCode).toBe(401)
    expect(problem(response).code).toBe('unauthenticated')
  })
})

describe('what Microsoft emails: links and invisible characters', () => {
  function sentToAda() {
    return {
      invitations: invitationsSentTo(ADA.email),
      mail: harness.emulator.context.directory.outbox.filter((message) => message.to === ADA.email),
    }
  }

  it('refuses a message with a link by default: 400 message_links_not_allowed naming it, Graph never called', async () => {
    const response = await harness.invite(MEGAN, {
      ...ADA,
      message: 'Your account needs attention: https://evil.example/login',
    })
    expect(response.statusCode).toBe(400)
    expect(problem(response)).toMatchObject({
      code: 'message_links_not_allowed',
      detail: expect.stringContaining('https://evil.example/login'),
      errors: [{ field: 'message', message: expect.stringContaining('https://evil.example/login') }],
    })
    const bare = await harness.invite(MEGAN, { ...ADA, message: 'Sign in at evil.example/login today.' })
    expect(problem(bare)).toMatchObject({
      code: 'message_links_not_allowed',
      detail: expect.stringContaining('evil.example/login'),
    })
    expect(harness.emulator.context.directory.invitations.size).toBe(0)
    expect(harness.emulator.context.directory.outbox).toEqual([])
  })

  it('strips a U+202E override and zero-width characters before Graph sees the name and the message', async () => {
    const response = await harness.invite(MEGAN, {
      email: ADA.email,
      displayName: 'Ada \u202Eecalevol\u202C\u200B',
      message: 'Welcome\u200B to \u2066Apollo\u2069.',
    })
    expect(response.statusCode).toBe(201)
    expect((response.json() as Invitation).invitedUserDisplayName).toBe('Ada ecalevol')
    const { invitations, mail } = sentToAda()
    expect(invitations.map((invitation) => invitation.invitedUserDisplayName)).toEqual(['Ada ecalevol'])
    expect(mail.map((message) => message.customizedMessageBody)).toEqual(['Welcome to Apollo.'])
  })

  it('allowlist policy: a link to the redirect origin reaches Graph, a link elsewhere does not', async () => {
    const allowlist = await startHarness({
      emulator: harness.emulator,
      config: { messageLinks: 'allowlist' },
    })
    try {
      const message = `Your project space: ${APP_ORIGIN}/projects/apollo`
      const passed = await allowlist.invite(MEGAN, { ...ADA, message })
      expect(passed.statusCode, passed.body).toBe(201)
      expect(sentToAda().mail.map((mail) => mail.customizedMessageBody)).toEqual([message])
      const refused = await allowlist.invite(MEGAN, {
        email: 'bob@fabrikam.example',
        message: `Your project space: ${APP_ORIGIN}.evil.example/projects/apollo`,
      })
      expect(problem(refused).code).toBe('message_links_not_allowed')
      expect(invitationsSentTo('bob@fabrikam.example')).toEqual([])
      const config = (await allowlist.get(MEGAN, '/api/config')).json() as { limits: object }
      expect(config.limits).toMatchObject({ messageLinks: 'allowlist' })
    } finally {
      await allowlist.close()
    }
  })

  it("tells the component the policy in GET /api/config (default 'none')", async () => {
    const config = (await harness.get(MEGAN, '/api/config')).json() as { limits: object }
    expect(config.limits).toMatchObject({ messageLinks: 'none' })
  })
})
