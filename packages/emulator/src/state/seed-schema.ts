import { type Static, Type } from '@sinclair/typebox'

// The shape of a seed file. `parseSeed` (seed.ts) checks it, then the cross-references the schema cannot express.

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
  /** The role's id (`appRoleId` of its assignments); without one the emulator derives a stable GUID from client id and value. */
  id: Type.Optional(Guid),
  description: Type.Optional(Type.String()),
  /** Default true; a disabled role cannot be assigned and is left out of tokens. */
  isEnabled: Type.Optional(Type.Boolean()),
})

/** A certificate registered on the app (`keyCredentials` of type `AsymmetricX509Cert`): client assertions it signs authenticate the app. */
const KeyCredentialSeed = Type.Object({
  /** Graph's `customKeyIdentifier`; when given, the certificate's SHA-1 thumbprint (hex, or base64 as Graph returns it). */
  customKeyIdentifier: Type.Optional(Type.String({ minLength: 1 })),
  /** The PEM X.509 certificate (public part only); the emulator computes its SHA-1 and SHA-256 thumbprints. */
  certificatePem: Type.String({ minLength: 1 }),
  displayName: Type.Optional(Type.String()),
})

/** A federated identity credential (workload identity federation): which external tokens the app accepts as its credential. */
const FederatedIdentityCredentialSeed = Type.Object({
  /** 3–120 characters, alphanumeric, dash or underscore, starting with an alphanumeric one (Entra's rule). */
  name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$' }),
  /** The external issuer's URL, compared with the token's `iss` exactly (case-sensitive). */
  issuer: Type.String({ minLength: 1, maxLength: 600 }),
  /** Compared with the token's `sub` exactly (case-sensitive). */
  subject: Type.String({ minLength: 1, maxLength: 600 }),
  /** Exactly one value, as Entra accepts; normally `api://AzureADTokenExchange`. */
  audiences: Type.Array(Type.String({ minLength: 1, maxLength: 600 }), { minItems: 1, maxItems: 1 }),
})

/**
 * A directory extension the app declares (`POST /applications/{id}/extensionProperties`): users of the tenant then
 * carry `extension_{appIdWithoutDashes}_{name}`.
 */
const ExtensionPropertySeed = Type.Object({
  /** The short name; Graph's property name is `extension_{appIdWithoutDashes}_{name}`. */
  name: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,99}$' }),
  dataType: Type.Union([
    Type.Literal('Binary'),
    Type.Literal('Boolean'),
    Type.Literal('DateTime'),
    Type.Literal('Integer'),
    Type.Literal('LargeInteger'),
    Type.Literal('String'),
  ]),
  isMultiValued: Type.Optional(Type.Boolean()),
  /** The object types that carry it (default `['User']`); the emulator stores values on users only. */
  targetObjects: Type.Optional(
    Type.Array(
      Type.Union([
        Type.Literal('User'),
        Type.Literal('Group'),
        Type.Literal('AdministrativeUnit'),
        Type.Literal('Application'),
        Type.Literal('Device'),
        Type.Literal('Organization'),
      ]),
      { minItems: 1 },
    ),
  ),
})

const ApplicationSeed = Type.Object({
  clientId: Guid,
  displayName: Type.String({ minLength: 1 }),
  /**
   * `spa`: single-page app (SPA redirect URIs): public client, auth code + PKCE redeemed cross-origin only.
   * `public`: mobile and desktop app (native public client): no secret, loopback redirect URIs, device code.
   * `confidential`: web/API app with a credential.
   */
  kind: Type.Union([Type.Literal('spa'), Type.Literal('public'), Type.Literal('confidential')]),
  /**
   * Who may sign in (the manifest's `signInAudience`): `AzureADMyOrg` (default) only at tenant endpoints,
   * `AzureADMultipleOrgs` also at `/organizations` and `/common`. Personal Microsoft accounts are not emulated:
   * the two values that admit them are refused when the seed loads.
   */
  signInAudience: Type.Optional(
    Type.Union([
      Type.Literal('AzureADMyOrg'),
      Type.Literal('AzureADMultipleOrgs'),
      Type.Literal('AzureADandPersonalMicrosoftAccount'),
      Type.Literal('PersonalMicrosoftAccount'),
    ]),
  ),
  /** Reply URLs. As in Entra, `http://localhost` and `http://127.0.0.1` URIs match any port. */
  redirectUris: Type.Optional(Type.Array(Type.String())),
  clientSecrets: Type.Optional(Type.Array(Type.String({ minLength: 8 }))),
  /** Certificates whose client assertions (private_key_jwt) authenticate the app. */
  keyCredentials: Type.Optional(Type.Array(KeyCredentialSeed)),
  /** Trusted external tokens (workload identity federation); Entra allows at most 20 per app. */
  federatedIdentityCredentials: Type.Optional(Type.Array(FederatedIdentityCredentialSeed, { maxItems: 20 })),
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
  /** Directory extensions the app declares, e.g. `{ "name": "partnerId", "dataType": "String" }`. */
  extensionProperties: Type.Optional(Type.Array(ExtensionPropertySeed)),
  /** The service principal's `appRoleAssignmentRequired` ("Assignment required?" of the enterprise application). */
  appRoleAssignmentRequired: Type.Optional(Type.Boolean()),
  /** Owners of the app's service principal (the enterprise application): user object ids. */
  owners: Type.Optional(Type.Array(Guid)),
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
  /**
   * Tenant-wide directory roles, by display name (`Guest Inviter`, `User Administrator`, `Global Administrator`)
   * or template id: shorthand for role assignments with `directoryScopeId` `/`.
   */
  directoryRoles: Type.Optional(Type.Array(Type.String())),
  /** App roles assigned to the user on API apps of this tenant that define them, e.g. `Invitations.Admin`. */
  appRoles: Type.Optional(Type.Array(Type.String())),
  /** Conditional Access requires MFA: sign-in shows an MFA step and On-Behalf-Of without MFA returns a claims challenge. */
  requiresMfa: Type.Optional(Type.Boolean()),
  /** Whether the user has an Exchange mailbox (Microsoft drops custom invitation messages from inviters without one). */
  hasMailbox: Type.Optional(Type.Boolean()),
  /** Licences already assigned (`assignedLicenses`): SKUs of the tenant's `subscribedSkus`, each consuming a unit. */
  assignedLicenses: Type.Optional(
    Type.Array(Type.Object({ skuId: Guid, disabledPlans: Type.Optional(Type.Array(Guid)) })),
  ),
})

const GroupSeed = Type.Object({
  id: Guid,
  displayName: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  mailNickname: Type.Optional(Type.String()),
  securityEnabled: Type.Optional(Type.Boolean()),
  /** Members: user object ids, or ids of other groups of the tenant (nested groups). */
  members: Type.Optional(Type.Array(Guid)),
  /** Owners: user object ids, or application client ids meaning that app's service principal in this tenant. */
  owners: Type.Optional(Type.Array(Guid)),
})

/** A custom directory role (`unifiedRoleDefinition` with `isBuiltIn: false`). */
const RoleDefinitionSeed = Type.Object({
  id: Guid,
  displayName: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  /** Role permissions (`allowedResourceActions`), e.g. `microsoft.directory/users/basic/update`. */
  rolePermissions: Type.Array(Type.String({ pattern: '^microsoft\\.directory/[A-Za-z0-9./]+$' }), {
    minItems: 1,
  }),
})

/** An administrative unit: assigned members, or a dynamic rule on users (`(user.userType -eq "Guest")`). */
const AdministrativeUnitSeed = Type.Object({
  id: Guid,
  displayName: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  membershipType: Type.Optional(Type.Union([Type.Literal('Assigned'), Type.Literal('Dynamic')])),
  membershipRule: Type.Optional(Type.String({ minLength: 1 })),
  /** Assigned members: user or group object ids. */
  members: Type.Optional(Type.Array(Guid)),
})

/** A directory role assignment (`unifiedRoleAssignment`). */
const RoleAssignmentSeed = Type.Object({
  /** A user object id, or an application's client id meaning that app's service principal in this tenant. */
  principalId: Guid,
  /** A built-in role's template id or a custom role's id. */
  roleDefinitionId: Guid,
  /** `/` (the tenant), `/administrativeUnits/{id}`, or `/{groupId}` (one group). */
  directoryScopeId: Type.String({ pattern: '^/([0-9a-fA-F-]{36}|administrativeUnits/[0-9a-fA-F-]{36})?$' }),
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

/** A commercial subscription of the tenant (`GET /subscribedSkus`): what `assignLicense` may assign. */
const SubscribedSkuSeed = Type.Object({
  skuId: Guid,
  /** E.g. `POWER_BI_PRO`. */
  skuPartNumber: Type.String({ minLength: 1 }),
  /** `User` (default): assignable to users; `Company`: not. */
  appliesTo: Type.Optional(Type.Union([Type.Literal('User'), Type.Literal('Company')])),
  /** Units bought; `enabled` ones can be assigned (`consumedUnits` is counted from the users' licences). */
  prepaidUnits: Type.Object({
    enabled: Type.Integer({ minimum: 0 }),
    suspended: Type.Optional(Type.Integer({ minimum: 0 })),
    warning: Type.Optional(Type.Integer({ minimum: 0 })),
    lockedOut: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  servicePlans: Type.Optional(
    Type.Array(
      Type.Object({
        servicePlanId: Guid,
        servicePlanName: Type.String({ minLength: 1 }),
        appliesTo: Type.Optional(Type.Union([Type.Literal('User'), Type.Literal('Company')])),
      }),
    ),
  ),
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
  /** Custom directory roles. */
  roleDefinitions: Type.Optional(Type.Array(RoleDefinitionSeed)),
  administrativeUnits: Type.Optional(Type.Array(AdministrativeUnitSeed)),
  /** Directory role assignments, besides the tenant-wide ones users' `directoryRoles` stand for. */
  roleAssignments: Type.Optional(Type.Array(RoleAssignmentSeed)),
  /** Subscriptions (`GET /subscribedSkus`); `assignLicense` refuses any other SKU. */
  subscribedSkus: Type.Optional(Type.Array(SubscribedSkuSeed)),
})

export const SeedSchema = Type.Object({
  $schema: Type.Optional(Type.String()),
  tenants: Type.Array(TenantSeed, { minItems: 1 }),
})

export type Seed = Static<typeof SeedSchema>
export type TenantSeed = Static<typeof TenantSeed>
export type ApplicationSeed = Static<typeof ApplicationSeed>
export type KeyCredentialSeed = Static<typeof KeyCredentialSeed>
export type FederatedIdentityCredentialSeed = Static<typeof FederatedIdentityCredentialSeed>
export type UserSeed = Static<typeof UserSeed>
export type GroupSeed = Static<typeof GroupSeed>
export type RoleDefinitionSeed = Static<typeof RoleDefinitionSeed>
export type AdministrativeUnitSeed = Static<typeof AdministrativeUnitSeed>
export type RoleAssignmentSeed = Static<typeof RoleAssignmentSeed>
export type TenantSettings = Static<typeof TenantSettingsSeed>
export type SubscribedSkuSeed = Static<typeof SubscribedSkuSeed>
export type ExtensionPropertySeed = Static<typeof ExtensionPropertySeed>
