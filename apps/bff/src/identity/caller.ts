/** The signed-in caller, as established from a validated access token. */
export interface Caller {
  /** `tid` */
  tenantId: string
  /** `oid`: with `tenantId`, the caller's key. */
  objectId: string
  /** `name`, when the token has it. */
  name: string | null
  /** `preferred_username` (v2) or `upn` (v1). */
  username: string | null
  /** `scp`, split on spaces. */
  scopes: string[]
  roles: string[]
  /** `azp` (v2) or `appid` (v1): the client app the user signed in to. */
  clientId: string | null
  /** `true` when the token is app-only (no `scp`, `oid` equals the client's service principal). */
  appOnly: boolean
  /** `true` when `roles` holds the configured admin role. */
  isAdmin: boolean
  /** The raw bearer token: the On-Behalf-Of assertion. Never logged. */
  accessToken: string
}

/** `tid:oid`, the key of a caller in rate limits, idempotency keys and the database. */
export function callerKey(caller: Pick<Caller, 'tenantId' | 'objectId'>): string {
  return `${caller.tenantId}:${caller.objectId}`
}

/** Validates `Authorization` headers. Throws `ProblemError` `unauthenticated` or `insufficient_scope`. */
export interface AccessTokenValidator {
  validate(authorizationHeader: string | undefined): Promise<Caller>
}

/**
 * Gets Microsoft Graph access tokens: On-Behalf-Of the caller (`delegated`) or for the app (`app`).
 * Throws `ProblemError` `claims_challenge`, `consent_required`, `upstream_unavailable` or `unauthenticated`.
 */
export interface GraphTokenProvider {
  readonly mode: 'delegated' | 'app'
  /** A Graph token for work done for `caller`: On-Behalf-Of in `delegated` mode, the app's own in `app` mode. */
  graphToken(caller: Caller): Promise<string>
  /**
   * The app's own Graph token (client credentials) in `tenantId` (default: the BFF's home tenant), for work with no
   * caller present (retrying a partial success later in the tenant the invitation was made in) and for the
   * follow-up steps that run under the app's identity. For `use: 'invite'` (the default) it throws
   * `ProblemError('consent_required')` when the token holds no admin-consented application permission to invite;
   * for `use: 'followUp'` a token without one is fine — the service principal may act through a directory role or
   * group ownership instead, and Graph says 403 where it may not.
   */
  appToken(tenantId?: string, use?: 'invite' | 'followUp'): Promise<string>
  /** Releases caches and timers. */
  close(): Promise<void>
}
