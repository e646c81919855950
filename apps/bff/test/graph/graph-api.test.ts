import type { RunningEmulator } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createGraphApi, type GraphApi } from '../../src/graph/graph-api.js'
import { seeded, startTestEmulator } from '../support.js'
import { graphCause, graphTokensFor, problemOf } from './graph-test-support.js'

const REDIRECT = 'https://apps.contoso.example/welcome'

describe('createGraphApi against the emulator, with the real Graph SDK', () => {
  let emulator: RunningEmulator
  let graph: GraphApi
  let token: string
  /** The BFF's own token: its service principal owns the preset groups and may write the guests' profiles. */
  let appToken: string

  beforeAll(async () => {
    emulator = await startTestEmulator()
    graph = createGraphApi({
      baseUrl: emulator.settings.graphBaseUrl,
      retry: { maxRetries: 3, delaySeconds: 0 },
    })
    token = await graphTokensFor(emulator).forUser(seeded.inviter.upn)
    appToken = await graphTokensFor(emulator).app()
  })
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })
  afterAll(() => emulator.close())

  const tenant = () => {
    const found = emulator.context.directory.tenant(seeded.tenantId)
    if (!found) throw new Error('no Contoso tenant')
    return found
  }

  it('invites a guest: the directory holds a Guest and the answer carries the redeem URL and object id', async () => {
    const invitation = await graph.inviteGuest(token, {
      invitedUserEmailAddress: 'ada@fabrikam.example',
      inviteRedirectUrl: REDIRECT,
      invitedUserDisplayName: 'Ada Lovelace',
      sendInvitationMessage: true,
      invitedUserMessageInfo: { customizedMessageBody: 'Welcome to Apollo.' },
    })
    expect(invitation).toMatchObject({
      invitedUserEmailAddress: 'ada@fabrikam.example',
      inviteRedirectUrl: REDIRECT,
      sendInvitationMessage: true,
      status: 'PendingAcceptance',
    })
    expect(invitation.inviteRedeemUrl).toMatch(/\/redeem\?rd=/)
    const guest = tenant().users.get(invitation.invitedUser.id)
    expect(guest).toMatchObject({
      userType: 'Guest',
      creationType: 'Invitation',
      displayName: 'Ada Lovelace',
    })
    expect(emulator.context.directory.outbox.map((mail) => mail.to)).toContain('ada@fabrikam.example')
  })

  it('finds a member by mail and a guest by one of its otherMails, case-insensitively', async () => {
    const members = await graph.findUsersByEmail(token, 'MEGAN@contoso.example')
    expect(members).toEqual([
      {
        id: seeded.inviter.id,
        userType: 'Member',
        mail: 'megan@contoso.example',
        displayName: 'Megan Bowen',
        externalUserState: null,
      },
    ])

    // Grace's primary mail changes; the invited address survives only in otherMails.
    const grace = tenant().users.get(seeded.existingGuest.id)
    if (!grace) throw new Error('no Grace')
    emulator.context.directory.updateUser(grace, { mail: 'grace.hopper@northwind.example' })
    const guests = await graph.findUsersByEmail(token, 'grace@northwind.example')
    expect(guests.map((user) => [user.id, user.userType, user.mail])).toEqual([
      [seeded.existingGuest.id, 'Guest', 'grace.hopper@northwind.example'],
    ])
    expect(await graph.findUsersByEmail(token, 'nobody@fabrikam.example')).toEqual([])
  })

  it("looks up an address with a quote (OData doubles it) and one with '+', '&' and '#' (URL-encoded)", async () => {
    const quoted = "o'brien@fabrikam.example"
    const invitation = await graph.inviteGuest(token, {
      invitedUserEmailAddress: quoted,
      inviteRedirectUrl: REDIRECT,
      sendInvitationMessage: false,
    })
    const found = await graph.findUsersByEmail(token, quoted)
    expect(found.map((user) => [user.id, user.userType, user.externalUserState])).toEqual([
      [invitation.invitedUser.id, 'Guest', 'PendingAcceptance'],
    ])

    // Graph refuses to invite such an address, but a directory user may carry one among otherMails.
    const grace = tenant().users.get(seeded.existingGuest.id)
    if (!grace) throw new Error('no Grace')
    emulator.context.directory.updateUser(grace, {
      otherMails: [...grace.otherMails, 'grace+apollo&co#1@northwind.example'],
    })
    const byOtherMail = await graph.findUsersByEmail(token, 'grace+apollo&co#1@northwind.example')
    expect(byOtherMail.map((user) => user.id)).toEqual([seeded.existingGuest.id])
  })

  it('reads selected properties, sets attributes with PATCH and adds to a group with $ref', async () => {
    const { invitedUser } = await graph.inviteGuest(token, {
      invitedUserEmailAddress: 'ada@fabrikam.example',
      inviteRedirectUrl: REDIRECT,
      sendInvitationMessage: false,
    })
    // Megan (a Guest Inviter) may invite, but her own token may not write the guest or the group: Entra checks her
    // roles too. The app's identity does the follow-ups.
    expect((await problemOf(graph.updateUser(token, invitedUser.id, { usageLocation: 'GB' }))).code).toBe(
      'forbidden',
    )
    expect((await problemOf(graph.addGroupMember(token, seeded.apolloGroupId, invitedUser.id))).code).toBe(
      'forbidden',
    )
    await graph.updateUser(appToken, invitedUser.id, {
      givenName: 'Ada',
      surname: 'Lovelace',
      usageLocation: 'GB',
    })
    expect(
      await graph.getUser(token, invitedUser.id, [
        'id',
        'givenName',
        'surname',
        'usageLocation',
        'externalUserState',
      ]),
    ).toMatchObject({
      id: invitedUser.id,
      givenName: 'Ada',
      surname: 'Lovelace',
      usageLocation: 'GB',
      externalUserState: 'PendingAcceptance',
    })

    expect(await graph.addGroupMember(appToken, seeded.apolloGroupId, invitedUser.id)).toBe('added')
    expect(tenant().groups.get(seeded.apolloGroupId)?.members.has(invitedUser.id)).toBe(true)
    // Graph's 400 "One or more added object references already exist" is what the caller wanted.
    expect(await graph.addGroupMember(appToken, seeded.apolloGroupId, invitedUser.id)).toBe('alreadyMember')
  })

  it("waits as long as Graph's Retry-After says (SDK RetryHandler), then succeeds", async () => {
    emulator.context.faults.set({
      throttle: [{ route: 'POST /v1.0/invitations', next: 2, retryAfterSeconds: 1 }],
    })
    const started = Date.now()
    const invitation = await graph.inviteGuest(token, {
      invitedUserEmailAddress: 'ada@fabrikam.example',
      inviteRedirectUrl: REDIRECT,
      sendInvitationMessage: false,
    })
    // delaySeconds is 0, so only Retry-After (1 s, twice) explains the wait.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900)
    expect(emulator.context.faults.injected.throttle).toBe(2)
    expect(invitation.invitedUser.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('stops after maxRetries and reports the last answer', async () => {
    emulator.context.faults.set({ unavailable: [{ route: '/v1.0/users/*', next: 10, retryAfterSeconds: 0 }] })
    const problem = await problemOf(graph.getUser(token, seeded.inviter.id, ['id']))
    expect(problem.code).toBe('upstream_unavailable')
    // One try and three retries.
    expect(emulator.context.faults.injected.unavailable).toBe(4)
  })

  it('sends a client-request-id of its own, which Graph echoes', async () => {
    const problem = await problemOf(graph.getUser(token, '0000dead-0000-4000-8000-000000000000', ['id']))
    const headers = graphCause(problem).headers
    const clientRequestId = headers?.get('client-request-id')
    expect(clientRequestId).toMatch(/^[0-9a-f-]{36}$/i)
    // Without a client-request-id, Graph (and the emulator) would echo its own request-id.
    expect(clientRequestId).not.toBe(headers?.get('request-id'))
  })

  it('refuses a base URL that would make the SDK drop the token or mis-build paths', () => {
    expect(() => createGraphApi({ baseUrl: 'http://127.0.0.1:1/v1.0' })).toThrow(/https/)
    expect(() => createGraphApi({ baseUrl: 'https://graph.microsoft.com' })).toThrow(/version/)
  })
})
