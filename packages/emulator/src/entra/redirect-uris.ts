import type { TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { isSinglePageApp } from './client-kinds.js'

// Entra ignores the port of loopback reply URLs (RFC 8252 §7.3, §8.3); [::1] is not supported.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1'])

/**
 * Whether a requested redirect URI matches a registered one as Entra matches them: scheme, host, path and query
 * exactly (paths are case-sensitive), the port too except for `localhost` and `127.0.0.1`. A registered URI
 * without a path equals the same URI with `/`.
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
  const want = parseUrl(registered)
  const got = parseUrl(requested)
  if (!want || !got || got.hash) return false
  if (want.protocol !== got.protocol || want.hostname !== got.hostname) return false
  if (!LOOPBACK_HOSTS.has(got.hostname) && want.port !== got.port) return false
  return want.pathname === got.pathname && want.search === got.search
}

/** Whether the app registered the redirect URI. */
export function isRegisteredRedirectUri(app: ApplicationSeed, requested: string): boolean {
  return (app.redirectUris ?? []).some((registered) => redirectUriMatches(registered, requested))
}

/**
 * Whether a browser origin may call the token endpoint cross-origin: it must be the origin of a redirect URI of a
 * single-page app of the tenant (any port for loopback hosts, as for the redirect URIs themselves).
 */
export function isSpaOrigin(tenant: TenantState, origin: string): boolean {
  const got = parseUrl(origin)
  if (!got) return false
  for (const app of tenant.applications.values()) {
    if (!isSinglePageApp(app)) continue
    for (const registered of app.redirectUris ?? []) {
      const want = parseUrl(registered)
      if (!want || want.protocol !== got.protocol || want.hostname !== got.hostname) continue
      if (LOOPBACK_HOSTS.has(got.hostname) || want.port === got.port) return true
    }
  }
  return false
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}
