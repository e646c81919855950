import type { FastifyInstance, FastifyReply } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { aadsts } from './aadsts.js'
import { newErrorTrace, type OAuthError, oauthErrorBody } from './oauth-errors.js'
import { allowAnyOriginToRead } from './public-cors.js'
import { paramReader } from './request-params.js'

type TenantParams = { Params: { tenant: string } }

/** Authority segments that stand for "any organization's tenant" in discovery documents. */
const ANY_ORGANIZATION = new Set(['common', 'organizations'])
// Entra writes this placeholder where the issuer depends on the tenant of the token.
const TENANT_PLACEHOLDER = '{tenantid}'

/**
 * OpenID Connect discovery and keys, per tenant (id or verified domain) and for `common` / `organizations`:
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration` and the v1 `GET /{tenant}/.well-known/openid-configuration`
 *   (the v1 document serves v1-token validators: issuer `https://sts.windows.net/{tid}/` and keys; the emulator
 *   implements only the v2.0 authorize and token endpoints)
 * - `GET /{tenant}/discovery/v2.0/keys` and `GET /{tenant}/discovery/keys`: the signing key with `kid`, `x5t`, `x5c`
 * - `GET /common/discovery/instance`: MSAL's instance discovery, naming the emulator's host as the only alias
 *
 * Values that would point at Microsoft's hosts (`msgraph_host`, `cloud_graph_host_name`) point at the emulator.
 *
 * Every one of them may be read cross-origin (`Access-Control-Allow-Origin: *`, preflights answered), as Entra serves
 * them: msal-browser without `authorityMetadata` fetches the discovery document from the page.
 */
export async function discoveryRoutes(app: FastifyInstance): Promise<void> {
  const emulator = app.emulator
  allowAnyOriginToRead(app, [
    '/:tenant/v2.0/.well-known/openid-configuration',
    '/:tenant/.well-known/openid-configuration',
    '/:tenant/discovery/v2.0/keys',
    '/:tenant/discovery/keys',
    '/common/discovery/instance',
  ])

  app.get<TenantParams>('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => {
    const scope = discoveryScope(emulator, request.params.tenant)
    if (typeof scope !== 'object')
      return sendDiscoveryError(reply, emulator, aadsts.tenantNotFound(scope, 'invalid_tenant'))
    return reply
      .header('Cache-Control', 'max-age=86400, private')
      .send(openIdConfigurationV2(emulator, scope))
  })

  app.get<TenantParams>('/:tenant/.well-known/openid-configuration', async (request, reply) => {
    const scope = discoveryScope(emulator, request.params.tenant)
    if (typeof scope !== 'object')
      return sendDiscoveryError(reply, emulator, aadsts.tenantNotFound(scope, 'invalid_tenant'))
    return reply
      .header('Cache-Control', 'max-age=86400, private')
      .send(openIdConfigurationV1(emulator, scope))
  })

  const keys = async (request: { params: { tenant: string } }, reply: FastifyReply) => {
    const scope = discoveryScope(emulator, request.params.tenant)
    if (typeof scope !== 'object')
      return sendDiscoveryError(reply, emulator, aadsts.tenantNotFound(scope, 'invalid_tenant'))
    const issuer = `${emulator.baseUrl}/${scope.tenantId ?? TENANT_PLACEHOLDER}/v2.0`
    return reply
      .header('Cache-Control', 'max-age=86400, private')
      .send({ keys: [{ ...emulator.signingKey.publicJwk, issuer }] })
  }
  app.get<TenantParams>('/:tenant/discovery/v2.0/keys', keys)
  app.get<TenantParams>('/:tenant/discovery/keys', keys)

  app.get('/common/discovery/instance', async (request, reply) => {
    const param = paramReader(request.query)
    const endpoint = param('authorization_endpoint')
    if (!endpoint)
      return sendDiscoveryError(reply, emulator, aadsts.missingParameter('authorization_endpoint'))
    const host = new URL(emulator.baseUrl).host
    let url: URL
    try {
      url = new URL(endpoint)
    } catch {
      return sendDiscoveryError(reply, emulator, aadsts.unknownInstance())
    }
    if (url.protocol !== 'https:' || url.host !== host)
      return sendDiscoveryError(reply, emulator, aadsts.unknownInstance())
    const tenant = url.pathname.split('/')[1] || 'common'
    return {
      tenant_discovery_endpoint: `${emulator.baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }
  })
}

/** What a discovery path names: one tenant, or any organization (`tenantId: null`). */
interface DiscoveryScope {
  segment: string
  tenantId: string | null
}

/** The scope of a discovery path, or the segment itself when it names no tenant. */
function discoveryScope(emulator: EmulatorContext, segment: string): DiscoveryScope | string {
  if (ANY_ORGANIZATION.has(segment.toLowerCase())) return { segment: segment.toLowerCase(), tenantId: null }
  const tenant = emulator.directory.tenant(segment)
  return tenant ? { segment: tenant.id, tenantId: tenant.id } : segment
}

function openIdConfigurationV2(emulator: EmulatorContext, scope: DiscoveryScope) {
  const base = `${emulator.baseUrl}/${scope.segment}`
  const host = new URL(emulator.baseUrl).host
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${emulator.baseUrl}/${scope.tenantId ?? TENANT_PLACEHOLDER}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: false,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    code_challenge_methods_supported: ['S256', 'plain'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'nonce',
      'oid',
      'sid',
      'preferred_username',
      'name',
      'tid',
      'ver',
    ],
    tenant_region_scope: scope.tenantId ? 'NA' : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: host,
    msgraph_host: host,
  }
}

function openIdConfigurationV1(emulator: EmulatorContext, scope: DiscoveryScope) {
  const base = `${emulator.baseUrl}/${scope.segment}`
  const host = new URL(emulator.baseUrl).host
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${emulator.baseUrl}/common/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid'],
    issuer: `https://sts.windows.net/${scope.tenantId ?? TENANT_PLACEHOLDER}/`,
    authorization_endpoint: `${base}/oauth2/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: false,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'oid',
      'upn',
      'unique_name',
      'name',
      'tid',
      'ver',
    ],
    tenant_region_scope: scope.tenantId ? 'NA' : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: host,
    msgraph_host: host,
  }
}

function sendDiscoveryError(reply: FastifyReply, emulator: EmulatorContext, error: OAuthError): FastifyReply {
  const trace = newErrorTrace(undefined, emulator.clock())
  return reply.code(error.status).type('application/json; charset=utf-8').send(oauthErrorBody(error, trace))
}
