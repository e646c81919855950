import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { appGraphToken, graphFetch, invitationBody } from './graph-calls.js'
import { seeded, startTestEmulator } from './support.js'

interface EmulatorState {
  tenants: Array<{
    id: string
    users: Array<{ id: string; mail: string | null; userType: string }>
    groups: Array<{ id: string; members: string[] }>
  }>
  invitations: Array<{ invitedUserEmailAddress: string; invitedUserId: string }>
  outbox: Array<{ to: string; inviteRedeemUrl: string }>
  tokenRequests: Array<{ grantType: string; clientId: string; count: number }>
  faults: Record<string, unknown>
  injectedFaults: Record<string, number>
}

describe('/_emulator control routes', () => {
  let emulator: RunningEmulator
  let token: string
  beforeAll(async () => {
    emulator = await startTestEmulator()
    token = await appGraphToken(emulator)
  })
  afterAll(() => emulator.close())

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}/_emulator${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
  const state = async () => (await (await control('GET', '/state')).json()) as EmulatorState
  const contoso = (snapshot: EmulatorState) =>
    snapshot.tenants.find((tenant) => tenant.id === seeded.contosoTenantId)

  it('shows users, groups with their members, invitations, outbox, token requests and injected faults', async () => {
    const seededState = await state()
    expect(contoso(seededState)?.users.map((user) => user.id)).toContain(seeded.inviter.id)
    expect(contoso(seededState)?.groups.find((group) => group.id === seeded.apolloGroupId)?.members).toEqual([
      seeded.inviter.id,
    ])
    expect(seededState).toMatchObject({ invitations: [], outbox: [], tokenRequests: [], faults: {} })
    expect(seededState.injectedFaults).toEqual({
      throttle: 0,
      unavailable: 0,
      connectionReset: 0,
      throttleBudget: 0,
      replicationDelay: 0,
      claimsChallenge: 0,
    })

    const invited = await graphFetch(emulator, token, 'POST', '/invitations', {
      ...invitationBody('ada@fabrikam.example'),
      sendInvitationMessage: true,
    })
    expect(invited.status).toBe(201)
    expect(
      (await control('PUT', '/faults', { throttle: [{ route: 'GET /v1.0/users/*', next: 1 }] })).status,
    ).toBe(200)
    expect((await graphFetch(emulator, token, 'GET', `/users/${seeded.inviter.id}`)).status).toBe(429)
    const tokenResponse = await fetch(emulator.settings.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: seeded.bffClientId,
        client_secret: seeded.bffClientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    })
    expect(tokenResponse.status).toBe(200)

    const after = await state()
    const guest = contoso(after)?.users.find((user) => user.mail === 'ada@fabrikam.example')
    expect(guest?.userType).toBe('Guest')
    expect(after.invitations).toMatchObject([
      { invitedUserEmailAddress: 'ada@fabrikam.example', invitedUserId: guest?.id },
    ])
    expect(after.outbox).toMatchObject([{ to: 'ada@fabrikam.example' }])
    expect(after.faults).toEqual({ throttle: [{ route: 'GET /v1.0/users/*', next: 1 }] })
    expect(after.injectedFaults.throttle).toBe(1)
    expect(after.tokenRequests).toMatchObject([
      { grantType: 'client_credentials', clientId: seeded.bffClientId, count: 1 },
    ])
  })

  it('lists the outbox on its own', async () => {
    await graphFetch(emulator, token, 'POST', '/invitations', {
      ...invitationBody('outbox@fabrikam.example'),
      sendInvitationMessage: true,
    })
    const outbox = (await (await control('GET', '/outbox')).json()) as EmulatorState['outbox']
    expect(outbox.map((message) => message.to)).toContain('outbox@fabrikam.example')
    expect(outbox).toEqual((await state()).outbox)
  })

  it('reads and replaces faults, and refuses a configuration it cannot apply, naming the option', async () => {
    const replaced = await control('PUT', '/faults', { replicationDelayMs: 1500, seed: 9 })
    expect(await replaced.json()).toEqual({ faults: { replicationDelayMs: 1500, seed: 9 } })
    const current = (await (await control('GET', '/faults')).json()) as { faults: unknown; injected: unknown }
    expect(current.faults).toEqual({ replicationDelayMs: 1500, seed: 9 })
    expect(current.injected).toMatchObject({ throttle: expect.any(Number) })

    const refused = await control('PUT', '/faults', { throttleBudget: { requestsPerSecond: -1 } })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual({
      error: 'invalid_faults',
      message: 'faults.throttleBudget.requestsPerSecond: expected a positive number',
    })
    expect(((await (await control('GET', '/faults')).json()) as { faults: unknown }).faults).toEqual({
      replicationDelayMs: 1500,
      seed: 9,
    })
  })

  it('is never subject to faults itself', async () => {
    expect((await control('PUT', '/faults', { unavailable: [{ route: '*', percent: 100 }] })).status).toBe(
      200,
    )
    expect((await control('GET', '/state')).status).toBe(200)
    expect((await graphFetch(emulator, token, 'GET', `/users/${seeded.inviter.id}`)).status).toBe(503)
  })

  it('resets to the seed and clears faults and their counts', async () => {
    await control('PUT', '/faults', {})
    const invited = await graphFetch(emulator, token, 'POST', '/invitations', {
      ...invitationBody('reset@fabrikam.example'),
      sendInvitationMessage: true,
    })
    expect(invited.status).toBe(201)
    await control('PUT', '/faults', {
      guestInvitesDisabled: true,
      throttle: [{ route: 'GET /v1.0/users/*', next: 1 }],
    })
    expect((await graphFetch(emulator, token, 'GET', `/users/${seeded.inviter.id}`)).status).toBe(429)

    expect((await control('POST', '/reset')).status).toBe(204)
    const reset = await state()
    expect(contoso(reset)?.users.some((user) => user.mail === 'reset@fabrikam.example')).toBe(false)
    expect(reset).toMatchObject({ invitations: [], outbox: [], faults: {} })
    expect(Object.values(reset.injectedFaults).every((count) => count === 0)).toBe(true)
    expect(
      (await graphFetch(emulator, token, 'POST', '/invitations', invitationBody('reset@fabrikam.example')))
        .status,
    ).toBe(201)
  })
})
