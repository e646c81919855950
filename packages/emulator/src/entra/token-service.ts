import { createHash, randomBytes } from 'node:crypto'
import { type JWTPayload, type JWTVerifyOptions, jwtVerify, SignJWT } from 'jose'
import { hashNonce, withHashedNonce, withRawNonce } from '../crypto/graph-token-nonce.js'
import type { SigningKey } from '../crypto/signing-keys.js'
import { tenantWideRoleTemplateIds } from '../rbac/privileges.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { servicePrincipalId as graphServicePrincipalId } from '../state/service-principal-id.js'

/** The audience of Microsoft Graph access tokens (v1-shaped, as Graph's are). */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com'
/** Microsoft Graph's well-known application id. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'

/** Authentication facts carried (opaquely, in `aio`) from sign-in to every token derived from it. */
export interface SessionFacts {
  mfa: boolean
}

export interface UserTokenRequest {
  tenant: TenantState
  /** The app the token is issued to (`azp` / `appid`). */
  clientId: string
  /** 0: public client, 1: client secret, 2: certificate (`azpacr` / `appidacr`). */
  clientAuthentication: '0' | '1' | '2'
  user: DirectoryUser
  session: SessionFacts
  lifetimeSeconds?: number
}

/** Default access-token lifetime; Entra picks 60–90 minutes, we take a fixed 75 so tests are repeatable. */
const DEFAULT_LIFETIME_SECONDS = 75 * 60

/**
 * Mints and verifies the emulator's tokens, shaped claim for claim like Entra ID's.
 *
 * @example
 * const token = await tokens.apiAccessToken({ tenant, api, clientId: spaId, clientAuthentication: '0', user,
 *   session: { mfa: false }, scopes: ['Invitations.Send'] })
 */
export class TokenService {
  constructor(
    private readonly key: SigningKey,
    private readonly baseUrl: () => string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** `https://host:port/{tenantId}/v2.0`: the issuer of v2 tokens and the OIDC metadata. */
  issuerV2(tenantId: string): string {
    return `${this.baseUrl()}/${tenantId}/v2.0`
  }

  /** `https://sts.windows.net/{tenantId}/`: the issuer Entra puts in v1 tokens (Graph's among them). */
  issuerV1(tenantId: string): string {
    return `https://sts.windows.net/${tenantId}/`
  }

  /**
   * Signs claims with the tenant signing key. The header is Entra's, in Entra's order: `typ`, any extra member
   * (Graph's `nonce`), `alg` RS256, `x5t`, `kid`.
   */
  async sign(claims: JWTPayload, extraHeader: Record<string, string> = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ typ: 'JWT', ...extraHeader, alg: 'RS256', x5t: this.key.x5t, kid: this.key.kid })
      .sign(this.key.privateKey)
  }

  /**
   * Verifies a token the emulator issued (signature, `exp`, `nbf`, and any issuer/audience asked for). A Microsoft
   * Graph token's header `nonce` is hashed back first, as Graph (and Entra, the issuer) do before checking the
   * signature; nobody else can verify such a token.
   */
  async verify(token: string, options: JWTVerifyOptions = {}): Promise<JWTPayload> {
    const { payload } = await jwtVerify(withHashedNonce(token), this.key.publicKey, {
      algorithms: ['RS256'],
      currentDate: new Date(this.clock()),
      ...options,
    })
    return payload
  }

  /** An OpenID Connect v2 id_token; `sid` only when the token comes from a browser sign-in session. */
  async idToken(
    request: UserTokenRequest & { nonce: string | null; sessionId: string | null },
  ): Promise<string> {
    const { tenant, user } = request
    return this.sign({
      ...this.times(request.lifetimeSeconds ?? 3600),
      aud: request.clientId,
      iss: this.issuerV2(tenant.id),
      aio: encodeSessionFacts(request.session),
      name: user.displayName,
      ...(request.nonce ? { nonce: request.nonce } : {}),
      oid: user.id,
      preferred_username: user.userPrincipalName,
      rh: opaque(),
      ...(request.sessionId ? { sid: request.sessionId } : {}),
      sub: pairwiseSubject(user.id, request.clientId),
      tid: tenant.id,
      uti: opaque(16),
      ver: '2.0',
      wids: tenantWideRoleTemplateIds(tenant, user),
    })
  }

  /**
   * An access token for an API app of the tenant (the BFF), v2 or v1 according to the app's manifest.
   * Delegated tokens carry `scp` (and `roles` for assigned app roles); app-only tokens carry `roles`.
   */
  async apiAccessToken(
    request: Omit<UserTokenRequest, 'user'> & {
      api: ApplicationSeed
      user: DirectoryUser | null
      scopes: string[]
      roles: string[]
    },
  ): Promise<string> {
    const { tenant, api, user } = request
    const clientApp = tenant.applications.get(request.clientId.toLowerCase())
    const subjectId = user?.id ?? servicePrincipalId(tenant.id, request.clientId)
    const common = {
      ...this.times(request.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS),
      aio: encodeSessionFacts(request.session),
      oid: subjectId,
      rh: opaque(),
      sub: user ? pairwiseSubject(user.id, api.clientId) : subjectId,
      tid: tenant.id,
      uti: opaque(16),
      ...(request.scopes.length ? { scp: request.scopes.join(' ') } : {}),
      ...(request.roles.length ? { roles: request.roles } : {}),
      ...(user ? {} : { idtyp: 'app' }),
    }
    if ((api.accessTokenVersion ?? 2) === 2) {
      return this.sign({
        aud: api.clientId,
        iss: this.issuerV2(tenant.id),
        azp: request.clientId,
        azpacr: request.clientAuthentication,
        ...(user ? { name: user.displayName, preferred_username: user.userPrincipalName } : {}),
        ...common,
        ver: '2.0',
        ...(user ? { wids: tenantWideRoleTemplateIds(tenant, user) } : {}),
      })
    }
    return this.sign({
      aud: api.identifierUri ?? `api://${api.clientId}`,
      iss: this.issuerV1(tenant.id),
      appid: request.clientId,
      appidacr: request.clientAuthentication,
      ...(clientApp ? { app_displayname: clientApp.displayName } : {}),
      ...(user
        ? {
            amr: request.session.mfa ? ['pwd', 'mfa'] : ['pwd'],
            name: user.displayName,
            unique_name: user.userPrincipalName,
            upn: user.userPrincipalName,
          }
        : {}),
      ...common,
      ver: '1.0',
      ...(user ? { wids: tenantWideRoleTemplateIds(tenant, user) } : {}),
    })
  }

  /**
   * A Microsoft Graph access token: v1-shaped, `aud` Graph, with a header `nonce` as Graph's tokens have. It is
   * signed over the header with SHA-256 of the nonce and issued with the raw nonce (`graph-token-nonce.ts`), so a
   * client that validates it against the published keys fails, as against Entra.
   */
  async graphAccessToken(
    request: Omit<UserTokenRequest, 'user'> & {
      user: DirectoryUser | null
      scopes: string[]
      roles: string[]
    },
  ): Promise<string> {
    const { tenant, user } = request
    const clientApp = tenant.applications.get(request.clientId.toLowerCase())
    const subjectId = user?.id ?? servicePrincipalId(tenant.id, request.clientId)
    const nonce = opaque(32)
    const signed = await this.sign(
      {
        aud: GRAPH_AUDIENCE,
        iss: this.issuerV1(tenant.id),
        ...this.times(request.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS),
        aio: encodeSessionFacts(request.session),
        app_displayname: clientApp?.displayName ?? request.clientId,
        appid: request.clientId,
        appidacr: request.clientAuthentication,
        idtyp: user ? 'user' : 'app',
        oid: subjectId,
        rh: opaque(),
        sub: user ? pairwiseSubject(user.id, GRAPH_APP_ID) : subjectId,
        tid: tenant.id,
        uti: opaque(16),
        ver: '1.0',
        ...(user
          ? {
              acct: 0,
              amr: request.session.mfa ? ['pwd', 'mfa'] : ['pwd'],
              name: user.displayName,
              scp: request.scopes.join(' '),
              unique_name: user.userPrincipalName,
              upn: user.userPrincipalName,
              wids: tenantWideRoleTemplateIds(tenant, user),
            }
          : // Entra leaves `roles` out when the app holds no consented application permission.
            request.roles.length
            ? { roles: request.roles }
            : {}),
      },
      { nonce: hashNonce(nonce) },
    )
    return withRawNonce(signed, nonce)
  }

  private times(lifetimeSeconds: number) {
    const iat = Math.floor(this.clock() / 1000)
    return { iat, nbf: iat, exp: iat + lifetimeSeconds }
  }
}

/** Encodes session facts into the opaque `aio` claim (Entra's `aio` is opaque too). */
export function encodeSessionFacts(facts: SessionFacts): string {
  return `E2${Buffer.from(JSON.stringify({ m: facts.mfa ? 1 : 0, r: opaque(6) })).toString('base64url')}`
}

/** Reads the facts back from `aio`; unknown shapes count as "no MFA". */
export function decodeSessionFacts(aio: unknown): SessionFacts {
  if (typeof aio !== 'string' || !aio.startsWith('E2')) return { mfa: false }
  try {
    const parsed = JSON.parse(Buffer.from(aio.slice(2), 'base64url').toString('utf8')) as { m?: number }
    return { mfa: parsed.m === 1 }
  } catch {
    return { mfa: false }
  }
}

/**
 * The object id of an app's service principal in a tenant: the `oid` of its app-only tokens, the same `id` Graph
 * returns for the service principal.
 */
export function servicePrincipalId(tenantId: string, clientId: string): string {
  return graphServicePrincipalId(tenantId, clientId)
}

/** Entra's `sub` is pairwise: the same user has a different subject in each app. */
export function pairwiseSubject(userId: string, clientId: string): string {
  return createHash('sha256').update(`${userId}|${clientId}`).digest('base64url').slice(0, 43)
}

function opaque(bytes = 24): string {
  return randomBytes(bytes).toString('base64url')
}
