/// <reference lib="dom" />
import { type AuthenticationResult, PublicClientApplication } from '@azure/msal-browser'

/**
 * A minimal single-page app for the browser conformance test: msal-browser configured as a host app would
 * configure it for the emulator (authority, knownAuthorities, authorityMetadata), driven from the test through
 * `window.spa`. `window.spaResult` holds the outcome of `handleRedirectPromise` once the page has processed it.
 */

interface SpaConfig {
  clientId: string
  authority: string
  knownAuthorities: string[]
  authorityMetadata: string
}

export interface TokenSummary {
  account: {
    homeAccountId: string
    localAccountId: string
    tenantId: string
    username: string
    name?: string
  }
  idTokenClaims: Record<string, unknown>
  accessToken: string
  scopes: string[]
  fromCache: boolean
}

declare global {
  interface Window {
    spaConfig: SpaConfig
    spaResult: TokenSummary | null | undefined
    spa: {
      login(loginHint?: string): Promise<void>
      silent(scopes: string[]): Promise<TokenSummary>
    }
  }
}

const config = window.spaConfig
const pca = new PublicClientApplication({
  auth: {
    clientId: config.clientId,
    authority: config.authority,
    knownAuthorities: config.knownAuthorities,
    authorityMetadata: config.authorityMetadata,
    redirectUri: `${window.location.origin}/`,
  },
  cache: { cacheLocation: 'sessionStorage' },
})

function summarize(result: AuthenticationResult): TokenSummary {
  const account = result.account
  if (!account) throw new Error('msal returned no account')
  return {
    account: {
      homeAccountId: account.homeAccountId,
      localAccountId: account.localAccountId,
      tenantId: account.tenantId,
      username: account.username,
      ...(account.name ? { name: account.name } : {}),
    },
    idTokenClaims: (result.idTokenClaims ?? {}) as Record<string, unknown>,
    accessToken: result.accessToken,
    scopes: result.scopes,
    fromCache: result.fromCache,
  }
}

window.spa = {
  login: (loginHint) => pca.loginRedirect({ scopes: [], ...(loginHint ? { loginHint } : {}) }),
  silent: async (scopes) => {
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0]
    if (!account) throw new Error('nobody is signed in')
    return summarize(await pca.acquireTokenSilent({ scopes, account }))
  },
}

await pca.initialize()
const result = await pca.handleRedirectPromise()
if (result?.account) pca.setActiveAccount(result.account)
window.spaResult = result ? summarize(result) : null
