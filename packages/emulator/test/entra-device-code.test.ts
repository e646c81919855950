import { AuthError, type DeviceCodeRequest, PublicClientApplication } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { deviceCodesOf } from '../src/entra/device-codes.js'
import { DEVICE_CODE_GRANT_TYPE } from '../src/entra/grants/device-code.js'
import { decodeSessionFacts } from '../src/entra/token-service.js'
import type { RunningEmulator } from '../src/index.js'
import { postToken, visit } from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

const CLI = seeded.cliClientId
const SCOPE = `${seeded.bffScope} openid profile offline_access`
const ENTRA_ERROR_DESCRIPTION =
  /^AADSTS(\d+): .+ Trace ID: [\da-f-]{36} Correlation ID: [\w-]+ Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/

interface DeviceCodeBody {
  user_code: string
  device_code: string
  verification_uri: string
  expires_in: number
  interval: number
  message: string
}

describe('Entra device code flow (RFC 8628)', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  beforeEach(() => {
    emulator.context.directory.reset()
    deviceCodesOf(emulator.context).clear()
  })
  afterAll(() => emulator.close())

  async function requestDeviceCode(form: Record<string, string> = { client_id: CLI, scope: SCOPE }) {
    const response = await fetch(`${emulator.settings.authority}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  async function deviceCode(): Promise<DeviceCodeBody> {
    const { status, body } = await requestDeviceCode()
    expect(status).toBe(200)
    return body as unknown as DeviceCodeBody
  }

  function poll(code: string) {
    return postToken(emulator, {
      client_id: CLI,
      grant_type: DEVICE_CODE_GRANT_TYPE,
      device_code: code,
      scope: SCOPE,
      client_info: '1',
    })
  }

  function control(userCode: string, action: 'approve' | 'decline', user?: string) {
    return fetch(`${emulator.url}/_emulator/device-codes/${userCode}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user ? { user } : {}),
    })
  }

  function expectEntraError(
    answer: { status: number; body: Record<string, unknown> },
    error: string,
    code: number,
  ) {
    expect(answer.status).toBe(400)
    expect(Object.keys(answer.body).sort()).toEqual(
      [
        'correlation_id',
        'error',
        'error_codes',
        'error_description',
        'error_uri',
        'timestamp',
        'trace_id',
      ].sort(),
    )
    expect(answer.body.error).toBe(error)
    expect(answer.body.error_codes).toEqual([code])
    expect(String(answer.body.error_description)).toMatch(ENTRA_ERROR_DESCRIPTION)
    expect(String(answer.body.error_description)).toMatch(new RegExp(`^AADSTS${code}: `))
    expect(answer.body.error_uri).toBe(`https://login.microsoftonline.com/error?code=${code}`)
  }

  it('issues a device code with Entra’s fields, lifetime, interval and message', async () => {
    const body = await deviceCode()
    expect(Object.keys(body).sort()).toEqual(
      ['device_code', 'expires_in', 'interval', 'message', 'user_code', 'verification_uri'].sort(),
    )
    expect(body.user_code).toMatch(/^[A-Z2-9]{9}$/)
    expect(body.verification_uri).toBe(`${emulator.url}/devicelogin`)
    expect(body).toMatchObject({ expires_in: 900, interval: 5 })
    expect(body.message).toBe(
      `To sign in, use a web browser to open the page ${emulator.url}/devicelogin and enter the code ${body.user_code} to authenticate.`,
    )
  })

  it('refuses an unknown client, an unknown scope and a missing scope as Entra does', async () => {
    const unknownClient = await requestDeviceCode({
      client_id: '00000000-0000-4000-8000-000000000000',
      scope: SCOPE,
    })
    expect(unknownClient.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] })
    const badScope = await requestDeviceCode({ client_id: CLI, scope: `api://${seeded.bffClientId}/Nope` })
    expect(badScope.body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] })
    const noScope = await requestDeviceCode({ client_id: CLI })
    expect(noScope.status).toBe(400)
    expect(String(noScope.body.error_description)).toContain("must contain the following parameter: 'scope'")
  })

  it('answers authorization_pending until approved, then tokens like the auth-code grant, once', async () => {
    const code = await deviceCode()
    expectEntraError(await poll(code.device_code), 'authorization_pending', 70016)
    expectEntraError(await poll(code.device_code), 'authorization_pending', 70016)

    const approved = await control(code.user_code.toLowerCase(), 'approve', seeded.inviter.upn)
    expect(approved.status).toBe(200)
    expect(await approved.json()).toMatchObject({ status: 'approved', userId: seeded.inviter.id })

    const tokens = await poll(code.device_code)
    expect(tokens.status).toBe(200)
    expect(Object.keys(tokens.body).sort()).toEqual(
      [
        'access_token',
        'client_info',
        'expires_in',
        'ext_expires_in',
        'id_token',
        'refresh_token',
        'scope',
        'token_type',
      ].sort(),
    )
    expect(decodeJwt(String(tokens.body.access_token))).toMatchObject({
      aud: seeded.bffClientId,
      azp: CLI,
      azpacr: '0',
      scp: 'Invitations.Send',
      oid: seeded.inviter.id,
      tid: seeded.contosoTenantId,
      preferred_username: seeded.inviter.upn,
    })
    expect(decodeJwt(String(tokens.body.id_token))).toMatchObject({ aud: CLI, oid: seeded.inviter.id })
    expect(JSON.parse(Buffer.from(String(tokens.body.client_info), 'base64url').toString())).toEqual({
      uid: seeded.inviter.id,
      utid: seeded.contosoTenantId,
    })

    const again = await poll(code.device_code)
    expect(again.status).toBe(400)
    expect(again.body.error).toBe('invalid_grant')

    // The refresh token works like any other public client's.
    const refreshed = await postToken(emulator, {
      client_id: CLI,
      grant_type: 'refresh_token',
      refresh_token: String(tokens.body.refresh_token),
      scope: SCOPE,
    })
    expect(refreshed.status).toBe(200)
    expect(decodeJwt(String(refreshed.body.access_token)).aud).toBe(seeded.bffClientId)
  })

  it('answers authorization_declined, expired_token and bad_verification_code', async () => {
    const declined = await deviceCode()
    expect((await control(declined.user_code, 'decline')).status).toBe(200)
    expectEntraError(await poll(declined.device_code), 'authorization_declined', 65004)

    const expired = await deviceCode()
    const grant = deviceCodesOf(emulator.context).byUserCode(expired.user_code)
    if (!grant) throw new Error('the code was not stored')
    // Waiting 15 minutes is no test: age the code instead.
    grant.expiresAtMs = Date.now() - 1
    expectEntraError(await poll(expired.device_code), 'expired_token', 70019)
    const late = await control(expired.user_code, 'approve', seeded.inviter.upn)
    expect(late.status).toBe(409)

    expectEntraError(await poll('DAQABIQEAAADnot-a-real-device-code'), 'bad_verification_code', 70018)
    const otherClient = await deviceCode()
    const asSpa = await postToken(emulator, {
      client_id: seeded.spaClientId,
      grant_type: DEVICE_CODE_GRANT_TYPE,
      device_code: otherClient.device_code,
    })
    expectEntraError(asSpa, 'bad_verification_code', 70018)
  })

  it('explains control mistakes: an unknown user code, an unknown user, a code used twice', async () => {
    const unknown = await control('ZZZZZZZZZ', 'approve', seeded.inviter.upn)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ error: 'unknown_user_code' })
    const code = await deviceCode()
    const nobody = await control(code.user_code, 'approve', 'nobody@contoso.example')
    expect(nobody.status).toBe(400)
    expect((await nobody.json()).message).toMatch(/"user"/)
    expect((await control(code.user_code, 'approve', seeded.admin.upn)).status).toBe(200)
    expect((await control(code.user_code, 'approve', seeded.admin.upn)).status).toBe(409)
    const listed = (await (await fetch(`${emulator.url}/_emulator/device-codes`)).json()) as {
      userCode: string
    }[]
    expect(listed).toContainEqual(expect.objectContaining({ userCode: code.user_code, status: 'approved' }))
  })

  it('lets a person approve on /devicelogin: enter the code, pick an account, continue', async () => {
    const code = await deviceCode()
    const entry = await visit(`${emulator.url}/devicelogin`)
    expect(entry.status).toBe(200)
    expect(entry.html).toContain('Enter the code displayed on your app or device.')

    const wrong = await visit(`${emulator.url}/devicelogin`, { form: { otc: 'WRONGCODE' } })
    expect(wrong.html).toContain("That code didn't work. Check the code and try again.")

    const picker = await visit(`${emulator.url}/devicelogin`, { form: { otc: code.user_code.toLowerCase() } })
    expect(picker.html).toContain('entra-share CLI')
    expect(picker.html).toContain('Megan Bowen')
    expect(picker.html).toContain('action="/devicelogin/signin"')

    const confirm = await visit(`${emulator.url}/devicelogin/signin`, {
      form: { ctx: code.user_code, user: seeded.mfaUser.id },
    })
    expect(confirm.html).toContain('Are you trying to sign in to entra-share CLI?')
    expectEntraError(await poll(code.device_code), 'authorization_pending', 70016)

    const done = await visit(`${emulator.url}/devicelogin/confirm`, {
      form: { otc: code.user_code, user: seeded.mfaUser.id, decision: 'continue' },
    })
    expect(done.html).toContain('You have signed in to the entra-share CLI application on your device.')
    const tokens = await poll(code.device_code)
    expect(tokens.status).toBe(200)
    const claims = decodeJwt(String(tokens.body.access_token))
    expect(claims.oid).toBe(seeded.mfaUser.id)
    // Nestor's policy demands MFA; approving on the page counts as the MFA he did.
    expect(decodeSessionFacts(claims.aio).mfa).toBe(true)

    const reused = await visit(`${emulator.url}/devicelogin`, { form: { otc: code.user_code } })
    expect(reused.html).toContain('Check the code and try again.')
  })

  it('lets a person cancel on /devicelogin, which the device sees as authorization_declined', async () => {
    const code = await deviceCode()
    const done = await visit(`${emulator.url}/devicelogin/confirm`, {
      form: { otc: code.user_code, user: seeded.inviter.id, decision: 'cancel' },
    })
    expect(done.html).toContain('You have declined to sign in')
    expectEntraError(await poll(code.device_code), 'authorization_declined', 65004)
  })

  it('serves msal-node’s acquireTokenByDeviceCode: the callback gets the message, msal polls until approval', async () => {
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    const app = new PublicClientApplication({
      auth: { clientId: CLI, authority, knownAuthorities, authorityMetadata },
    })
    const shown: Parameters<DeviceCodeRequest['deviceCodeCallback']>[0][] = []
    let approval: Promise<Response> | undefined
    const result = await app.acquireTokenByDeviceCode({
      scopes: [seeded.bffScope],
      deviceCodeCallback: (response) => {
        shown.push(response)
        // A person would now open the page; the test approves through the control endpoint a little later.
        approval = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
          control(response.userCode, 'approve', seeded.inviter.upn),
        )
      },
    })
    expect((await approval)?.status).toBe(200)
    expect(shown).toHaveLength(1)
    expect(shown[0]?.message).toMatch(
      /^To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [A-Z2-9]{9} to authenticate\.$/,
    )
    expect(result?.account?.username).toBe(seeded.inviter.upn)
    expect(result?.account?.homeAccountId).toBe(`${seeded.inviter.id}.${seeded.contosoTenantId}`)
    expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({
      aud: seeded.bffClientId,
      scp: 'Invitations.Send',
    })

    // The CLI refreshes silently while it polls a long job: from the cache, then with the refresh token.
    const account = result?.account
    if (!account) throw new Error('no account')
    const cached = await app.acquireTokenSilent({ account, scopes: [seeded.bffScope] })
    expect(cached.fromCache).toBe(true)
    const refreshed = await app.acquireTokenSilent({ account, scopes: [seeded.bffScope], forceRefresh: true })
    expect(refreshed.fromCache).toBe(false)
    expect(decodeJwt(refreshed.accessToken).oid).toBe(seeded.inviter.id)
  })

  it('makes msal-node fail with authorization_declined when the person cancels', async () => {
    const { authority, knownAuthorities, authorityMetadata } = emulator.settings
    const app = new PublicClientApplication({
      auth: { clientId: CLI, authority, knownAuthorities, authorityMetadata },
    })
    const error = await app
      .acquireTokenByDeviceCode({
        scopes: [seeded.bffScope],
        deviceCodeCallback: (response) => {
          void control(response.userCode, 'decline')
        },
      })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      )
    // msal-node stops polling on any error but authorization_pending and names the server's error.
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).errorCode).toBe('post_request_failed')
    expect((error as AuthError).errorMessage).toBe('authorization_declined')
  })
})
