import { createHash, randomBytes } from 'node:crypto'
import type { RunningEmulator } from '../start-emulator.js'

/**
 * Drives the emulator's authorize endpoint and sign-in page over plain HTTP, as a browser would (a redirect is
 * not followed, so the caller sees it): for tests that need real codes and tokens without a browser. Defaults
 * are the first tenant's SPA and BFF scope.
 */

export const SPA_REDIRECT_URI = 'http://127.0.0.1:5173/'

export interface AuthorizeOptions {
  clientId?: string
  redirectUri?: string
  scope?: string
  loginHint?: string
  responseMode?: 'query' | 'fragment' | 'form_post'
  prompt?: string
  claims?: string
  /** Extra or overriding authorize parameters; `null` removes one. */
  params?: Record<string, string | null>
}

export interface AuthorizeStart {
  url: string
  state: string
  nonce: string
  codeVerifier: string
}

/** Builds an authorize URL with PKCE S256, state and nonce, as MSAL does. */
export function authorizeUrl(emulator: RunningEmulator, options: AuthorizeOptions = {}): AuthorizeStart {
  const codeVerifier = randomBytes(32).toString('base64url')
  const state = randomBytes(8).toString('hex')
  const nonce = randomBytes(8).toString('hex')
  const params: Record<string, string | null> = {
    client_id: options.clientId ?? requireSetting(emulator, 'spaClientId'),
    scope: options.scope ?? 'openid profile offline_access',
    redirect_uri: options.redirectUri ?? SPA_REDIRECT_URI,
    response_type: 'code',
    response_mode: options.responseMode ?? 'fragment',
    state,
    nonce,
    client_info: '1',
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.claims ? { claims: options.claims } : {}),
    ...options.params,
  }
  const url = new URL(`${emulator.settings.authority}/oauth2/v2.0/authorize`)
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value)
  return { url: url.href, state, nonce, codeVerifier }
}

/** What came back from the authorize endpoint. */
export interface AuthorizeOutcome {
  status: number
  /** The redirect target, when the answer was a redirect. */
  location: URL | null
  /** Response parameters from the query or fragment of the redirect. */
  params: URLSearchParams
  /** The page, when the answer was HTML (sign-in page, MFA step, error page). */
  html: string
  /** The session cookie the emulator set, if any. */
  cookie: string | null
  headers: Headers
}

/** Sends a GET (or a form POST) to the emulator without following redirects. */
export async function visit(
  url: string,
  options: { cookie?: string; form?: Record<string, string> } = {},
): Promise<AuthorizeOutcome> {
  const response = await fetch(url, {
    method: options.form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
  })
  const locationHeader = response.headers.get('location')
  const location = locationHeader ? new URL(locationHeader) : null
  const params = new URLSearchParams(location ? location.hash.slice(1) || location.search.slice(1) : '')
  const setCookie = response.headers.get('set-cookie')
  const cookie = setCookie && /ESTSAUTH=[^;]+/.exec(setCookie)?.[0]
  return {
    status: response.status,
    location,
    params,
    html: locationHeader ? '' : await response.text(),
    cookie: cookie && cookie !== 'ESTSAUTH=' ? cookie : null,
    headers: response.headers,
  } satisfies AuthorizeOutcome
}

/** The hidden `ctx` of a sign-in page's form. */
export function pageContext(html: string): string {
  const ctx = /name="ctx" value="([^"]+)"/.exec(html)?.[1]
  if (!ctx) throw new Error(`no sign-in form on the page:\n${html}`)
  return ctx
}

/** Clicks "Approve sign-in (MFA)" on an MFA page. */
export function approveMfa(
  emulator: RunningEmulator,
  html: string,
  cookie?: string,
): Promise<AuthorizeOutcome> {
  return visit(`${emulator.url}/${emulator.settings.tenantId}/login/mfa`, {
    form: { ctx: pageContext(html) },
    ...(cookie ? { cookie } : {}),
  })
}

/** Redeems a code at the token endpoint the way msal-browser does (public client, PKCE, `client_info=1`). */
export async function redeemCode(
  emulator: RunningEmulator,
  code: string,
  start: AuthorizeStart,
  options: { scope?: string; clientId?: string; redirectUri?: string; origin?: string } = {},
): Promise<TokenEndpointAnswer> {
  return postToken(
    emulator,
    {
      client_id: options.clientId ?? requireSetting(emulator, 'spaClientId'),
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri ?? SPA_REDIRECT_URI,
      code_verifier: start.codeVerifier,
      scope: options.scope ?? 'openid profile offline_access',
      client_info: '1',
    },
    options.origin ?? 'http://127.0.0.1:5173',
  )
}

/** What the token endpoint answered. */
export interface TokenEndpointAnswer {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

/** POSTs a form to the first tenant's token endpoint; `origin` makes it a browser-style cross-origin request. */
export async function postToken(
  emulator: RunningEmulator,
  form: Record<string, string>,
  origin?: string,
): Promise<TokenEndpointAnswer> {
  const response = await fetch(emulator.settings.tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
      ...(origin ? { origin } : {}),
    },
    body: new URLSearchParams(form).toString(),
  })
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  }
}

/**
 * Signs a user in to the SPA with `login_hint` (approving MFA when the page asks) and redeems the code for `scope`:
 * the honest way to obtain the token a SPA would send to the BFF.
 *
 * @example
 * const { access_token } = await signInToSpa(emulator, 'megan@contoso.example')
 * await fetch(`${bffUrl}/api/invitations`, { headers: { authorization: `Bearer ${access_token}` } })
 */
export async function signInToSpa(
  emulator: RunningEmulator,
  loginHint: string,
  scope: string = requireSetting(emulator, 'bffScope'),
) {
  const start = authorizeUrl(emulator, { loginHint, scope: `${scope} openid profile offline_access` })
  let outcome = await visit(start.url)
  if (!outcome.location) outcome = await approveMfa(emulator, outcome.html)
  const code = outcome.params.get('code')
  if (!code) throw new Error(`no code: ${outcome.location?.href ?? outcome.html}`)
  const tokens = await redeemCode(emulator, code, start, { scope: `${scope} openid profile offline_access` })
  if (tokens.status !== 200) throw new Error(`token endpoint said ${JSON.stringify(tokens.body)}`)
  return tokens.body as {
    access_token: string
    id_token: string
    refresh_token: string
    client_info: string
    scope: string
  }
}

function requireSetting(emulator: RunningEmulator, name: 'spaClientId' | 'bffScope'): string {
  const value = emulator.settings[name]
  if (!value) throw new Error(`The emulator's first tenant has no ${name}; pass it explicitly.`)
  return value
}
