import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { decodeSessionFacts } from '../src/entra/token-service.js'
import type { RunningEmulator } from '../src/index.js'
import {
  approveMfa,
  authorizeUrl,
  pageContext,
  redeemCode,
  SPA_REDIRECT_URI,
  visit,
} from '../src/testing/sign-in.js'
import { seeded, startTestEmulator } from './support.js'

const MFA_CLAIMS = JSON.stringify({
  access_token: { capolids: { essential: true, values: ['0c0ffee0-0000-4000-8000-000000000000'] } },
})
const CP1_CLAIMS = JSON.stringify({ access_token: { xms_cc: { values: ['CP1'] } } })

describe('Entra /authorize and the sign-in page', () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  beforeEach(() => emulator.context.directory.reset())
  afterAll(() => emulator.close())

  it('signs the login_hint user in without a page and returns code, client_info, state and session_state', async () => {
    const start = authorizeUrl(emulator, { loginHint: seeded.inviter.upn })
    const outcome = await visit(start.url)

    expect(outcome.status).toBe(302)
    expect(`${outcome.location?.origin}${outcome.location?.pathname}`).toBe(SPA_REDIRECT_URI)
    expect([...outcome.params.keys()].sort()).toEqual(['client_info', 'code', 'session_state', 'state'])
    expect(outcome.params.get('state')).toBe(start.state)
    const clientInfo = JSON.parse(
      Buffer.from(outcome.params.get('client_info') ?? '', 'base64url').toString(),
    )
    expect(clientInfo).toEqual({ uid: seeded.inviter.id, utid: seeded.contosoTenantId })
    expect(outcome.cookie).toMatch(/^ESTSAUTH=/)
  })

  it('matches loopback redirect URIs on any port, but the path exactly', async () => {
    for (const redirectUri of ['http://127.0.0.1:61234/', 'http://localhost:9', 'https://127.0.0.1:8443/']) {
      const outcome = await visit(authorizeUrl(emulator, { loginHint: seeded.inviter.upn, redirectUri }).url)
      expect(outcome.status, redirectUri).toBe(302)
      expect(outcome.location?.href.startsWith(new URL(redirectUri).href)).toBe(true)
    }
    const wrongPath = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, redirectUri: 'http://127.0.0.1:5173/callback' })
        .url,
    )
    expect(wrongPath.status).toBe(400)
  })

  it('never redirects to an unregistered redirect URI: AADSTS50011 error page', async () => {
    const outcome = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, redirectUri: 'https://evil.example/steal' })
        .url,
    )
    expect(outcome.status).toBe(400)
    expect(outcome.location).toBeNull()
    expect(outcome.html).toContain(
      "AADSTS50011: The redirect URI 'https://evil.example/steal' specified in the request",
    )
    expect(outcome.html).toContain('Correlation Id:')
  })

  it('shows AADSTS700016 for an unknown client and AADSTS50194 for /common with a single-tenant app', async () => {
    const unknown = await visit(
      authorizeUrl(emulator, { clientId: '11111111-1111-4111-8111-111111111111' }).url,
    )
    expect(unknown.status).toBe(400)
    expect(unknown.html).toContain(
      "AADSTS700016: Application with identifier '11111111-1111-4111-8111-111111111111' was not found in the directory 'Contoso'.",
    )
    const common = await visit(
      authorizeUrl(emulator, {}).url.replace(`/${seeded.contosoTenantId}/`, '/common/'),
    )
    expect(common.html).toContain(
      `AADSTS50194: Application '${seeded.spaClientId}'(entra-share demo (SPA)) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    )
  })

  it('answers in the query, the fragment, or a self-posting form', async () => {
    const query = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, responseMode: 'query' }).url,
    )
    expect(query.location?.searchParams.get('code')).toBeTruthy()
    expect(query.location?.hash).toBe('')

    const formPost = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, responseMode: 'form_post' }).url,
    )
    expect(formPost.status).toBe(200)
    expect(formPost.html).toContain(`<form method="post" name="hiddenform" action="${SPA_REDIRECT_URI}">`)
    expect(formPost.html).toMatch(/<input type="hidden" name="code" value="[\w-]+">/)
    const csp = formPost.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(formPost.html).toContain(`<script nonce="${nonce}">`)
    expect(csp).toContain("form-action 'self' http://127.0.0.1:5173")
  })

  it('lists the tenant members on the account picker and signs in the one clicked', async () => {
    const start = authorizeUrl(emulator)
    const page = await visit(start.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    const names = [...page.html.matchAll(/<span class="name">([^<]+)<\/span>/g)].map((match) => match[1])
    expect(names).toEqual(['Megan Bowen', 'Adele Vance', 'Lee Gu', 'Nestor Wilke'])
    expect(page.html).toContain('Roles: User Administrator, Invitations.Admin')

    const picked = await visit(`${emulator.url}/${seeded.contosoTenantId}/login`, {
      form: { ctx: pageContext(page.html), user: seeded.admin.id },
    })
    expect(picked.status).toBe(302)
    const tokens = await redeemCode(emulator, picked.params.get('code') ?? '', start)
    expect(decodeJwt(String(tokens.body.id_token)).preferred_username).toBe(seeded.admin.upn)

    const replay = await visit(`${emulator.url}/${seeded.contosoTenantId}/login`, {
      form: { ctx: pageContext(page.html), user: seeded.admin.id },
    })
    expect(replay.status).toBe(400)
    expect(replay.html).toContain('AADSTS9002313')
  })

  it('says so when the login_hint names nobody, and offers the picker', async () => {
    const page = await visit(authorizeUrl(emulator, { loginHint: 'nobody@contoso.example' }).url)
    expect(page.status).toBe(200)
    expect(page.html).toContain("We couldn't find an account with that username.")
    expect(page.html).toContain('Megan Bowen')
  })

  it('asks users under the MFA policy to approve the sign-in, and records MFA in the tokens', async () => {
    const start = authorizeUrl(emulator, {
      loginHint: seeded.mfaUser.upn,
      scope: `${seeded.bffScope} openid offline_access`,
    })
    const mfaStep = await visit(start.url)
    expect(mfaStep.status).toBe(200)
    expect(mfaStep.location).toBeNull()
    expect(mfaStep.html).toContain('Approve sign-in (MFA)')

    const approved = await approveMfa(emulator, mfaStep.html)
    expect(approved.status).toBe(302)
    const tokens = await redeemCode(emulator, approved.params.get('code') ?? '', start, {
      scope: `${seeded.bffScope} openid offline_access`,
    })
    expect(decodeSessionFacts(decodeJwt(String(tokens.body.access_token)).aio)).toEqual({ mfa: true })
  })

  it('forces the MFA step for a Conditional Access claims challenge, but not for client capabilities', async () => {
    const challenged = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, claims: MFA_CLAIMS }).url,
    )
    expect(challenged.html).toContain('Approve sign-in (MFA)')
    const capabilities = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, claims: CP1_CLAIMS }).url,
    )
    expect(capabilities.status).toBe(302)
  })

  it('answers prompt=none from the session cookie (SSO), or with login_required without one', async () => {
    const noSession = await visit(authorizeUrl(emulator, { prompt: 'none' }).url)
    expect(noSession.status).toBe(302)
    expect(noSession.params.get('error')).toBe('login_required')
    expect(noSession.params.get('error_description')).toMatch(
      /^AADSTS50058: A silent sign-in request was sent but no user is signed in\./,
    )
    expect(noSession.params.get('code')).toBeNull()

    const first = await visit(authorizeUrl(emulator, { loginHint: seeded.inviter.upn }).url)
    const cookie = first.cookie ?? ''
    const silent = await visit(authorizeUrl(emulator, { prompt: 'none' }).url, { cookie })
    expect(silent.params.get('code')).toBeTruthy()
    expect(silent.params.get('session_state')).toBe(first.params.get('session_state'))

    const otherSession = await visit(
      authorizeUrl(emulator, { prompt: 'none', params: { sid: 'someone-else' } }).url,
      {
        cookie,
      },
    )
    expect(otherSession.params.get('error')).toBe('login_required')
    const stepUp = await visit(authorizeUrl(emulator, { prompt: 'none', claims: MFA_CLAIMS }).url, { cookie })
    expect(stepUp.params.get('error')).toBe('interaction_required')
    expect(stepUp.params.get('error_description')).toMatch(/^AADSTS50076: /)
  })

  it('shows the picker again for prompt=login even with a session and a login_hint', async () => {
    const first = await visit(authorizeUrl(emulator, { loginHint: seeded.inviter.upn }).url)
    const again = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, prompt: 'login' }).url,
      {
        cookie: first.cookie ?? '',
      },
    )
    expect(again.status).toBe(200)
    expect(again.html).toContain('Pick an account')
  })

  it('sends request errors back to the app once the redirect URI is trusted', async () => {
    const plain = await visit(
      authorizeUrl(emulator, { loginHint: seeded.inviter.upn, params: { code_challenge_method: 'plain' } })
        .url,
    )
    expect(plain.params.get('error')).toBe('invalid_request')
    expect(plain.params.get('error_description')).toMatch(/^AADSTS9002325: /)

    const implicit = await visit(authorizeUrl(emulator, { params: { response_type: 'token' } }).url)
    expect(implicit.params.get('error')).toBe('unsupported_response_type')

    const unknownScope = await visit(authorizeUrl(emulator, { scope: 'openid Files.Teleport.All' }).url)
    expect(unknownScope.params.get('error')).toBe('invalid_client')
    expect(unknownScope.params.get('error_description')).toMatch(
      /^AADSTS650053: The application 'entra-share demo \(SPA\)' asked for scope 'Files.Teleport.All' that doesn't exist on the resource '00000003-0000-0000-c000-000000000000'\. Contact the app vendor\. Trace ID: [\da-f-]{36} Correlation ID: [\da-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    )
    expect(unknownScope.params.get('state')).toBeTruthy()
  })

  it('signs out: clears the session and follows only a registered post_logout_redirect_uri', async () => {
    const first = await visit(authorizeUrl(emulator, { loginHint: seeded.inviter.upn }).url)
    const cookie = first.cookie ?? ''
    const logoutUrl = `${emulator.settings.authority}/oauth2/v2.0/logout`
    const out = await visit(
      `${logoutUrl}?post_logout_redirect_uri=${encodeURIComponent('http://localhost:4000/')}`,
      {
        cookie,
      },
    )
    expect(out.status).toBe(302)
    expect(out.location?.href).toBe('http://localhost:4000/')
    expect(out.headers.get('set-cookie')).toMatch(/ESTSAUTH=;/)

    const silent = await visit(authorizeUrl(emulator, { prompt: 'none' }).url, { cookie })
    expect(silent.params.get('error')).toBe('login_required')

    const open = await visit(
      `${logoutUrl}?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    )
    expect(open.status).toBe(200)
    expect(open.location).toBeNull()
    expect(open.html).toContain('You signed out of your account')
  })
})
