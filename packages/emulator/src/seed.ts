import { readFileSync } from 'node:fs'
import { type Static, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import defaultSeedJson from './default-seed.json' with { type: 'json' }

const Guid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
})

/** A delegated or application Graph permission requested by an app registration. */
const GraphPermissionSeed = Type.Object({
  /** Permission name, e.g. `User.Invite.All`. */
  name: Type.String({ minLength: 1 }),
  /** Whether an administrator granted tenant-wide consent. Without it, On-Behalf-Of answers `consent_required`. */
  adminConsent: Type.Boolean(),
})

const AppRoleSeed = Type.Object({
  value: Type.String({ minLength: 1 }),
  displayName: Type.Optional(Type.String()),
  allowedMemberTypes: Type.Array(Type.Union([Type.Literal('User'), Type.Literal('Application')]), {
    minItems: 1,
  }),
})

const ApplicationSeed = Type.Object({
  clientId: Guid,
  displayName: Type.String({ minLength: 1 }),
  /** `spa`: public client using auth code + PKCE. `confidential`: web/API app with a secret. */
  kind: Type.Union([Type.Literal('spa'), Type.Literal('confidential')]),
  /** Reply URLs. As in Entra, `http://localhost` and `http://127.0.0.1` URIs match any port. */
  redirectUris: Type.Optional(Type.Array(Type.String())),
  clientSecrets: Type.Optional(Type.Array(Type.String({ minLength: 8 }))),
  /** Application ID URI, e.g. `api://{clientId}`. */
  identifierUri: Type.Optional(Type.String()),
  /** Delegated scopes the app exposes, e.g. `Invitations.Send`. */
  exposedScopes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  appRoles: Type.Optional(Type.Array(AppRoleSeed)),
  /** `accessTokenAcceptedVersion` in the manifest: 2 (default here) issues v2 tokens, 1 issues v1 tokens. */
  accessTokenVersion: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  graphDelegatedPermissions: Type.Optional(Type.Array(GraphPermissionSeed)),
  graphApplicationPermissions: Type.Optional(Type.Array(GraphPermissionSeed)),
  /** Application roles of other apps granted to this app (client credentials), as `{clientId}/{role}`. */
  grantedAppRoles: Type.Optional(Type.Array(Type.String())),
})

const UserSeed = Type.Object({
  id: Guid,
  userPrincipalName: Type.String({ minLength: 3 }),
  displayName: Type.String({ minLength: 1 }),
  givenName: Type.Optional(Type.String()),
  surname: Type.Optional(Type.String()),
  mail: Type.Optional(Type.String()),
  otherMails: Type.Optional(Type.Array(Type.String())),
  userType: Type.Optional(Type.Union([Type.Literal('Member'), Type.Literal('Guest')])),
  usageLocation: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
  accountEnabled: Type.Optional(Type.Boolean()),
  /** Directory roles, e.g. `Guest Inviter`, `User Administrator`, `Global Administrator`. */
  directoryRoles: Type.Optional(Type.Array(Type.String())),
  /** App roles assigned to the user on API apps of this tenant that define them, e.g. `Invitations.Admin`. */
  appRoles: Type.Optional(Type.Array(Type.String())),
  /** Conditional Access requires MFA: sign-in shows an MFA step and On-Behalf-Of without MFA returns a claims challenge. */
  requiresMfa: Type.Optional(Type.Boolean()),
  /** Whether the user has an Exchange mailbox (Microsoft drops custom invitation messages from inviters without one). */
  hasMailbox: Type.Optional(Type.Boolean()),
})

const GroupSeed = Type.Object({
  id: Guid,
  displayName: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  mailNickname: Type.Optional(Type.String()),
  securityEnabled: Type.Optional(Type.Boolean()),
  members: Type.Optional(Type.Array(Guid)),
})

const TenantSettingsSeed = Type.Object({
  /** `authorizationPolicy.allowInvitesFrom` in Graph. */
  allowInvitesFrom: Type.Union([
    Type.Literal('everyone'),
    Type.Literal('adminsGuestInvitersAndAllMembers'),
    Type.Literal('adminsAndGuestInviters'),
    Type.Literal('none'),
  ]),
  /** External collaboration settings: invitations only to these domains (empty or absent: any). */
  allowedDomains: Type.Optional(Type.Array(Type.String())),
  /** External collaboration settings: invitations never to these domains. */
  blockedDomains: Type.Optional(Type.Array(Type.String())),
})

const TenantSeed = Type.Object({
  id: Guid,
  displayName: Type.String({ minLength: 1 }),
  /** Verified domains; the first `*.onmicrosoft.com` one is the initial domain used in guest UPNs. */
  verifiedDomains: Type.Array(Type.String({ minLength: 3 }), { minItems: 1 }),
  settings: TenantSettingsSeed,
  applications: Type.Array(ApplicationSeed),
  users: Type.Array(UserSeed),
  groups: Type.Array(GroupSeed),
})

export const SeedSchema = Type.Object({
  $schema: Type.Optional(Type.String()),
  tenants: Type.Array(TenantSeed, { minItems: 1 }),
})

export type Seed = Static<typeof SeedSchema>
export type TenantSeed = Static<typeof TenantSeed>
export type ApplicationSeed = Static<typeof ApplicationSeed>
export type UserSeed = Static<typeof UserSeed>
export type GroupSeed = Static<typeof GroupSeed>
export type TenantSettings = Static<typeof TenantSettingsSeed>

/** Raised when a seed file is not valid; the message names the JSON path and the problem. */
export class SeedError extends Error {
  override name = 'SeedError'
}

/** The seed the emulator starts with when none is given: the Contoso tenant described in the README. */
export const defaultSeed: Seed = parseSeed(defaultSeedJson, 'default-seed.json')

/**
 * Validates a seed object (parsed JSON) and checks cross-references (group members, unique ids).
 *
 * @example
 * const seed = parseSeed(JSON.parse(readFileSync('seed.json', 'utf8')), 'seed.json')
 */
export function parseSeed(input: unknown, source = 'seed'): Seed {
  const firstError = Value.Errors(SeedSchema, input).First()
  if (firstError) {
    const at = firstError.path || '/'
    throw new SeedError(`${source}: ${at}: ${firstError.message}`)
  }
  const seed = input as Seed
  const ids = new Set<string>()
  for (const tenant of seed.tenants) {
    for (const entity of [tenant, ...tenant.users, ...tenant.groups]) {
      const id = entity.id.toLowerCase()
      if (ids.has(id))
        throw new SeedError(`${source}: id ${entity.id} is used twice; every object id must be unique`)
      ids.add(id)
    }
    const userIds = new Set(tenant.users.map((user) => user.id.toLowerCase()))
    for (const group of tenant.groups) {
      for (const member of group.members ?? []) {
        if (!userIds.has(member.toLowerCase())) {
          throw new SeedError(
            `${source}: group ${group.displayName} lists member ${member}, which is not a user of tenant ${tenant.displayName}`,
          )
        }
      }
    }
    for (const app of tenant.applications) {
      if (app.kind === 'confidential' && !app.clientSecrets?.length) {
        throw new SeedError(
          `${source}: application ${app.displayName} is confidential but has no clientSecrets`,
        )
      }
    }
  }
  return seed
}

/** Reads and validates a seed file. */
export function loadSeedFile(path: string): Seed {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new SeedError(`${path}: cannot read the seed file as JSON (${(error as Error).message})`)
  }
  return parseSeed(json, path)
}
