import type { JWTPayload, ProtectedHeaderParameters } from 'jose'
import type { ApplicationSeed } from '../state/seed.js'
import { aadsts } from './aadsts.js'
import { checkAssertionLifetime } from './assertion-lifetime.js'
import { IssuerKeyError, type IssuerKeys } from './issuer-keys.js'

/** What a federated client assertion (workload identity federation) is checked against. */
export interface FederatedAssertionCheck {
  client: ApplicationSeed
  issuerKeys: IssuerKeys
  nowMs: number
}

/**
 * Verifies a token from an external identity provider presented as the app's credential
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation): a federated identity credential of
 * the app must name the token's `iss` (compared exactly), the issuer's OIDC metadata must publish the key that signed
 * it, and the credential's `subject` and one of its `audiences` must match `sub` and `aud`. Only issuers registered on
 * the app are ever contacted.
 *
 * @example
 * await verifyFederatedAssertion(token, decodeProtectedHeader(token), decodeJwt(token),
 *   { client, issuerKeys, nowMs: Date.now() })
 */
export async function verifyFederatedAssertion(
  assertion: string,
  header: ProtectedHeaderParameters,
  payload: JWTPayload,
  check: FederatedAssertionCheck,
): Promise<void> {
  const { iss: issuer, sub: subject } = payload
  if (typeof issuer !== 'string' || typeof subject !== 'string') throw aadsts.malformedAssertion()
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? [])
  const credentials = check.client.federatedIdentityCredentials ?? []
  if (credentials.length === 0) {
    throw aadsts.noFederatedIdentityRecord(issuer, subject, audiences.join(', '))
  }
  const sameIssuer = credentials.filter((credential) => credential.issuer === issuer)
  if (sameIssuer.length === 0) throw aadsts.federatedIssuerMismatch(issuer)

  try {
    await check.issuerKeys.verify(issuer, assertion)
  } catch (error) {
    if (!(error instanceof IssuerKeyError)) throw error
    if (error.reason === 'signature') throw aadsts.clientAssertionSignature()
    throw aadsts.federatedKeyNotFound(typeof header.kid === 'string' ? header.kid : '', issuer)
  }
  checkAssertionLifetime(payload, check.nowMs)

  const sameSubject = sameIssuer.filter((credential) => credential.subject === subject)
  if (sameSubject.length === 0) {
    const caseOnly = sameIssuer.some(
      (credential) => credential.subject.toLowerCase() === subject.toLowerCase(),
    )
    throw caseOnly ? aadsts.federatedSubjectCaseMismatch(subject) : aadsts.federatedSubjectMismatch(subject)
  }
  const accepted = sameSubject.some((credential) =>
    credential.audiences.some((audience) => audiences.includes(audience)),
  )
  if (!accepted) throw aadsts.federatedAudienceMismatch(audiences.join(', '))
}
