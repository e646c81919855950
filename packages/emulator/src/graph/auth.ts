import type { FastifyReply, FastifyRequest } from 'fastify'
import { errors as joseErrors } from 'jose'
import { decodeSessionFacts, GRAPH_AUDIENCE, type SessionFacts } from '../entra/token-service.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import { sendGraphError } from './errors.js'

/** Who is calling Graph, read from a verified Graph access token. */
export interface GraphPrincipal {
  tenant: TenantState
  appId: string
  /** The signed-in user for delegated tokens; `null` for app-only tokens. */
  user: DirectoryUser | null
  /** Delegated permissions (`scp`) or application permissions (`roles`). */
  permissions: Set<string>
  session: SessionFacts
}

declare module 'fastify' {
  interface FastifyRequest {
    graphPrincipal?: GraphPrincipal
  }
}

/**
 * Verifies the bearer token as Graph does and stores the principal on the request.
 * Answers 401 `InvalidAuthenticationToken` (with Graph's `WWW-Authenticate`) and returns `undefined` on failure.
 */
export async function authenticateGraphRequest(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<GraphPrincipal | undefined> {
  const { directory, tokens } = request.server.emulator
  const header = request.headers.authorization
  const fail = (message: string) => {
    reply.header(
      'WWW-Authenticate',
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    )
    sendGraphError(reply, 401, 'InvalidAuthenticationToken', message)
    return undefined
  }
  if (!header) return fail('Access token is empty.')
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match) return fail('Access token is empty.')
  const token = match[1] as string
  if (token.split('.').length !== 3) return fail('IDX14100: JWT is not well formed, there are no dots (.).')
  let claims: Record<string, unknown>
  try {
    claims = (await tokens.verify(token)) as Record<string, unknown>
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      return fail('Lifetime validation failed, the token is expired.')
    return fail('Access token validation failure.')
  }
  if (claims.aud !== GRAPH_AUDIENCE && claims.aud !== '00000003-0000-0000-c000-000000000000') {
    return fail('Access token validation failure. Invalid audience.')
  }
  const tenant = directory.tenant(String(claims.tid ?? ''))
  if (!tenant || claims.iss !== tokens.issuerV1(tenant.id))
    return fail('Access token validation failure. Invalid issuer.')
  const appId = String(claims.appid ?? '')
  let user: DirectoryUser | null = null
  if (claims.idtyp !== 'app') {
    user = tenant.users.get(String(claims.oid ?? '').toLowerCase()) ?? null
    if (!user) return fail('Access token validation failure. The user does not exist in the tenant.')
  }
  const permissions = new Set(
    user
      ? String(claims.scp ?? '')
          .split(' ')
          .filter(Boolean)
      : ((claims.roles as string[] | undefined) ?? []),
  )
  const principal: GraphPrincipal = {
    tenant,
    appId,
    user,
    permissions,
    session: decodeSessionFacts(claims.aio),
  }
  request.graphPrincipal = principal
  return principal
}

/**
 * Answers 403 `Authorization_RequestDenied` unless the token holds one of the permissions.
 * Broader permissions count: `Directory.ReadWrite.All` satisfies everything here, `*.ReadWrite.All` satisfies `*.Read.All`.
 */
export function requirePermission(
  principal: GraphPrincipal,
  reply: FastifyReply,
  acceptedPermissions: readonly string[],
): boolean {
  const ok = holdsAnyPermission(principal.permissions, acceptedPermissions)
  if (!ok) sendInsufficientPrivileges(reply)
  return ok
}

/** Graph's refusal of a caller without the permission or privilege an operation needs. */
export function sendInsufficientPrivileges(reply: FastifyReply): FastifyReply {
  return sendGraphError(
    reply,
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation.',
  )
}

/**
 * Whether the granted permissions (`scp` or `roles`) hold one of the accepted ones, broader permissions counting
 * as `requirePermission` describes.
 *
 * @example
 * holdsAnyPermission(new Set(['Directory.ReadWrite.All']), ['User.Invite.All']) // true
 */
export function holdsAnyPermission(
  granted: ReadonlySet<string>,
  acceptedPermissions: readonly string[],
): boolean {
  return acceptedPermissions.some((permission) =>
    [...granted].some((held) => held === permission || impliedBy(held).includes(permission)),
  )
}

function impliedBy(held: string): string[] {
  if (held === 'Directory.ReadWrite.All') {
    return [
      'Directory.Read.All',
      'User.Read.All',
      'User.ReadWrite.All',
      'User.ReadBasic.All',
      'Group.Read.All',
      'Group.ReadWrite.All',
      'GroupMember.Read.All',
      'GroupMember.ReadWrite.All',
      'User.Invite.All',
    ]
  }
  if (held === 'Directory.Read.All')
    return ['User.Read.All', 'User.ReadBasic.All', 'Group.Read.All', 'GroupMember.Read.All']
  if (held.endsWith('.ReadWrite.All')) return [held.replace('.ReadWrite.All', '.Read.All')]
  if (held === 'User.Read.All') return ['User.ReadBasic.All']
  if (held === 'Group.ReadWrite.All')
    return ['GroupMember.ReadWrite.All', 'GroupMember.Read.All', 'Group.Read.All']
  return []
}
