import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import type { BffConfig, ClientCredential } from '../config.js'
import { msalCredential } from '../identity/msal-credential.js'
import { createTokenServiceClient } from '../identity/token-service-client.js'
import type { CheckLine } from './check-report.js'
import { networkReason } from './http-probe.js'

const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default'

export interface CredentialCheck {
  line: CheckLine
  /** An app-only Microsoft Graph token, when the credential works. */
  accessToken: string | null
  /** Its `roles` claim: the application permissions with admin consent. */
  roles: string[]
}

/** The environment variable that holds each kind of credential, for actionable messages. */
export function credentialVariable(credential: ClientCredential): string {
  switch (credential.kind) {
    case 'secret':
      return 'ENTRA_SHARE_CLIENT_SECRET'
    case 'certificate':
      return 'ENTRA_SHARE_CLIENT_CERTIFICATE_PATH'
    case 'assertion-file':
      return 'ENTRA_SHARE_CLIENT_ASSERTION_FILE'
  }
}

/**
 * Proves the credential with msal-node's client credentials flow for Microsoft Graph and returns the app-only token,
 * whose `roles` are the app's admin-consented application permissions.
 *
 * @example
 * const { line, accessToken, roles } = await checkCredential(config, metadataText, fetch)
 */
export async function checkCredential(
  config: Pick<BffConfig, 'tenantId' | 'clientId' | 'credential' | 'authorityHost'>,
  authorityMetadata: string,
  fetchImpl: typeof fetch,
): Promise<CredentialCheck> {
  const variable = credentialVariable(config.credential)
  const msalConfig: Configuration = {
    auth: {
      clientId: config.clientId,
      authority: `${config.authorityHost}/${config.tenantId}`,
      // MSAL compares host:port; listing the host and passing the metadata spares discovery calls.
      knownAuthorities: [new URL(config.authorityHost).host],
      authorityMetadata,
      ...msalCredential(config.credential),
    },
    system: { networkClient: createTokenServiceClient(fetchImpl) },
  }
  let accessToken: string
  try {
    const result = await new ConfidentialClientApplication(msalConfig).acquireTokenByClientCredential({
      scopes: [GRAPH_DEFAULT_SCOPE],
    })
    if (!result?.accessToken) throw new Error('the token endpoint answered without an access token')
    accessToken = result.accessToken
  } catch (error) {
    return {
      line: { ok: false, text: credentialFailure(error, config, variable) },
      accessToken: null,
      roles: [],
    }
  }
  const roles = rolesOf(accessToken)
  return {
    line: { ok: true, text: `The credential (${variable}) gets an app-only token for Microsoft Graph.` },
    accessToken,
    roles,
  }
}

/** One sentence naming the variable to fix, from Entra's AADSTS code where there is one. */
function credentialFailure(
  error: unknown,
  config: Pick<BffConfig, 'tenantId' | 'clientId'>,
  variable: string,
): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = /AADSTS(\d+)/.exec(message)?.[1]
  const summary = message.split(/\r?\n/)[0]
  switch (code) {
    case '7000215':
    case '7000222':
      return `The client secret was refused (AADSTS${code}): set ${variable} to a current secret of app ${config.clientId} (the secret's value, not its id).`
    case '700027':
    case '700024':
    case '700023':
      return `The client assertion was refused (AADSTS${code}): check ${variable} and that the certificate or federated credential is registered on app ${config.clientId}.`
    case '70021':
    case '700211':
    case '700212':
    case '700213':
      return `The federated token was refused (AADSTS${code}: ${federatedReason(code)}): the token in ${variable} must match a federated identity credential of app ${config.clientId} (Certificates & secrets > Federated credentials: issuer, subject, audience api://AzureADTokenExchange).`
    case '700016':
      return `App ${config.clientId} is not known in tenant ${config.tenantId} (AADSTS700016): check ENTRA_SHARE_CLIENT_ID and ENTRA_SHARE_TENANT_ID.`
    case '90002':
      return `Tenant ${config.tenantId} was not found (AADSTS90002): check ENTRA_SHARE_TENANT_ID.`
  }
  if ((error as { name?: unknown }).name === 'TokenServiceUnavailableError') {
    return `The token endpoint could not be used (${networkReason(error)}): check ENTRA_SHARE_AUTHORITY_HOST and try again.`
  }
  return `No token could be obtained with ${variable} for app ${config.clientId}: ${summary}`
}

function federatedReason(code: string): string {
  if (code === '700211') return "no federated credential trusts the token's issuer"
  if (code === '700212') return "no federated credential accepts the token's audience"
  if (code === '700213') return "no federated credential trusts the token's subject"
  return 'the app has no matching federated identity credential'
}

function rolesOf(accessToken: string): string[] {
  try {
    const { roles } = decodeJwt(accessToken)
    return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : []
  } catch {
    return []
  }
}
