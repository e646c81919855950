import { ConfidentialClientApplication } from '@azure/msal-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FaultConfig } from '../src/faults/engine.js'
import type { RunningEmulator } from '../src/index.js'
import { seeded, startTestEmulator } from './support.js'

const TOKEN_ROUTE = 'POST /*/oauth2/v2.0/token'
const GRAPH_DEFAULT_SCOPE = ['https://graph.microsoft.com/.default']

describe('faults on the token endpoint', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.context.faults.reset())

  const setFaults = (config: FaultConfig) => emulator.context.faults.set(config)
  const postToken = () =>
    fetch(emulator.settings.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'client-request-id': 'caller-correlation',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: seeded.bffClientId,
        client_secret: seeded.bffClientSecret,
        scope: GRAPH_DEFAULT_SCOPE[0] as string,
      }),
    })
  // A fresh msal-node client each time, so no test inherits another's throttling state.
  const msalClient = () =>
    new ConfidentialClientApplication({
      auth: {
        clientId: seeded.bffClientId,
        clientSecret: seeded.bffClientSecret,
        authority: emulator.settings.authority,
        knownAuthorities: emulator.settings.knownAuthorities,
        authorityMetadata: emulator.settings.authorityMetadata,
      },
    })
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: { errorCode?: string; constructor: { name: string } }) => error,
    )

  it('answers 503 as the token service does: Retry-After and OAuth error temporarily_unavailable', async () => {
    setFaults({ unavailable: [{ route: TOKEN_ROUTE, next: 1, retryAfterSeconds: 7 }] })
    const response = await postToken()
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('7')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      error: 'temporarily_unavailable',
      error_codes: [90024],
      correlation_id: 'caller-correlation',
      error_uri: 'https://login.microsoftonline.com/error?code=90024',
    })
    expect(body.error_description).toMatch(
      /^AADSTS90024: A transient error has occurred\. Try again\. Trace ID: /,
    )
    expect(response.headers.get('client-request-id')).toBe('caller-correlation')
    expect(response.headers.get('x-ms-request-id')).toBe(body.trace_id)
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/)
  })

  it('answers 504 in the same shape', async () => {
    setFaults({ unavailable: [{ route: TOKEN_ROUTE, next: 1, status: 504 }] })
    const response = await postToken()
    expect(response.status).toBe(504)
    expect(((await response.json()) as { error: string }).error).toBe('temporarily_unavailable')
  })

  it('answers 429 with Retry-After and a plain-text body, as the token service does', async () => {
    setFaults({ throttle: [{ route: TOKEN_ROUTE, next: 1, retryAfterSeconds: 60 }] })
    const response = await postToken()
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('60')
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await response.text()).toBe('Too Many Requests')
  })

  it('leaves Graph alone when a rule names the token endpoint', async () => {
    setFaults({ unavailable: [{ route: TOKEN_ROUTE, percent: 100 }] })
    const response = await fetch(`${emulator.url}/v1.0/users`)
    expect(response.status).toBe(401)
  })

  it('makes msal-node throttle the client itself after a 503: the next call never reaches the emulator', async () => {
    setFaults({ unavailable: [{ route: TOKEN_ROUTE, next: 1, retryAfterSeconds: 30 }] })
    const msal = msalClient()
    const first = await failureOf(msal.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT_SCOPE }))
    expect(first?.constructor.name).toBe('ServerError')
    expect(first?.errorCode).toBe('temporarily_unavailable')
    const second = await failureOf(msal.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT_SCOPE }))
    expect(second?.constructor.name).toBe('ServerError')
    expect(emulator.context.faults.injected.unavailable).toBe(1)
  })

  it('gives msal-node a body it cannot parse on 429, so it does not throttle itself', async () => {
    setFaults({ throttle: [{ route: TOKEN_ROUTE, next: 2, retryAfterSeconds: 30 }] })
    const msal = msalClient()
    const first = await failureOf(msal.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT_SCOPE }))
    expect(first?.errorCode).toBe('token_parsing_error')
    await failureOf(msal.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT_SCOPE }))
    expect(emulator.context.faults.injected.throttle).toBe(2)
    const token = await msal.acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT_SCOPE })
    expect(token?.accessToken).toMatch(/^ey/)
  })

  it('lets a single-page app read the fault answer, as it reads the endpoint’s own', async () => {
    setFaults({ throttle: [{ route: TOKEN_ROUTE, percent: 100 }] })
    const fromOrigin = (origin: string) =>
      fetch(emulator.settings.tokenEndpoint, {
        method: 'POST',
        headers: { origin },
        body: 'grant_type=refresh_token',
      })
    const spa = await fromOrigin('http://localhost:5173')
    expect(spa.status).toBe(429)
    expect(spa.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(spa.headers.get('access-control-expose-headers')).toContain('Retry-After')
    const stranger = await fromOrigin('https://attacker.example')
    expect(stranger.status).toBe(429)
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('drops the connection of a token request; msal-node reports a network error', async () => {
    setFaults({ connectionReset: [{ route: TOKEN_ROUTE, next: 1 }] })
    const failure = await failureOf(
      msalClient().acquireTokenByClientCredential({ scopes: GRAPH_DEFAULT_SCOPE }),
    )
    expect(failure?.errorCode).toBe('network_error')
    expect(emulator.context.faults.injected.connectionReset).toBe(1)
  })
})
