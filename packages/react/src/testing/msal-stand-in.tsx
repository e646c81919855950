import {
  type AccountInfo,
  type AuthenticationResult,
  BrowserAuthError,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
  Logger,
} from '@azure/msal-browser'

/** The signed-in account of the stand-in. */
export const standInAccount: AccountInfo = {
  homeAccountId: 'inviter-0001.tenant-0001',
  environment: 'login.microsoftonline.com',
  tenantId: 'tenant-0001',
  username: 'grace@contoso.example',
  localAccountId: 'inviter-0001',
  name: 'Grace Hopper',
}

/** What a token call does: answer a token, or fail with an MSAL error code. */
export type StandInOutcome =
  | 'token'
  | 'interaction_required'
  | 'user_cancelled'
  | 'popup_window_error'
  | 'empty_window_error'
  | 'interaction_in_progress'

/** One token call the stand-in received. */
export interface StandInCall {
  method: 'acquireTokenSilent' | 'acquireTokenPopup' | 'acquireTokenRedirect'
  scopes: string[]
  claims: string | undefined
}

/** Options of {@link createMsalStandIn}. Each outcome list is used in order; its last entry repeats. */
export interface MsalStandInOptions {
  /** `null`: nobody is signed in. @default standInAccount */
  account?: AccountInfo | null
  silent?: StandInOutcome[]
  popup?: StandInOutcome[]
  redirect?: StandInOutcome[]
}

/** The stand-in and the token calls it received. */
export type MsalStandIn = IPublicClientApplication & { calls: StandInCall[] }

/**
 * A TEST DOUBLE for msal-browser's `PublicClientApplication`: a signed-in account and scripted token answers,
 * enough for msal-react's `MsalProvider` and `<MsalEntraShareProvider>` (`@entra-share/react/msal`). Tokens are
 * `stand-in-token`, or `stand-in-token;claims=…` when requested with claims (the BFF handlers accept those for a
 * claims challenge). Never use it outside tests and stories.
 *
 * @example
 * const msal = createMsalStandIn({ silent: ['interaction_required'], popup: ['popup_window_error'] })
 * render(
 *   <MsalProvider instance={msal}>
 *     <MsalEntraShareProvider>
 *       <ShareWithExternalUser … />
 *     </MsalEntraShareProvider>
 *   </MsalProvider>,
 * )
 * expect(msal.calls.map((call) => call.method)).toContain('acquireTokenRedirect')
 */
export function createMsalStandIn(options: MsalStandInOptions = {}): MsalStandIn {
  const account = options.account === undefined ? standInAccount : options.account
  const calls: StandInCall[] = []
  const logger = new Logger({})
  const queues = {
    silent: [...(options.silent ?? ['token'])],
    popup: [...(options.popup ?? ['token'])],
    redirect: [...(options.redirect ?? ['token'])],
  }

  function next(queue: StandInOutcome[]): StandInOutcome {
    return (queue.length > 1 ? queue.shift() : queue[0]) ?? 'token'
  }

  function answer(
    method: StandInCall['method'],
    outcome: StandInOutcome,
    request: { scopes: string[]; claims?: string },
  ): AuthenticationResult {
    calls.push({ method, scopes: request.scopes, claims: request.claims })
    if (outcome === 'interaction_required')
      throw new InteractionRequiredAuthError('interaction_required', 'stand-in')
    if (outcome !== 'token') throw new BrowserAuthError(outcome, 'stand-in')
    const accessToken = request.claims
      ? `stand-in-token;claims=${encodeURIComponent(request.claims)}`
      : 'stand-in-token'
    return {
      authority: 'https://login.microsoftonline.com/tenant-0001',
      uniqueId: standInAccount.localAccountId,
      tenantId: standInAccount.tenantId,
      scopes: request.scopes,
      account: account ?? standInAccount,
      idToken: 'stand-in-id-token',
      idTokenClaims: {},
      accessToken,
      fromCache: false,
      expiresOn: new Date(Date.now() + 3_600_000),
      tokenType: 'Bearer',
      correlationId: 'stand-in',
    } as AuthenticationResult
  }

  const standIn = {
    calls,
    initialize: async () => undefined,
    initializeWrapperLibrary: () => undefined,
    getLogger: () => logger,
    setLogger: () => undefined,
    addEventCallback: () => 'stand-in-callback',
    removeEventCallback: () => undefined,
    enableAccountStorageEvents: () => undefined,
    disableAccountStorageEvents: () => undefined,
    handleRedirectPromise: async () => null,
    getAllAccounts: () => (account ? [account] : []),
    getAccount: () => account,
    getActiveAccount: () => account,
    setActiveAccount: () => undefined,
    getConfiguration: () => ({}),
    acquireTokenSilent: async (request: { scopes: string[]; claims?: string }) =>
      answer('acquireTokenSilent', next(queues.silent), request),
    acquireTokenPopup: async (request: { scopes: string[]; claims?: string }) =>
      answer('acquireTokenPopup', next(queues.popup), request),
    acquireTokenRedirect: async (request: { scopes: string[]; claims?: string }) => {
      answer('acquireTokenRedirect', next(queues.redirect), request)
    },
  }
  // Only what MsalProvider and the share hooks call is implemented; anything else is a test bug.
  return new Proxy(standIn, {
    get(target, property, receiver) {
      if (property in target || typeof property === 'symbol' || property === 'then')
        return Reflect.get(target, property, receiver)
      throw new Error(`createMsalStandIn: ${String(property)} is not implemented by the MSAL test double.`)
    },
  }) as unknown as MsalStandIn
}
