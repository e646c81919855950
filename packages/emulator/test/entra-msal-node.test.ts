import {
  type AuthError,
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  ServerError,
} from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { decodeSessionFacts } from '../src/entra/token-service.js'
import type { RunningEmulator } from '../src/index.js'
import { approveMfa, authorizeUrl, redeemCode, signInToSpa, visit } from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default'
const OBO = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

describe('msal-node against the emulator', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  beforeEach(() => {
    emulator.context.directory.reset()
    emulator.context.faults.reset()
  })
  afterAll(() => emulator.close())

  function bff(clientId: string = seeded.bffClientId, clientSecret: string = seeded.bffClientSecret) {
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    return new ConfidentialClientApplication({
      auth: { clientId, clientSecret, authority, knownAuthorities, authorityMetadata },
    })
  }

  function tokenRequests(grantType: string, clientId: string): number {
    return (
      emulator.context.directory
        .tokenRequests()
        .find((entry) => entry.grantType === grantType && entry.clientId === clientId)?.count ?? 0
    )
  }

  async function rejection(promise: Promise<unknown>): Promise<AuthError> {
    try {
      await promise
    } catch (error) {
      return error as AuthError
    }
    throw new Error('expected msal to throw')
  }

  it('gets an app-only Graph token with client credentials, then serves it from its cache', async () => {
    const app = bff()
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
    expect(result?.fromCache).toBe(false)
    expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({
      aud: 'https://graph.microsoft.com',
      appid: seeded.bffClientId,
      idtyp: 'app',
      roles: ['User.Invite.All', 'Directory.Read.All'],
    })
    const again = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
    expect(again?.fromCache).toBe(true)
    expect(tokenRequests('client_credentials', seeded.bffClientId)).toBe(1)
  })

  it('discovers the authority over the network when no authorityMetadata is given', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: seeded.bffClientId,
        clientSecret: seeded.bffClientSecret,
        authority: `${emulator.url}/contoso.example`,
        knownAuthorities: emulator.settings.knownAuthorities,
      },
    })
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })
    expect(decodeJwt(result?.accessToken ?? '').tid).toBe(seeded.contosoTenantId)
  })

  it('exchanges the SPA token On-Behalf-Of the user; the same assertion again is served from the cache', async () => {
    const assertion = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const app = bff()
    const result = await app.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH_DEFAULT] })

    expect(result?.fromCache).toBe(false)
    expect(result?.account?.username).toBe(seeded.inviter.upn)
    expect(result?.account?.homeAccountId).toBe(`${seeded.inviter.id}.${seeded.contosoTenantId}`)
    const graph = decodeJwt(result?.accessToken ?? '')
    expect(graph).toMatchObject({
      aud: 'https://graph.microsoft.com',
      appid: seeded.bffClientId,
      upn: seeded.inviter.upn,
    })
    expect(String(graph.scp).split(' ')).toEqual(
      expect.arrayContaining(['User.Invite.All', 'GroupMember.ReadWrite.All', 'openid', 'profile']),
    )
    expect(tokenRequests(OBO, seeded.bffClientId)).toBe(1)

    const again = await app.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH_DEFAULT] })
    expect(again?.fromCache).toBe(true)
    expect(again?.accessToken).toBe(result?.accessToken)
    expect(tokenRequests(OBO, seeded.bffClientId)).toBe(1)

    const named = ['https://graph.microsoft.com/User.Invite.All']
    await app.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: named })
    expect((await app.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: named }))?.fromCache).toBe(
      true,
    )
    expect(tokenRequests(OBO, seeded.bffClientId)).toBe(2)
  })

  it('answers consent_required (AADSTS65001) when a Graph permission lacks admin consent', async () => {
    const scope = `api://${seeded.unconsentedBffClientId}/Invitations.Send`
    const assertion = (await signInToSpa(emulator, seeded.inviter.upn, scope)).access_token
    const error = await rejection(
      bff(seeded.unconsentedBffClientId, seeded.unconsentedBffClientSecret).acquireTokenOnBehalfOf({
        oboAssertion: assertion,
        scopes: ['https://graph.microsoft.com/User.Invite.All'],
      }),
    )
    expect(error).toBeInstanceOf(InteractionRequiredAuthError)
    expect(error.errorCode).toBe('invalid_grant')
    expect(error.subError).toBe('consent_required')
    expect(error.errorMessage).toContain(
      `AADSTS65001: The user or administrator has not consented to use the application with ID '${seeded.unconsentedBffClientId}' named 'entra-share BFF (awaiting admin consent)'.`,
    )
  })

  it('challenges with claims when Conditional Access wants MFA, and passes once the user steps up', async () => {
    emulator.context.faults.set({ claimsChallengeUsers: [seeded.inviter.upn] })
    const withoutMfa = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const error = (await rejection(
      bff().acquireTokenOnBehalfOf({ oboAssertion: withoutMfa, scopes: [GRAPH_DEFAULT] }),
    )) as InteractionRequiredAuthError
    expect(error).toBeInstanceOf(InteractionRequiredAuthError)
    expect(error.errorCode).toBe('invalid_grant')
    expect(error.subError).toBe('basic_action')
    expect(error.errorMessage).toContain('AADSTS50076: ')
    const claims = JSON.parse(error.claims)
    expect(claims.access_token.capolids.essential).toBe(true)
    expect(claims.access_token.capolids.values).toHaveLength(1)

    // The SPA repeats its sign-in with the claims, as msal-browser's acquireToken*({ claims }) does.
    const scope = `${seeded.bffScope} openid profile offline_access`
    const start = authorizeUrl(emulator, { loginHint: seeded.inviter.upn, scope, claims: error.claims })
    const approved = await approveMfa(emulator, (await visit(start.url)).html)
    const steppedUp = await redeemCode(emulator, approved.params.get('code') ?? '', start, { scope })
    const result = await bff().acquireTokenOnBehalfOf({
      oboAssertion: String(steppedUp.body.access_token),
      scopes: [GRAPH_DEFAULT],
    })
    expect(decodeJwt(result?.accessToken ?? '').amr).toEqual(['pwd', 'mfa'])
  })

  it('lets a user whose sign-in did MFA through the MFA policy', async () => {
    const assertion = (await signInToSpa(emulator, seeded.mfaUser.upn)).access_token
    expect(decodeSessionFacts(decodeJwt(assertion).aio).mfa).toBe(true)
    const result = await bff().acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH_DEFAULT] })
    expect(decodeJwt(result?.accessToken ?? '').upn).toBe(seeded.mfaUser.upn)
  })

  it('refuses an expired assertion (AADSTS500133)', async () => {
    const tenant = emulator.context.directory.tenant(seeded.contosoTenantId)
    const user = tenant?.users.get(seeded.inviter.id)
    const api = tenant?.applications.get(seeded.bffClientId)
    if (!tenant || !user || !api) throw new Error('seed changed')
    // The only way to hold an expired token without waiting 75 minutes: mint one that expired a minute ago.
    const expired = await emulator.context.tokens.apiAccessToken({
      tenant,
      api,
      clientId: seeded.spaClientId,
      clientAuthentication: '0',
      user,
      session: { mfa: false },
      scopes: ['Invitations.Send'],
      roles: [],
      lifetimeSeconds: -60,
    })
    const error = await rejection(
      bff().acquireTokenOnBehalfOf({ oboAssertion: expired, scopes: [GRAPH_DEFAULT] }),
    )
    expect(error).toBeInstanceOf(ServerError)
    expect(error.errorCode).toBe('invalid_grant')
    expect(error.errorMessage).toMatch(/AADSTS500133: Assertion is not within its valid time range\./)
  })

  it('refuses an assertion meant for another audience (AADSTS500131)', async () => {
    const graphToken = (await signInToSpa(emulator, seeded.inviter.upn, 'User.Read')).access_token
    const error = await rejection(
      bff().acquireTokenOnBehalfOf({ oboAssertion: graphToken, scopes: [GRAPH_DEFAULT] }),
    )
    expect(error.errorCode).toBe('invalid_grant')
    expect(error.errorMessage).toContain(
      "AADSTS500131: Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was 'https://graph.microsoft.com'",
    )
  })

  it('refuses a wrong client secret (AADSTS7000215, invalid_client)', async () => {
    const error = await rejection(
      bff(seeded.bffClientId, 'not-the-secret-at-all').acquireTokenByClientCredential({
        scopes: [GRAPH_DEFAULT],
      }),
    )
    expect(error.errorCode).toBe('invalid_client')
    expect(error.errorMessage).toContain('AADSTS7000215: Invalid client secret provided.')
  })
})
