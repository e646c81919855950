import type { TenantState } from '../directory.js'
import type { ApplicationSeed } from '../seed.js'
import { aadsts } from './aadsts.js'
import type { ParamReader } from './request-params.js'

/** The client of a token request and how it proved who it is. */
export interface AuthenticatedClient {
  client: ApplicationSeed
  clientAuthentication: '0' | '1'
}

/** Grants only a confidential client may use. */
const CONFIDENTIAL_GRANTS = new Set(['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'])

/**
 * Identifies the client of a token request. Confidential clients authenticate with a secret in the body
 * (`client_secret`) or in HTTP Basic (RFC 6749 §2.3.1, which Entra accepts); public clients must not present one.
 */
export function authenticateClient(
  tenant: TenantState,
  param: ParamReader,
  authorization: string | undefined,
  grantType: string,
): AuthenticatedClient {
  const basic = parseBasic(authorization)
  const clientId = param('client_id') ?? basic?.clientId
  if (!clientId) throw aadsts.missingParameter('client_id')
  const client = tenant.applications.get(clientId.toLowerCase())
  if (!client) throw aadsts.applicationNotFound(clientId, tenant.displayName)
  const secret = param('client_secret') ?? basic?.secret
  const assertion = param('client_assertion')
  if (client.kind === 'spa') {
    if (secret || assertion) throw aadsts.publicClientCredential()
    if (CONFIDENTIAL_GRANTS.has(grantType)) throw aadsts.clientCredentialMissing()
    return { client, clientAuthentication: '0' }
  }
  if (assertion) throw aadsts.clientAssertionUnsupported()
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
