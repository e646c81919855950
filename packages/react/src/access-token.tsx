import { isShareError, ShareError } from '@entra-share/client'
import { createContext, type ReactElement, type ReactNode, useCallback, useContext, useRef } from 'react'

/** What the components ask the host's {@link GetAccessToken} for. */
export interface AccessTokenRequest {
  /** The BFF API scope(s), as given in `scopes`. */
  scopes: string[]
  /** The claims JSON of a Conditional Access challenge (MFA…): the new token must satisfy them. */
  claims?: string
  /**
   * The user is waiting on this call (Share, Sign in to continue, a claims challenge), so a sign-in prompt may be
   * shown. `false` for background calls (the configuration, bulk polling): never prompt, resolve `null` instead.
   */
  interactive: boolean
}

/**
 * The token seam: resolves an access token for the BFF, or `null` to stop quietly (the user cancelled, or the page
 * is leaving to sign in). A rejection is shown as `sign_in_required`, unless it is a `ShareError`, shown as is.
 *
 * @example
 * const getAccessToken: GetAccessToken = async ({ scopes, claims, interactive }) =>
 *   (await oidc.getToken({ scopes, claims, prompt: interactive })) ?? null
 */
export type GetAccessToken = (request: AccessTokenRequest) => Promise<string | null>

/** How the hooks call the seam: `interactive` defaults to `true`. @internal */
export type AcquireToken = (options?: { claims?: string; interactive?: boolean }) => Promise<string | null>

const TokenContext = createContext<GetAccessToken | null>(null)

/**
 * Gives every entra-share component and hook below it their BFF tokens, from any sign-in library or a
 * cookie-session backend. MSAL apps use `<MsalEntraShareProvider>` from `@entra-share/react/msal` instead.
 *
 * @example
 * <EntraShareTokenProvider getAccessToken={async ({ scopes }) => (await auth.token(scopes)) ?? null}>
 *   <ShareButton bffUrl="https://lob.contoso.com" scopes={['api://<BFF client id>/Invitations.Send']} />
 * </EntraShareTokenProvider>
 */
export function EntraShareTokenProvider(props: {
  getAccessToken: GetAccessToken
  children?: ReactNode
}): ReactElement {
  return <TokenContext.Provider value={props.getAccessToken}>{props.children}</TokenContext.Provider>
}

/**
 * A stable function that asks the token source (the `getAccessToken` given, else the provider's) for a token for
 * `scopes`. Keyed on the scopes' content only, so an inline `getAccessToken` or `scopes={[…]}` fetches nothing again.
 */
export function useAccessToken(scopes: readonly string[], getAccessToken?: GetAccessToken): AcquireToken {
  const fromProvider = useContext(TokenContext)
  const source = getAccessToken ?? fromProvider
  if (!source)
    throw new TypeError(
      '@entra-share/react: no token source. Wrap the app in <MsalEntraShareProvider> (@entra-share/react/msal) or <EntraShareTokenProvider getAccessToken={…}>, or pass `getAccessToken`.',
    )
  const latest = useRef(source)
  latest.current = source
  const scopesKey = scopes.join(' ')
  return useCallback(
    async ({ claims, interactive = true } = {}) => {
      let token: string | null
      try {
        token = await latest.current({
          scopes: scopesKey.split(' '),
          interactive,
          ...(claims ? { claims } : {}),
        })
      } catch (error) {
        throw isShareError(error)
          ? error
          : new ShareError('sign_in_required', 'getAccessToken failed.', { cause: error })
      }
      if (token === null || (typeof token === 'string' && token !== '')) return token
      throw new ShareError('sign_in_required', 'getAccessToken resolved no token.')
    },
    [scopesKey],
  )
}
