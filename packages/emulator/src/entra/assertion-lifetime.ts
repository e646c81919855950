import type { JWTPayload } from 'jose'
import { aadsts } from './aadsts.js'

/**
 * The clock skew allowed on `exp` and `nbf`. Entra does not document its own; this is the default of the
 * Microsoft.IdentityModel token validation it is built on (`TokenValidationParameters.DefaultClockSkew`, 5 minutes).
 * Some leeway is needed in any case: msal-node rounds the current time to the nearest second for `nbf`.
 */
export const CLIENT_ASSERTION_CLOCK_SKEW_MS = 5 * 60 * 1000

/**
 * Checks a client assertion's `exp` and `nbf` against the emulator's clock (with `CLIENT_ASSERTION_CLOCK_SKEW_MS`).
 * RFC 7523 §3 requires `exp`; an assertion without one is malformed. Entra reports a missing `nbf` as "valid from"
 * the Unix epoch.
 *
 * @example
 * checkAssertionLifetime(decodeJwt(assertion), Date.now()) // throws AADSTS700024 once expired
 */
export function checkAssertionLifetime(payload: JWTPayload, nowMs: number): void {
  if (typeof payload.exp !== 'number') throw aadsts.malformedAssertion()
  if (payload.nbf !== undefined && typeof payload.nbf !== 'number') throw aadsts.malformedAssertion()
  const expiresAtMs = payload.exp * 1000
  const validFromMs = (payload.nbf ?? 0) * 1000
  if (
    nowMs >= expiresAtMs + CLIENT_ASSERTION_CLOCK_SKEW_MS ||
    nowMs < validFromMs - CLIENT_ASSERTION_CLOCK_SKEW_MS
  ) {
    throw aadsts.clientAssertionTimeRange(nowMs, validFromMs, expiresAtMs)
  }
}
