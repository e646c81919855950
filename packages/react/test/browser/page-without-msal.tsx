/// <reference lib="dom" />
import { createRoot } from 'react-dom/client'
import { EntraShareTokenProvider, type GetAccessToken, ShareWithExternalUser } from '../../src/index.js'

/**
 * A host page with no MSAL at all (its build refuses any `@azure/msal-*` import): the signed-in user is a cookie
 * session of the page's own server, which hands out the BFF token — the README's "cookie-session backend" example.
 */

export interface SessionPageConfig {
  bffUrl: string
  scope: string
}

// `window.pageConfig`, written by the page server (typed for the MSAL page by page.tsx).
const config = Reflect.get(window, 'pageConfig') as SessionPageConfig

const getAccessToken: GetAccessToken = async ({ scopes, claims, interactive }) => {
  // Same origin: the session cookie goes along.
  const response = await fetch(
    `/session/token?${new URLSearchParams({ scope: scopes.join(' '), ...(claims ? { claims } : {}) })}`,
  )
  if (response.status === 401) {
    if (interactive) window.location.assign('/session/sign-in')
    return null
  }
  if (!response.ok) throw new Error(`The session gave no token (${response.status}).`)
  return ((await response.json()) as { accessToken: string }).accessToken
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <EntraShareTokenProvider getAccessToken={getAccessToken}>
    <main>
      <ShareWithExternalUser bffUrl={config.bffUrl} scopes={[config.scope]} />
    </main>
  </EntraShareTokenProvider>,
)
