import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { aadsts } from './aadsts.js'
import { authenticateClient, claimedClientId } from './client-auth.js'
import { isSinglePageApp } from './client-kinds.js'
import { redeemAuthorizationCode } from './grants/authorization-code.js'
import { clientCredentials } from './grants/client-credentials.js'
import { DEVICE_CODE_GRANT_TYPE, redeemDeviceCode } from './grants/device-code.js'
import { onBehalfOf } from './grants/on-behalf-of.js'
import { redeemRefreshToken } from './grants/refresh-token.js'
import { newErrorTrace, OAuthError, sendOAuthError, setTokenEndpointHeaders } from './oauth-errors.js'
import { isSpaOrigin } from './redirect-uris.js'
import { paramReader } from './request-params.js'
import { isAnyOrganization } from './tenant-path.js'
import type { TokenContext, TokenResponseBody } from './token-context.js'
import { tenantForTokenRequest } from './token-tenant.js'

type TenantParams = { Params: { tenant: string } }
type GrantHandler = (context: TokenContext) => Promise<TokenResponseBody>

const GRANTS: Record<string, GrantHandler> = {
  authorization_code: redeemAuthorizationCode,
  refresh_token: redeemRefreshToken,
  client_credentials: clientCredentials,
  'urn:ietf:params:oauth:grant-type:jwt-bearer': onBehalfOf,
  [DEVICE_CODE_GRANT_TYPE]: redeemDeviceCode,
  // MSAL sends the short name, which Entra accepts as well as RFC 8628's URN.
  device_code: redeemDeviceCode,
}

// Response headers a browser app may read: MSAL reads the request id, and Retry-After when throttled.
const EXPOSED_HEADERS = 'x-ms-request-id, client-request-id, x-ms-clitelem, Retry-After'

/**
 * `POST /{tenant}/oauth2/v2.0/token` with the grants `authorization_code`, `refresh_token`, `client_credentials`,
 * On-Behalf-Of and the device code, answering errors in Entra's shape. Every request is counted (`directory.countTokenRequest`).
 *
 * CORS: browsers may call it from the origin of a single-page app's redirect URI (any port on loopback hosts); a
 * cross-origin request for any other kind of client fails with AADSTS9002326, as in Entra. The other way round,
 * a single-page app's code or refresh token redeemed without an `Origin` fails with AADSTS9002327 (in the grants).
 *
 * At `/organizations` and `/common` the grant names the tenant (`token-tenant.ts`).
 */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  const { directory, clock } = app.emulator
  const redeemedCodes = new Set<string>()

  app.options<TenantParams>('/:tenant/oauth2/v2.0/token', async (request, reply) => {
    if (allowCors(request, reply)) {
      reply.header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      reply.header(
        'Access-Control-Allow-Headers',
        request.headers['access-control-request-headers'] ?? 'content-type',
      )
      reply.header('Access-Control-Max-Age', '86400')
    }
    return reply.code(204).send()
  })

  app.post<TenantParams>('/:tenant/oauth2/v2.0/token', async (request, reply) => {
    const param = paramReader(request.body, request.query)
    const clientRequestId = paramReader(request.query, request.headers)('client-request-id')
    const trace = newErrorTrace(clientRequestId, clock())
    const grantType = param('grant_type') ?? ''
    const authorization = request.headers.authorization
    const clientId = claimedClientId(param, authorization)?.toLowerCase() ?? ''
    const tenantId = directory.tenant(request.params.tenant)?.id ?? request.params.tenant
    directory.countTokenRequest(grantType, tenantId, clientId)
    allowCors(request, reply)
    try {
      const tenant = tenantForTokenRequest(
        app.emulator,
        request.params.tenant,
        clientId || undefined,
        grantType,
        param,
      )
      if (!grantType) throw aadsts.missingParameter('grant_type')
      const grant = GRANTS[grantType]
      if (!grant) throw aadsts.unsupportedGrantType(grantType)
      const { client, clientAuthentication } = await authenticateClient(
        tenant,
        param,
        authorization,
        grantType,
        app.emulator,
      )
      const { origin } = request.headers
      if (origin && !isSinglePageApp(client)) throw aadsts.crossOriginNotSpa(origin)
      const body = await grant({
        emulator: app.emulator,
        tenant,
        client,
        clientAuthentication,
        param,
        redeemedCodes,
        crossOrigin: origin !== undefined,
      })
      setTokenEndpointHeaders(reply, trace)
      return reply.code(200).type('application/json; charset=utf-8').send(body)
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error, trace)
      throw error
    }
  })

  /** Echoes an allowed origin; the browser blocks the response for any other. */
  function allowCors(request: FastifyRequest<TenantParams>, reply: FastifyReply): boolean {
    const origin = request.headers.origin
    const segment = request.params.tenant
    const tenants = isAnyOrganization(segment) ? [...directory.tenants.values()] : [directory.tenant(segment)]
    if (!origin || !tenants.some((tenant) => tenant && isSpaOrigin(tenant, origin))) return false
    reply.header('Access-Control-Allow-Origin', origin)
    reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS)
    reply.header('Vary', 'Origin')
    return true
  }
}
