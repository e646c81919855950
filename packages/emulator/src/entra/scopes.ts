import { userAppRoleValues } from '../state/app-role-assignments.js'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { aadsts } from './aadsts.js'
import { GRAPH_APP_ID, GRAPH_AUDIENCE } from './token-service.js'

/** The resource an access token is issued for. */
export type ScopeResource = { kind: 'graph' } | { kind: 'api'; app: ApplicationSeed }

/** The OpenID Connect scopes of a request; they shape the id_token and refresh token, not the access token. */
export interface OidcScopes {
  openid: boolean
  profile: boolean
  email: boolean
  offlineAccess: boolean
}

/** A `scope` parameter, split into its resource, the permissions asked of it, and the OpenID Connect scopes. */
export interface ScopeRequest {
  /** Every scope of the request, OpenID Connect ones included, as sent. */
  requested: string[]
  resource: ScopeResource
  /** The resource as the client wrote it (`api://…`, `https://graph.microsoft.com`), `null` for bare Graph names. */
  resourceAsSent: string | null
  /** Permission names in the resource's own spelling; `.default` stays `.default`. */
  permissions: string[]
  /** The resource scopes exactly as sent (MSAL looks cached tokens up by them). */
  sent: string[]
  oidc: OidcScopes
}

/** Delegated permissions granted for a request: what goes into `scp`, and the `scope` the token response echoes. */
export interface DelegatedGrant {
  scp: string[]
  responseScope: string
}

/** Which endpoint parses the scopes: Entra words an unknown scope differently at `/authorize` and at `/token`. */
export type ScopeEndpoint = 'authorize' | 'token'

const OIDC_SCOPE_NAMES = new Set(['openid', 'profile', 'email', 'offline_access'])
const DEFAULT_SCOPE = '.default'
const SIGN_IN_PERMISSION = 'User.Read'
const GRAPH_RESOURCE_IDS = new Set([GRAPH_AUDIENCE, `${GRAPH_AUDIENCE}/`, GRAPH_APP_ID])

// Delegated Graph permissions the emulator knows besides those the seed's apps declare.
const KNOWN_GRAPH_DELEGATED = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'User.EnableDisableAccount.All',
  'User.DeleteRestore.All',
  'User.Invite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
  'People.Read',
  'Mail.Send',
]

/**
 * Parses a `scope` parameter as Entra does: one resource per request (Microsoft Graph when only OpenID Connect scopes
 * are asked for), each scope must exist on its resource, and the resource must exist in the tenant.
 */
export function parseScopeRequest(
  tenant: TenantState,
  client: ApplicationSeed,
  scopeParam: string,
  endpoint: ScopeEndpoint,
): ScopeRequest {
  const tokens = scopeParam.split(/\s+/).filter(Boolean)
  const oidc: OidcScopes = { openid: false, profile: false, email: false, offlineAccess: false }
  const sent: string[] = []
  for (const token of tokens) {
    const lower = token.toLowerCase()
    if (!OIDC_SCOPE_NAMES.has(lower)) sent.push(token)
    else if (lower === 'offline_access') oidc.offlineAccess = true
    else oidc[lower as 'openid' | 'profile' | 'email'] = true
  }
  if (sent.length === 0) {
    return {
      requested: tokens,
      resource: { kind: 'graph' },
      resourceAsSent: null,
      permissions: [],
      sent,
      oidc,
    }
  }
  const split = sent.map(splitScope)
  const resourceKeys = new Set(split.map(({ resource }) => resourceKey(tenant, resource)))
  if (resourceKeys.size > 1) throw aadsts.multipleResources(sent.join(' '))
  const resourceAsSent = split[0]?.resource ?? null
  const resource = resolveResource(tenant, resourceAsSent)
  const permissions = split.map(({ name }) => {
    const canonical = canonicalPermission(tenant, resource, name)
    if (canonical) return canonical
    const full = resourceAsSent ? `${resourceAsSent}/${name}` : name
    throw endpoint === 'authorize'
      ? aadsts.unknownScope(client.displayName, full, resourceIdOf(resource))
      : aadsts.invalidScope(full)
  })
  return { requested: tokens, resource, resourceAsSent, permissions, sent, oidc }
}

/**
 * The delegated permissions a user token carries. Interactive flows grant what the user consents to on the sign-in
 * page; On-Behalf-Of has no user to ask, so every Graph permission must carry admin consent (else `consent_required`).
 * As Entra does, a Microsoft Graph token carries every delegated permission consented for the client, not only the
 * ones asked for ("by design … access tokens will have all effective scopes",
 * https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/1713). The emulator records
 * tenant-wide admin consent only, so the consented set is the client's admin-consented Graph permissions.
 */
export function grantDelegated(
  request: ScopeRequest,
  client: ApplicationSeed,
  flow: 'interactive' | 'on-behalf-of',
): DelegatedGrant {
  const { resource, permissions, oidc } = request
  const asked = grantedNames(request, client, flow)
  if (flow === 'on-behalf-of' && resource.kind === 'graph') {
    const consented = new Set(
      (client.graphDelegatedPermissions ?? [])
        .filter((permission) => permission.adminConsent)
        .map((permission) => permission.name.toLowerCase()),
    )
    if (asked.some((name) => !consented.has(name.toLowerCase()))) {
      throw aadsts.consentRequired(client.clientId, client.displayName)
    }
  }
  const extra = resource.kind === 'graph' ? consentedGraphPermissions(client, asked) : []
  const names = [...asked, ...extra]
  const oidcScp = [oidc.openid && 'openid', oidc.profile && 'profile', oidc.email && 'email'].filter(
    (scope): scope is string => typeof scope === 'string',
  )
  let echoed: string[]
  // `.default` comes back expanded and also as sent, so MSAL finds the cached token by either.
  if (permissions.includes(DEFAULT_SCOPE))
    echoed = [...names.map((name) => formatScope(request, name)), ...request.sent]
  else if (permissions.length === 0) echoed = names
  // The extra consented scopes come back in the request's spelling: with the resource prefix when it was sent.
  else
    echoed = [
      ...request.sent,
      ...extra.map((name) => (request.resourceAsSent ? `${request.resourceAsSent}/${name}` : name)),
    ]
  return {
    scp: resource.kind === 'graph' ? [...names, ...oidcScp] : names,
    responseScope: [...echoed, ...oidcScp].join(' '),
  }
}

/**
 * App roles of the API that are assigned to the user (or to a group the user is a direct member of) and open to
 * users (`allowedMemberTypes` has `User`): the tenant's app role assignments, seeded from users' `appRoles` and
 * changed through Graph's `appRoleAssignments`.
 */
export function userRolesFor(tenant: TenantState, api: ApplicationSeed, user: DirectoryUser): string[] {
  return userAppRoleValues(tenant, api, user)
}

/** The id Entra names a resource by in messages: Graph's app id, or the API's client id. */
export function resourceIdOf(resource: ScopeResource): string {
  return resource.kind === 'graph' ? GRAPH_APP_ID : resource.app.clientId
}

/** Finds an API app of the tenant by Application ID URI, client id or `api://{clientId}`. */
export function findApi(tenant: TenantState, resource: string): ApplicationSeed | undefined {
  const key = resource.toLowerCase().replace(/\/$/, '')
  return [...tenant.applications.values()].find((app) =>
    [app.clientId, `api://${app.clientId}`, app.identifierUri ?? ''].some(
      (name) => name.toLowerCase() === key,
    ),
  )
}

/** Whether a resource string names Microsoft Graph. */
export function isGraphResource(resource: string): boolean {
  return GRAPH_RESOURCE_IDS.has(resource.toLowerCase())
}

/** The client's admin-consented Graph delegated permissions that `asked` leaves out, in the seed's order. */
function consentedGraphPermissions(client: ApplicationSeed, asked: string[]): string[] {
  const have = new Set(asked.map((name) => name.toLowerCase()))
  return (client.graphDelegatedPermissions ?? [])
    .filter((permission) => permission.adminConsent && !have.has(permission.name.toLowerCase()))
    .map((permission) => permission.name)
}

/** The permission names a request is granted, with `.default` expanded to what the app may hold. */
function grantedNames(
  request: ScopeRequest,
  client: ApplicationSeed,
  flow: 'interactive' | 'on-behalf-of',
): string[] {
  const { resource, permissions } = request
  // A sign-in without resource scopes gets Graph's User.Read, as in Entra.
  if (permissions.length === 0) return [SIGN_IN_PERMISSION]
  if (!permissions.includes(DEFAULT_SCOPE)) return permissions
  if (resource.kind === 'api') return resource.app.exposedScopes ?? []
  const declared = (client.graphDelegatedPermissions ?? []).filter(
    (permission) => flow === 'interactive' || permission.adminConsent,
  )
  return declared.length ? declared.map((permission) => permission.name) : [SIGN_IN_PERMISSION]
}

function splitScope(scope: string): { resource: string | null; name: string } {
  const slash = scope.lastIndexOf('/')
  // Bare names (`User.Read`, `.default`) are Microsoft Graph's.
  if (slash < 0) return { resource: null, name: scope }
  return { resource: scope.slice(0, slash), name: scope.slice(slash + 1) }
}

function resourceKey(tenant: TenantState, resource: string | null): string {
  if (resource === null || isGraphResource(resource)) return 'graph'
  return findApi(tenant, resource)?.clientId ?? resource.toLowerCase()
}

function resolveResource(tenant: TenantState, resource: string | null): ScopeResource {
  if (resource === null || isGraphResource(resource)) return { kind: 'graph' }
  const app = findApi(tenant, resource)
  if (!app) throw aadsts.resourceNotFound(resource, tenant.displayName)
  return { kind: 'api', app }
}

function canonicalPermission(tenant: TenantState, resource: ScopeResource, name: string): string | undefined {
  if (name === DEFAULT_SCOPE) return name
  const known = resource.kind === 'api' ? (resource.app.exposedScopes ?? []) : knownGraphDelegated(tenant)
  return known.find((permission) => permission.toLowerCase() === name.toLowerCase())
}

function knownGraphDelegated(tenant: TenantState): string[] {
  const fromSeed = [...tenant.applications.values()].flatMap((app) =>
    (app.graphDelegatedPermissions ?? []).map((permission) => permission.name),
  )
  return [...KNOWN_GRAPH_DELEGATED, ...fromSeed]
}

function formatScope(request: ScopeRequest, name: string): string {
  // Graph scopes come back as bare names, an API's with its resource, as the client wrote it.
  return request.resource.kind === 'graph' || request.resourceAsSent === null
    ? name
    : `${request.resourceAsSent}/${name}`
}
