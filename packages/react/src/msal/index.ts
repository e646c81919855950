/**
 * `@entra-share/react/msal`: the msal-react adapter of the token seam, a separate entry so the main and bulk entries
 * never import `@azure/msal-browser` or `@azure/msal-react` (both optional peers).
 */

export { MsalEntraShareProvider } from './MsalEntraShareProvider.js'
export { useMsalAccessToken } from './useMsalAccessToken.js'
