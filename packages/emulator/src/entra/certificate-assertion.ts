import { compactVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose'
import { type RegisteredCertificate, registeredCertificate } from '../crypto/key-credentials.js'
import type { ApplicationSeed } from '../state/seed.js'
import { aadsts } from './aadsts.js'
import { checkAssertionLifetime } from './assertion-lifetime.js'

/** What a certificate-signed client assertion is checked against. */
export interface CertificateAssertionCheck {
  client: ApplicationSeed
  /** The token endpoint URLs the assertion's `aud` may name (the tenant's, by id or verified domain). */
  tokenEndpoints: string[]
  nowMs: number
}

/**
 * Verifies a client assertion the app signed with one of its registered certificates (private_key_jwt), as
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials describes it: `iss` = `sub` = client id,
 * `aud` = the token endpoint, `exp` / `nbf`, the certificate named by `x5t#S256` (SHA-256) or `x5t` (SHA-1), and an
 * RS256 or PS256 signature by that certificate's key. `jti` is not checked for replays: the docs do not say Entra does.
 *
 * @example
 * await verifyCertificateAssertion(assertion, decodeProtectedHeader(assertion), decodeJwt(assertion),
 *   { client, tokenEndpoints: [`${base}/${tenantId}/oauth2/v2.0/token`], nowMs: Date.now() })
 */
export async function verifyCertificateAssertion(
  assertion: string,
  header: ProtectedHeaderParameters,
  payload: JWTPayload,
  check: CertificateAssertionCheck,
): Promise<void> {
  const { client } = check
  if (typeof payload.sub !== 'string' || payload.sub.toLowerCase() !== client.clientId.toLowerCase()) {
    throw aadsts.assertionSubjectMismatchesIssuer()
  }
  const sha256 = header['x5t#S256']
  const sha1 = header.x5t
  const presented = typeof sha256 === 'string' ? sha256 : typeof sha1 === 'string' ? sha1 : undefined
  if (presented === undefined) throw aadsts.assertionWithoutThumbprint()
  const thumbprint = Buffer.from(presented, 'base64url').toString('hex').toUpperCase()
  const certificate = (client.keyCredentials ?? [])
    .map(registeredCertificate)
    .find((candidate) => (typeof sha256 === 'string' ? candidate.x5tS256 === sha256 : candidate.x5t === sha1))
  if (!certificate) throw aadsts.certificateNotRegistered(thumbprint, client.clientId)
  if (check.nowMs < certificate.notBefore.getTime() || check.nowMs >= certificate.notAfter.getTime()) {
    throw aadsts.certificateExpired(thumbprint, certificate, client.clientId)
  }
  await verifySignature(assertion, certificate, thumbprint, client.clientId)
  checkAudience(payload.aud, check.tokenEndpoints)
  checkAssertionLifetime(payload, check.nowMs)
}

async function verifySignature(
  assertion: string,
  certificate: RegisteredCertificate,
  thumbprint: string,
  clientId: string,
): Promise<void> {
  try {
    await compactVerify(assertion, certificate.publicKey, { algorithms: ['RS256', 'PS256'] })
  } catch {
    throw aadsts.certificateSignatureInvalid(thumbprint, certificate, clientId)
  }
}

/** `aud` must be one token endpoint URL, as a single string (an array audience is refused as malformed). */
function checkAudience(audience: JWTPayload['aud'], tokenEndpoints: string[]): void {
  if (audience === undefined) throw aadsts.clientAssertionAudience()
  if (typeof audience !== 'string') throw aadsts.malformedAssertion()
  const wanted = audience.toLowerCase()
  if (!tokenEndpoints.some((endpoint) => endpoint.toLowerCase() === wanted)) {
    throw aadsts.clientAssertionAudience()
  }
}
