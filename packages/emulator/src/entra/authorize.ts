import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { decodeJwt } from 'jose'
import type { DirectoryUser } from '../state/directory.js'
import { aadsts } from './aadsts.js'
import type { AuthorizeFailure, AuthorizeRequest } from './authorize-request.js'
import { forSignedInUser, parseAuthorizeRequest } from './authorize-request.js'
import { sendAuthorizeResponse } from './authorize-response.js'
import { clientInfo } from './client-info.js'
import { disabledMemberIn } from './disabled-accounts.js'
import { accountPickerPage, errorPage, mfaPage, sendPage, signedOutPage } from './login-page.js'
import { type ErrorTrace, newErrorTrace, OAuthError, oauthErrorParams } from './oauth-errors.js'
import { isRegisteredRedirectUri } from './redirect-uris.js'
import { paramReader } from './request-params.js'
import { resourceIdOf } from './scopes.js'
import { SESSION_COOKIE, type SignInSession, SignInState } from './sign-in-state.js'
import { activeUser, activeUserIn, signInUsersOf, userForLoginHintIn } from './sign-in-users.js'
import { isAnyOrganization } from './tenant-path.js'

// Entra's authorization codes are short-lived (about ten minutes) and single-use.
const CODE_LIFETIME_MS = 10 * 60 * 1000
const COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'none' } as const

type TenantParams = { Params: { tenant: string } }

/**
 * `/{tenant}/oauth2/v2.0/authorize` (GET, or POST as MSAL's `httpMethod: "POST"` sends it), the sign-in page's
 * steps (`/{tenant}/login`, `/{tenant}/login/mfa`) and `/{tenant}/oauth2/v2.0/logout`.
 *
 * Sign-in: `prompt=none` answers from the session cookie or fails with `login_required`; otherwise a `login_hint`
 * naming a member signs that user in without a click (for automation), an existing session signs in silently (SSO),
 * and anything else shows the account picker. Users under a "require MFA" policy, and requests carrying a claims
 * challenge, get a second "Approve sign-in (MFA)" step.
 *
 * At `/organizations` and `/common` (multi-tenant apps only) the page offers the members of every tenant that lists
 * the app, and the code belongs to the picked user's home tenant: its tokens carry that `tid` and issuer.
 */
export async function authorizeRoutes(app: FastifyInstance): Promise<void> {
  const { directory, clock } = app.emulator
  const signIns = new SignInState(clock)

  const authorize = async (request: FastifyRequest<TenantParams>, reply: FastifyReply) => {
    const param = paramReader(request.query, request.body)
    const trace = newErrorTrace(param('client-request-id'), clock())
    const parsed = parseAuthorizeRequest(directory, request.params.tenant, param)
    if ('kind' in parsed) return sendFailure(reply, parsed, trace)
    const session = signIns.session(request.cookies[SESSION_COOKIE])
    const sessionUser = session ? activeUserIn(parsed.tenants, session.tenantId, session.userId) : undefined
    const hinted = parsed.loginHint ? userForLoginHintIn(parsed.tenants, parsed.loginHint) : undefined

    if (parsed.prompt === 'none') {
      const sameUser = !parsed.loginHint || hinted?.id === sessionUser?.id
      if (!session || !sessionUser || !sameUser || (parsed.sid !== null && parsed.sid !== session.id)) {
        return sendAuthorizeResponse(reply, parsed, oauthErrorParams(aadsts.loginRequired(), trace))
      }
      const bound = bindToUser(reply, parsed, sessionUser, trace)
      if (!bound) return reply
      if (needsMfa(bound, sessionUser) && !session.mfa) {
        const error = aadsts.mfaRequired(resourceIdOf(bound.scopes.resource), 'interaction_required')
        return sendAuthorizeResponse(reply, bound, oauthErrorParams(error, trace))
      }
      return complete(reply, bound, sessionUser, session, session.mfa)
    }
    const pickAgain = parsed.prompt === 'login' || parsed.prompt === 'select_account'
    const user = pickAgain ? undefined : (hinted ?? (parsed.loginHint ? undefined : sessionUser))
    if (user) return continueAs(reply, parsed, user, session)
    // A disabled account is refused at sign-in, not left unfound (AADSTS50057).
    if (!pickAgain && parsed.loginHint && disabledMemberIn(parsed.tenants, parsed.loginHint)) {
      return sendPage(reply, 400, errorPage(aadsts.userDisabled(), trace))
    }
    const notice = parsed.loginHint && !hinted ? "We couldn't find an account with that username." : null
    return showPicker(reply, parsed, notice)
  }

  app.get<TenantParams>('/:tenant/oauth2/v2.0/authorize', authorize)
  app.post<TenantParams>('/:tenant/oauth2/v2.0/authorize', authorize)

  app.post('/:tenant/login', async (request, reply) => {
    const param = paramReader(request.body)
    const pending = signIns.parked(param('ctx'))
    if (!pending) return sendExpired(reply, param('client-request-id'))
    const { request: authorizeRequest } = pending
    const userId = param('user')
    const user = signInUsersOf(authorizeRequest.tenants).find(
      (candidate) => candidate.id === userId?.toLowerCase(),
    )
    signIns.release(pending.id)
    if (!user && userId && disabledMemberIn(authorizeRequest.tenants, userId)) {
      const trace = newErrorTrace(param('client-request-id'), clock())
      return sendPage(reply, 400, errorPage(aadsts.userDisabled(), trace))
    }
    if (!user) return showPicker(reply, authorizeRequest, 'Pick one of the accounts below.')
    const session = signIns.session(request.cookies[SESSION_COOKIE])
    return continueAs(reply, authorizeRequest, user, session)
  })

  app.post('/:tenant/login/mfa', async (request, reply) => {
    const param = paramReader(request.body)
    const pending = signIns.parked(param('ctx'))
    const user = pending?.userId ? activeUser(pending.request.tenant, pending.userId) : undefined
    if (!pending || !user) return sendExpired(reply, param('client-request-id'))
    signIns.release(pending.id)
    return complete(reply, pending.request, user, signIns.session(request.cookies[SESSION_COOKIE]), true)
  })

  app.get<TenantParams>('/:tenant/oauth2/v2.0/logout', async (request, reply) => {
    const param = paramReader(request.query)
    signIns.signOut(request.cookies[SESSION_COOKIE])
    reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS)
    const target = param('post_logout_redirect_uri')
    const segment = request.params.tenant
    const tenants = isAnyOrganization(segment)
      ? [...directory.tenants.values()]
      : [directory.tenant(segment)].filter((tenant) => tenant !== undefined)
    const clientId = param('client_id') ?? audienceOf(param('id_token_hint'))
    const apps = tenants.flatMap((tenant) => [...tenant.applications.values()])
    const candidates = clientId
      ? apps.filter((candidate) => candidate.clientId === clientId.toLowerCase())
      : apps
    // Only a registered URI is followed: Entra is no open redirector.
    if (target && candidates.some((candidate) => isRegisteredRedirectUri(candidate, target))) {
      const url = new URL(target)
      const state = param('state')
      if (state) url.searchParams.set('state', state)
      return reply.redirect(url.href, 302)
    }
    return sendPage(reply, 200, signedOutPage())
  })

  function showPicker(reply: FastifyReply, request: AuthorizeRequest, notice: string | null): FastifyReply {
    const pending = signIns.park(request, null)
    const users = signInUsersOf(request.tenants)
    const directoryName = isAnyOrganization(request.authoritySegment) ? 'work or school account' : undefined
    return sendPage(
      reply,
      200,
      accountPickerPage({
        tenant: request.tenant,
        client: request.client,
        users,
        ctx: pending.id,
        notice,
        ...(directoryName ? { directoryName } : {}),
      }),
      { formAction: replyOrigin(request) },
    )
  }

  /** Signs the picked user in, via the MFA step unless the session already carries MFA (and no re-login is asked). */
  function continueAs(
    reply: FastifyReply,
    parsed: AuthorizeRequest,
    user: DirectoryUser,
    session: SignInSession | undefined,
  ): FastifyReply {
    const request = bindToUser(reply, parsed, user, newErrorTrace(undefined, clock()))
    if (!request) return reply
    const reauthenticate = request.prompt === 'login'
    const mfaDone =
      !reauthenticate && session?.tenantId === request.tenant.id && session.userId === user.id && session.mfa
    if (needsMfa(request, user) && !mfaDone) {
      const pending = signIns.park(request, user.id)
      return sendPage(reply, 200, mfaPage({ tenant: request.tenant, user, ctx: pending.id }), {
        formAction: replyOrigin(request),
      })
    }
    return complete(reply, request, user, session, mfaDone)
  }

  /** Records the session, issues the authorization code and sends it back to the app. */
  function complete(
    reply: FastifyReply,
    request: AuthorizeRequest,
    user: DirectoryUser,
    session: SignInSession | undefined,
    mfa: boolean,
  ): FastifyReply {
    const signedIn = signIns.signIn(session, request.tenant.id, user.id, mfa)
    reply.setCookie(SESSION_COOKIE, signedIn.id, COOKIE_OPTIONS)
    const code = randomBytes(48).toString('base64url')
    directory.authorizationCodes.set(code, {
      tenantId: request.tenant.id,
      clientId: request.client.clientId.toLowerCase(),
      userId: user.id,
      redirectUri: request.redirectUri,
      scopes: request.scope.split(/\s+/).filter(Boolean),
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      mfa: signedIn.mfa,
      sessionId: signedIn.id,
      expiresAtMs: clock() + CODE_LIFETIME_MS,
    })
    return sendAuthorizeResponse(reply, request, {
      code,
      ...(request.clientInfo ? { client_info: clientInfo(user.id, request.tenant.id) } : {}),
      session_state: signedIn.id,
    })
  }

  /**
   * The request in the user's home tenant; when the app cannot sign the user in there, the error goes back to the
   * app and `undefined` is returned.
   */
  function bindToUser(
    reply: FastifyReply,
    request: AuthorizeRequest,
    user: DirectoryUser,
    trace: ErrorTrace,
  ): AuthorizeRequest | undefined {
    try {
      return forSignedInUser(directory, request, user)
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error
      sendAuthorizeResponse(reply, request, oauthErrorParams(error, trace))
      return undefined
    }
  }

  function sendExpired(reply: FastifyReply, clientRequestId: string | undefined): FastifyReply {
    return sendPage(reply, 400, errorPage(aadsts.signInExpired(), newErrorTrace(clientRequestId, clock())))
  }
}

// CSP `form-action` also governs where a form submission may redirect: the app's redirect URI.
function replyOrigin(request: AuthorizeRequest): string {
  return new URL(request.redirectUri).origin
}

function needsMfa(request: AuthorizeRequest, user: DirectoryUser): boolean {
  return user.requiresMfa || request.claimsDemandMfa
}

function sendFailure(reply: FastifyReply, failure: AuthorizeFailure, trace: ErrorTrace): FastifyReply {
  if (failure.kind === 'redirect') {
    return sendAuthorizeResponse(reply, failure.target, oauthErrorParams(failure.error, trace))
  }
  return sendPage(reply, 400, errorPage(failure.error, trace))
}

function audienceOf(idTokenHint: string | undefined): string | undefined {
  if (!idTokenHint) return undefined
  try {
    const { aud } = decodeJwt(idTokenHint)
    return typeof aud === 'string' ? aud : undefined
  } catch {
    return undefined
  }
}
