/**
 * The demo's settings, from `VITE_ENTRA_SHARE_*` variables: `pnpm dev` sets them for the local emulator; for a real
 * tenant put them in `apps/demo/.env.local` (see the README).
 */
export interface DemoSettings {
  /** The SPA app registration's client id. */
  clientId: string
  /** `https://login.microsoftonline.com/{tenant id}` (or the emulator's). */
  authority: string
  /** Hosts MSAL may trust as authorities (`host:port` for the emulator). */
  knownAuthorities: string[]
  /** OIDC metadata JSON: skips discovery (the emulator provides it). */
  authorityMetadata: string | undefined
  /** Where the BFF listens, e.g. `http://localhost:3001`. */
  bffUrl: string
  /** The BFF's delegated scope, e.g. `api://{bff client id}/Invitations.Send`. */
  bffScope: string
  /**
   * The BFF's administrator app role (its `ENTRA_SHARE_ADMIN_ROLE`, default `Invitations.Admin`): users whose BFF
   * token holds it see the bulk-invite section. Only what the page shows; the BFF checks every call itself.
   */
  adminRole: string
}

function required(name: string, value: string | undefined): string {
  if (!value)
    throw new Error(
      `${name} is not set. Run the demo with \`pnpm dev\` (local emulator) or set it in apps/demo/.env.local for a real tenant.`,
    )
  return value
}

const env = import.meta.env

export const settings: DemoSettings = {
  clientId: required('VITE_ENTRA_SHARE_SPA_CLIENT_ID', env.VITE_ENTRA_SHARE_SPA_CLIENT_ID),
  authority: required('VITE_ENTRA_SHARE_AUTHORITY', env.VITE_ENTRA_SHARE_AUTHORITY),
  knownAuthorities: (env.VITE_ENTRA_SHARE_KNOWN_AUTHORITIES ?? '').split(',').filter(Boolean),
  authorityMetadata: env.VITE_ENTRA_SHARE_AUTHORITY_METADATA || undefined,
  bffUrl: required('VITE_ENTRA_SHARE_BFF_URL', env.VITE_ENTRA_SHARE_BFF_URL),
  bffScope: required('VITE_ENTRA_SHARE_BFF_SCOPE', env.VITE_ENTRA_SHARE_BFF_SCOPE),
  adminRole: env.VITE_ENTRA_SHARE_ADMIN_ROLE || 'Invitations.Admin',
}
