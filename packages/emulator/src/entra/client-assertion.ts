import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose'
import type { TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { aadsts } from './aadsts.js'
import { verifyCertificateAssertion } from './certificate-assertion.js'
import { verifyFederatedAssertion } from './federated-assertion.js'
import type { IssuerKeys } from './issuer-keys.js'

/** `client_assertion_type` for a JWT client assertion (RFC 7523 §2.2), the only type Entra accepts. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** Everything needed to check a client assertion presented at a tenant's token endpoint. */
export interface ClientAssertionCheck {
  tenant: TenantState
  client: ApplicationSeed
  /** `https://127.0.0.1:{port}`: the token endpoint URLs an assertion may be addressed to are built from it. */
  baseUrl: string
  issuerKeys: IssuerKeys
  nowMs: number
}

/**
 * Authenticates a confidential client by `client_assertion` (private_key_jwt). An assertion whose `iss` is the
 * client id is one the app signed with a registered certificate
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials); any other `iss` makes it a federated
 * token from an external issuer (https://learn.microsoft.com/entra/workload-id/workload-identity-federation).
 * Throws Entra's AADSTS error when the assertion does not authenticate the app.
 *
 * @example
 * await verifyClientAssertion(param('client_assertion'), param('client_assertion_type'),
 *   { tenant, client, baseUrl: emulator.baseUrl, issuerKeys: emulator.issuerKeys, nowMs: emulator.clock() })
 */
export async function verifyClientAssertion(
  assertion: string,
  assertionType: string | undefined,
  check: ClientAssertionCheck,
): Promise<void> {
  if (!assertionType) throw aadsts.missingParameter('client_assertion_type')
  if (assertionType !== CLIENT_ASSERTION_TYPE) throw aadsts.unexpectedClientAssertionType()
  let header: ProtectedHeaderParameters
  let payload: JWTPayload
  try {
    header = decodeProtectedHeader(assertion)
    payload = decodeJwt(assertion)
  } catch {
    throw aadsts.malformedAssertion()
  }
  if (typeof payload.iss === 'string' && payload.iss.toLowerCase() === check.client.clientId.toLowerCase()) {
    await verifyCertificateAssertion(assertion, header, payload, {
      client: check.client,
      tokenEndpoints: tokenEndpoints(check.baseUrl, check.tenant),
      nowMs: check.nowMs,
    })
    return
  }
  await verifyFederatedAssertion(assertion, header, payload, {
    client: check.client,
    issuerKeys: check.issuerKeys,
    nowMs: check.nowMs,
  })
}

/** The tenant's v2 token endpoint, by tenant id and by each verified domain (Entra's example uses a domain). */
function tokenEndpoints(baseUrl: string, tenant: TenantState): string[] {
  return [tenant.id, ...tenant.verifiedDomains].map((name) => `${baseUrl}/${name}/oauth2/v2.0/token`)
}
