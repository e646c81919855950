import type { ReactElement, ReactNode } from 'react'
import { EntraShareTokenProvider } from '../access-token.js'
import { useMsalAccessToken } from './useMsalAccessToken.js'

/**
 * Gives every entra-share component and hook below it their BFF tokens from msal-react (see
 * {@link useMsalAccessToken}). Place it inside msal-react's `MsalProvider`.
 *
 * @example
 * import { MsalProvider } from '@azure/msal-react'
 * import { MsalEntraShareProvider } from '@entra-share/react/msal'
 *
 * <MsalProvider instance={msal}>
 *   <MsalEntraShareProvider>
 *     <App />
 *   </MsalEntraShareProvider>
 * </MsalProvider>
 */
export function MsalEntraShareProvider(props: { children?: ReactNode }): ReactElement {
  return (
    <EntraShareTokenProvider getAccessToken={useMsalAccessToken()}>{props.children}</EntraShareTokenProvider>
  )
}
