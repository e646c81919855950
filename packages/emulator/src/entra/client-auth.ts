import type { EmulatorContext } from '../context.js'
import type { TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { aadsts } from './aadsts.js'
import { verifyClientAssertion } from './client-assertion.js'
import { isPublicClient } from './client-kinds.js'
import type { ParamReader } from './request-params.js'

/** The client of a token request and how it proved who it is. */
export interface AuthenticatedClient {
  client: ApplicationSeed
  /** `azpacr` / `appidacr`: `0` public client, `1` client secret, `2` client assertion (certificate or federated). */
  clientAuthentication: '0' | '1' | '2'
}

/** Grants only a confidential client may use. */
const CONFIDENTIAL_GRANTS = new Set(['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'])

/**
 * Identifies the client of a token request. Confidential clients authenticate with a secret in the body
 * (`client_secret`) or in HTTP Basic (RFC 6749 §2.3.1, which Entra accepts), or with a `client_assertion` signed by a
 * registered certificate or issued by a trusted external issuer (see `verifyClientAssertion`); public clients must not
 * present one. When both a secret and an assertion come, the assertion decides (Entra does not document that case).
 *
 * @example
 * const { client, clientAuthentication } = await authenticateClient(tenant, param, authorization, grantType, emulator)
 */
export async function authenticateClient(
  tenant: TenantState,
  param: ParamReader,
  authorization: string | undefined,
  grantType: string,
  /** The running emulator: its base URL (assertion audiences) and the external issuers' keys. */
  emulator: EmulatorContext,
): Promise<AuthenticatedClient> {
  const basic = parseBasic(authorization)
  const clientId = param('client_id') ?? basic?.clientId
  if (!clientId) throw aadsts.missingParameter('client_id')
  const client = tenant.applications.get(clientId.toLowerCase())
  if (!client) throw aadsts.applicationNotFound(clientId, tenant.displayName)
  const secret = param('client_secret') ?? basic?.secret
  const assertion = param('client_assertion')
  // A single-page app or a mobile and desktop app holds no credential: identified by `client_id` alone.
  if (isPublicClient(client)) {
    if (secret || assertion) throw aadsts.publicClientCredential()
    if (CONFIDENTIAL_GRANTS.has(grantType)) throw aadsts.clientCredentialMissing()
    return { client, clientAuthentication: '0' }
  }
  if (assertion) {
    await verifyClientAssertion(assertion, param('client_assertion_type'), {
      tenant,
      client,
      baseUrl: emulator.baseUrl,
      issuerKeys: emulator.issuerKeys,
      nowMs: emulator.clock(),
    })
    return { client, clientAuthentication: '2' }
  }
  if (!secret) throw aadsts.clientCredentialMissing()
  if (!(client.clientSecrets ?? []).includes(secret)) throw aadsts.invalidClientSecret(client.clientId)
  return { client, clientAuthentication: '1' }
}

/** The client id a token request names, before authentication (for counting and error messages). */
export function claimedClientId(param: ParamReader, authorization: string | undefined): string | undefined {
  return param('client_id') ?? parseBasic(authorization)?.clientId
}

function parseBasic(authorization: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
  const form = new URLSearchParams(`id=${decoded.slice(0, colon)}&secret=${decoded.slice(colon + 1)}`)
  return { clientId: form.get('id') ?? '', secret: form.get('secret') ?? '' }
}
