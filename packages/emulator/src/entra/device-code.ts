import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { aadsts } from './aadsts.js'
import { confirmPage, enterCodePage, finishedPage } from './device-code-pages.js'
import {
  DEVICE_CODE_LIFETIME_SECONDS,
  DEVICE_CODE_POLL_INTERVAL_SECONDS,
  type DeviceCodeGrant,
  deviceCodesOf,
} from './device-codes.js'
import { accountPickerPage, sendPage } from './login-page.js'
import { newErrorTrace, OAuthError, sendOAuthError, setTokenEndpointHeaders } from './oauth-errors.js'
import { paramReader } from './request-params.js'
import { parseScopeRequest } from './scopes.js'
import { signInUsersOf, userForLoginHintIn } from './sign-in-users.js'
import { authorityFromPath } from './tenant-path.js'

type TenantParams = { Params: { tenant: string } }
type UserCodeParams = { Params: { userCode: string } }

/** A code waiting for its person: the grant, the tenant it names, the tenants whose members may approve, the app. */
interface PendingCode {
  grant: DeviceCodeGrant
  tenant: TenantState
  tenants: TenantState[]
  client: ApplicationSeed
}

const WRONG_CODE = "That code didn't work. Check the code and try again."
const EXPIRED_CODE =
  "The code you entered has expired. Get a new code from the device you're trying to sign in to and try again."

/**
 * The OAuth 2.0 device authorization grant (RFC 8628) as Entra serves it:
 * - `POST /{tenant}/oauth2/v2.0/devicecode` (`client_id`, `scope`): `device_code`, `user_code`, `verification_uri`,
 *   `expires_in`, `interval` and Entra's `message`
 * - `/devicelogin`: tenant-less like `https://microsoft.com/devicelogin`; enter the code, pick a seeded account on the
 *   shared account picker, then Continue (approve) or Cancel (decline)
 * - emulator controls: `GET /_emulator/device-codes`, `POST /_emulator/device-codes/{user_code}/approve` with
 *   `{ "user": "megan@contoso.example" }` and `…/decline`, so tests and CI approve without the page
 *
 * The device polls the token endpoint with `grant_type=urn:ietf:params:oauth:grant-type:device_code`
 * (`grants/device-code.ts`). At `/organizations` and `/common` (multi-tenant apps) a member of any tenant that lists
 * the app may approve, and the tokens are issued in that person's home tenant.
 */
export async function deviceCodeRoutes(app: FastifyInstance): Promise<void> {
  const context = app.emulator
  const { directory, clock } = context
  const store = deviceCodesOf(context)

  app.post<TenantParams>('/:tenant/oauth2/v2.0/devicecode', async (request, reply) => {
    const param = paramReader(request.body, request.query)
    const trace = newErrorTrace(paramReader(request.query, request.headers)('client-request-id'), clock())
    try {
      const clientId = param('client_id')
      const authority = authorityFromPath(directory, request.params.tenant, clientId)
      const { tenant } = authority
      if (!clientId) throw aadsts.missingParameter('client_id')
      const client = tenant.applications.get(clientId.toLowerCase())
      if (!client) throw aadsts.applicationNotFound(clientId, tenant.displayName)
      const scope = param('scope')
      if (!scope) throw aadsts.missingParameter('scope')
      parseScopeRequest(tenant, client, scope, 'token')
      const grant = store.issue({
        tenantId: tenant.id,
        tenantIds: authority.tenants.map((candidate) => candidate.id),
        clientId: client.clientId.toLowerCase(),
        scope,
      })
      const verificationUri = `${context.baseUrl}/devicelogin`
      setTokenEndpointHeaders(reply, trace)
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send({
          user_code: grant.userCode,
          device_code: grant.deviceCode,
          verification_uri: verificationUri,
          expires_in: DEVICE_CODE_LIFETIME_SECONDS,
          interval: DEVICE_CODE_POLL_INTERVAL_SECONDS,
          message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${grant.userCode} to authenticate.`,
        })
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error, trace)
      throw error
    }
  })

  app.get('/devicelogin', async (_request, reply) => sendPage(reply, 200, enterCodePage(null)))

  app.post('/devicelogin', async (request, reply) => {
    const found = pendingFor(paramReader(request.body)('otc'))
    if ('notice' in found) return sendPage(reply, 200, enterCodePage(found.notice))
    return showPicker(reply, found, null)
  })

  app.post('/devicelogin/signin', async (request, reply) => {
    const param = paramReader(request.body)
    const found = pendingFor(param('ctx'))
    if ('notice' in found) return sendPage(reply, 200, enterCodePage(found.notice))
    const user = signInUsersOf(found.tenants).find(
      (candidate) => candidate.id === param('user')?.toLowerCase(),
    )
    if (!user) return showPicker(reply, found, 'Pick one of the accounts below.')
    return sendPage(reply, 200, confirmPage({ client: found.client, user, userCode: found.grant.userCode }))
  })

  app.post('/devicelogin/confirm', async (request, reply) => {
    const param = paramReader(request.body)
    const found = pendingFor(param('otc'))
    if ('notice' in found) return sendPage(reply, 200, enterCodePage(found.notice))
    const user = signInUsersOf(found.tenants).find(
      (candidate) => candidate.id === param('user')?.toLowerCase(),
    )
    if (!user) return showPicker(reply, found, 'Pick one of the accounts below.')
    const approved = param('decision') === 'continue'
    if (approved) approve(found.grant, user)
    else found.grant.status = 'declined'
    return sendPage(reply, 200, finishedPage(found.client, approved))
  })

  app.get('/_emulator/device-codes', async () => store.list().map(describe))

  app.post<UserCodeParams>('/_emulator/device-codes/:userCode/approve', async (request, reply) => {
    const grant = store.byUserCode(request.params.userCode)
    const refusal = controlRefusal(grant)
    if (refusal || !grant) return reply.code(refusal?.status ?? 404).send(refusal?.body)
    const tenants = tenantsOf(grant)
    const named = (request.body as { user?: unknown } | null)?.user
    const user =
      typeof named === 'string'
        ? (userForLoginHintIn(tenants, named) ??
          signInUsersOf(tenants).find((candidate) => candidate.id === named.toLowerCase()))
        : undefined
    if (!user) {
      return reply.code(400).send({
        error: 'unknown_user',
        message: `Send { "user": "<UPN, mail or object id>" } naming a member of ${tenants.map((tenant) => tenant.displayName).join(' or ')} who may sign in.`,
      })
    }
    approve(grant, user)
    return describe(grant)
  })

  app.post<UserCodeParams>('/_emulator/device-codes/:userCode/decline', async (request, reply) => {
    const grant = store.byUserCode(request.params.userCode)
    const refusal = controlRefusal(grant)
    if (refusal || !grant) return reply.code(refusal?.status ?? 404).send(refusal?.body)
    grant.status = 'declined'
    return describe(grant)
  })

  /** The tenants whose members may approve a code. */
  function tenantsOf(grant: DeviceCodeGrant): TenantState[] {
    return grant.tenantIds
      .map((id) => directory.tenant(id))
      .filter((tenant): tenant is TenantState => tenant !== undefined)
  }

  /** The pending grant a typed code names, with its tenants and client, or the notice the code page shows. */
  function pendingFor(typed: string | undefined): PendingCode | { notice: string } {
    const grant = typed ? store.byUserCode(typed) : undefined
    if (grant?.status !== 'pending') return { notice: WRONG_CODE }
    if (store.isExpired(grant)) return { notice: EXPIRED_CODE }
    const tenant = directory.tenant(grant.tenantId)
    const client = tenant?.applications.get(grant.clientId)
    if (!tenant || !client) return { notice: WRONG_CODE }
    return { grant, tenant, tenants: tenantsOf(grant), client }
  }

  function showPicker(reply: FastifyReply, found: PendingCode, notice: string | null): FastifyReply {
    const { grant, tenant, client } = found
    const users = signInUsersOf(found.tenants)
    const html = accountPickerPage({
      tenant,
      client,
      users,
      ctx: grant.userCode,
      notice,
      action: '/devicelogin/signin',
      ...(found.tenants.length > 1 ? { directoryName: 'work or school account' } : {}),
    })
    return sendPage(reply, 200, html)
  }

  function controlRefusal(
    grant: DeviceCodeGrant | undefined,
  ): { status: number; body: { error: string; message: string } } | undefined {
    if (!grant) {
      return {
        status: 404,
        body: {
          error: 'unknown_user_code',
          message: 'No device code has that user code; request a new one.',
        },
      }
    }
    if (store.isExpired(grant)) {
      return {
        status: 409,
        body: { error: 'expired', message: 'That user code has expired; request a new one.' },
      }
    }
    if (grant.status !== 'pending') {
      return {
        status: 409,
        body: { error: 'not_pending', message: `That user code was already ${grant.status}.` },
      }
    }
    return undefined
  }

  function describe(grant: DeviceCodeGrant) {
    return {
      userCode: grant.userCode,
      tenantId: grant.tenantId,
      clientId: grant.clientId,
      scope: grant.scope,
      status: store.isExpired(grant) && grant.status === 'pending' ? 'expired' : grant.status,
      userId: grant.userId,
      expiresAt: new Date(grant.expiresAtMs).toISOString(),
    }
  }
}

/**
 * Approval stands for a complete sign-in, multi-factor authentication included (the page tells users under an
 * MFA policy that continuing approves it), so the tokens carry `mfa` like a browser sign-in that passed MFA.
 */
function approve(grant: DeviceCodeGrant, user: DirectoryUser): void {
  grant.status = 'approved'
  grant.tenantId = user.tenantId
  grant.userId = user.id
  grant.mfa = user.requiresMfa
  grant.sessionId = randomUUID()
}
