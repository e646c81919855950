import { createHash } from 'node:crypto'

/**
 * Whether a `claims` request parameter is a Conditional Access challenge that only a multi-factor sign-in satisfies:
 * it asks for policy ids (`capolids`) or authentication context classes (`acrs`). Client capabilities such as
 * `{"access_token":{"xms_cc":{"values":["CP1"]}}}`, which MSAL adds to every request, demand nothing.
 */
export function claimsDemandMfa(claims: string | undefined): boolean {
  if (!claims) return false
  let parsed: unknown
  try {
    parsed = JSON.parse(claims)
  } catch {
    return false
  }
  if (typeof parsed !== 'object' || parsed === null) return false
  return Object.values(parsed).some(
    (tokenClaims) =>
      typeof tokenClaims === 'object' &&
      tokenClaims !== null &&
      ('capolids' in tokenClaims || 'acrs' in tokenClaims),
  )
}

/**
 * The claims challenge Entra attaches when a Conditional Access policy of the tenant requires MFA, e.g.
 * `{"access_token":{"capolids":{"essential":true,"values":["<policy id>"]}}}`.
 */
export function mfaClaimsChallenge(tenantId: string): string {
  return JSON.stringify({ access_token: { capolids: { essential: true, values: [mfaPolicyId(tenantId)] } } })
}

/** The (stable) object id of the tenant's emulated "Require MFA" Conditional Access policy. */
export function mfaPolicyId(tenantId: string): string {
  const hex = createHash('sha256').update(`${tenantId}|conditional-access|require-mfa`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
