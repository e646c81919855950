import type { ApplicationSeed } from '../state/seed.js'

/**
 * Whether the app is a public client (a single-page app, or a mobile and desktop app): it holds no credential,
 * so it is identified by `client_id` alone and its tokens carry `azpacr` / `appidacr` `0`.
 */
export function isPublicClient(app: ApplicationSeed): boolean {
  return app.kind === 'spa' || app.kind === 'public'
}

/**
 * Whether the app's codes and refresh tokens belong to the "Single-Page Application" client type: PKCE required,
 * redeemed only cross-origin (with an `Origin` header), refresh tokens with a fixed 24-hour lifetime.
 */
export function isSinglePageApp(app: ApplicationSeed): boolean {
  return app.kind === 'spa'
}
