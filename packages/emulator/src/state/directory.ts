import { randomUUID } from 'node:crypto'
import {
  type AdministrativeUnitRecord,
  type CustomRoleRecord,
  principalResolver,
  type RoleAssignmentRecord,
  rbacFromSeed,
} from '../rbac/tenant-rbac.js'
import type { ApplicationSeed, GroupSeed, Seed, TenantSeed, TenantSettings, UserSeed } from './seed.js'
import { type SubscribedSkuRecord, subscribedSkusFromSeed } from './subscribed-skus.js'
import { TenantUserIndex } from './user-index.js'

/** A user object as Graph returns it (plus emulator-only fields prefixed by nothing Graph would show). */
export interface DirectoryUser {
  id: string
  tenantId: string
  /** Read-only here: change it (like `mail`, `otherMails`, `assignedLicenses`) with `directory.updateUser`, which keeps the lookups current. */
  readonly userPrincipalName: string
  displayName: string
  givenName: string | null
  surname: string | null
  readonly mail: string | null
  readonly otherMails: readonly string[]
  userType: 'Member' | 'Guest'
  creationType: string | null
  externalUserState: 'PendingAcceptance' | 'Accepted' | null
  externalUserStateChangeDateTime: string | null
  usageLocation: string | null
  accountEnabled: boolean
  createdDateTime: string
  jobTitle: string | null
  department: string | null
  companyName: string | null
  businessPhones: string[]
  mobilePhone: string | null
  officeLocation: string | null
  preferredLanguage: string | null
  readonly assignedLicenses: ReadonlyArray<{ skuId: string; disabledPlans: string[] }>
  /** Directory extension values by their declared name (`extension_{appIdWithoutDashes}_{name}`). */
  directoryExtensions: Record<string, unknown>
  /** Not in Graph: emulator bookkeeping. */
  directoryRoles: string[]
  appRoles: string[]
  requiresMfa: boolean
  hasMailbox: boolean
  /** Epoch ms of creation, used for replication-delay faults. */
  createdAtMs: number
  /**
   * Dynamic membership bookkeeping: when `userType` last changed (creation counts; 0 for seeded users, who are
   * processed already) and what it was before (`null` for a user created since).
   */
  userTypeChangedAtMs: number
  previousUserType: 'Member' | 'Guest' | null
}

export interface DirectoryGroup {
  id: string
  tenantId: string
  displayName: string
  description: string | null
  mailNickname: string
  securityEnabled: boolean
  members: Set<string>
  /** Owners' object ids: users, and service principals (`servicePrincipalId`). */
  owners: Set<string>
}

export interface InvitationRecord {
  id: string
  tenantId: string
  invitedUserId: string
  invitedUserEmailAddress: string
  invitedUserDisplayName: string | null
  inviteRedirectUrl: string
  inviteRedeemUrl: string
  ticket: string
  sendInvitationMessage: boolean
  /** The calling app and, for delegated calls, the inviting user. */
  appId: string
  inviterId: string | null
  createdDateTime: string
  redeemedDateTime: string | null
}

/** A message Microsoft would have emailed; kept so tests can read it. */
export interface OutboxMessage {
  id: string
  tenantId: string
  invitationId: string
  from: string
  to: string
  cc: string[]
  subject: string
  customizedMessageBody: string | null
  messageLanguage: string | null
  inviteRedeemUrl: string
  sentDateTime: string
}

export interface AuthorizationCodeGrant {
  tenantId: string
  clientId: string
  userId: string
  redirectUri: string
  scopes: string[]
  nonce: string | null
  codeChallenge: string | null
  codeChallengeMethod: string | null
  mfa: boolean
  /** The browser sign-in session the code came from (`sid` in the id_token). */
  sessionId: string
  expiresAtMs: number
}

export interface RefreshTokenGrant {
  tenantId: string
  clientId: string
  userId: string
  scopes: string[]
  mfa: boolean
  /** The browser sign-in session behind the grant; `null` for grants born from On-Behalf-Of. */
  sessionId: string | null
  expiresAtMs: number
}

export interface TenantState {
  id: string
  displayName: string
  verifiedDomains: string[]
  /** The `*.onmicrosoft.com` domain used in guest UPNs. */
  initialDomain: string
  settings: TenantSettings
  applications: Map<string, ApplicationSeed>
  users: Map<string, DirectoryUser>
  groups: Map<string, DirectoryGroup>
  /** Custom directory roles by id. */
  roleDefinitions: Map<string, CustomRoleRecord>
  administrativeUnits: Map<string, AdministrativeUnitRecord>
  /** Explicit role assignments; users' `directoryRoles` add tenant-wide ones (see `rbac/privileges.ts`). */
  roleAssignments: RoleAssignmentRecord[]
  /** Commercial subscriptions by lower-case SKU id (`GET /subscribedSkus`). */
  subscribedSkus: Map<string, SubscribedSkuRecord>
}

export interface TokenRequestCount {
  grantType: string
  tenantId: string
  clientId: string
  count: number
}

/**
 * The emulator's in-memory directory: tenants with their users, groups and apps, plus invitations,
 * the outbox and the grants handed out by the token endpoint. `reset()` restores the seed.
 */
export class Directory {
  readonly tenants = new Map<string, TenantState>()
  readonly invitations = new Map<string, InvitationRecord>()
  readonly outbox: OutboxMessage[] = []
  readonly authorizationCodes = new Map<string, AuthorizationCodeGrant>()
  readonly refreshTokens = new Map<string, RefreshTokenGrant>()
  private readonly tokenRequestCounts = new Map<string, TokenRequestCount>()
  /** Per tenant: users by address and by licence, built on first use and kept current by the methods below. */
  private readonly userIndexes = new WeakMap<TenantState, TenantUserIndex>()

  constructor(
    private readonly seed: Seed,
    private readonly clock: () => number = Date.now,
  ) {
    this.load()
  }

  /** Forgets everything created since start and reloads the seed. */
  reset(): void {
    this.tenants.clear()
    this.invitations.clear()
    this.outbox.length = 0
    this.authorizationCodes.clear()
    this.refreshTokens.clear()
    this.tokenRequestCounts.clear()
    this.load()
  }

  /** Finds a tenant by id or by one of its verified domains (as the authority path segment allows). */
  tenant(idOrDomain: string): TenantState | undefined {
    const key = idOrDomain.toLowerCase()
    const byId = this.tenants.get(key)
    if (byId) return byId
    for (const tenant of this.tenants.values()) {
      if (tenant.verifiedDomains.some((domain) => domain.toLowerCase() === key)) return tenant
    }
    return undefined
  }

  /** Finds a user of a tenant by object id or user principal name. */
  user(tenant: TenantState, idOrUpn: string): DirectoryUser | undefined {
    const key = idOrUpn.toLowerCase()
    const byId = tenant.users.get(key)
    if (byId) return byId
    return this.userIndex(tenant)
      .withAddresses([key])
      .find((user) => user.userPrincipalName.toLowerCase() === key)
  }

  /** Finds a user whose `mail` or `otherMails` (or, for a member, UPN) equals the address (case-insensitive). */
  userByEmail(tenant: TenantState, email: string): DirectoryUser | undefined {
    const key = email.toLowerCase()
    return this.userIndex(tenant)
      .withAddresses([key])
      .find(
        (user) =>
          user.mail?.toLowerCase() === key ||
          user.otherMails.some((other) => other.toLowerCase() === key) ||
          (user.userType === 'Member' && user.userPrincipalName.toLowerCase() === key),
      )
  }

  /** Users with any of the addresses (`mail`, `otherMails`, UPN; any case) or object ids, in directory order. */
  usersByKeys(
    tenant: TenantState,
    keys: { addresses: readonly string[]; ids: readonly string[] },
  ): DirectoryUser[] {
    const index = this.userIndex(tenant)
    const found = new Set(index.withAddresses(keys.addresses.map((address) => address.toLowerCase())))
    for (const id of keys.ids) {
      const user = tenant.users.get(id.toLowerCase())
      if (user) found.add(user)
    }
    return index.inDirectoryOrder(found)
  }

  /** Adds a user to a tenant. */
  addUser(tenant: TenantState, user: DirectoryUser): void {
    tenant.users.set(user.id, user)
    this.userIndexes.get(tenant)?.add(user)
  }

  /** Removes a user from a tenant; `false` when there is none with that id. */
  removeUser(tenant: TenantState, id: string): boolean {
    const user = tenant.users.get(id.toLowerCase())
    if (!user) return false
    tenant.users.delete(user.id)
    this.userIndexes.get(tenant)?.remove(user)
    return true
  }

  /**
   * Changes a user's properties. The way to change `mail`, `otherMails`, `userPrincipalName` or `assignedLicenses`:
   * lookups by address and licence counts follow.
   *
   * @example
   * directory.updateUser(grace, { mail: 'grace.hopper@northwind.example' })
   */
  updateUser(user: DirectoryUser, changes: Partial<Omit<DirectoryUser, 'id' | 'tenantId'>>): void {
    Object.assign(user, changes)
    const tenant = this.tenants.get(user.tenantId)
    const index = tenant ? this.userIndexes.get(tenant) : undefined
    if (!index) return
    if ('mail' in changes || 'otherMails' in changes || 'userPrincipalName' in changes) index.readdress(user)
    if ('assignedLicenses' in changes) index.relicense(user)
  }

  /** How many users of the tenant hold the SKU: its `consumedUnits`. */
  consumedUnits(tenant: TenantState, skuId: string): number {
    return this.userIndex(tenant).licensedUsers(skuId.toLowerCase())
  }

  /**
   * A test seam: sets how many units of a subscription are `enabled` (bought), e.g. to let `assignLicense` succeed
   * again after "no available licenses". Undone by `reset()`.
   *
   * @example
   * emulator.context.directory.setPrepaidUnits(defaultSeedIds.contosoTenantId, defaultSeedIds.powerBiProSku.skuId, 5)
   */
  setPrepaidUnits(tenantIdOrDomain: string, skuId: string, enabled: number): SubscribedSkuRecord {
    const tenant = this.tenant(tenantIdOrDomain)
    if (!tenant) throw new Error(`No tenant ${tenantIdOrDomain}`)
    const sku = tenant.subscribedSkus.get(skuId.toLowerCase())
    if (!sku) throw new Error(`Tenant ${tenant.displayName} has no subscription to SKU ${skuId}`)
    if (!Number.isSafeInteger(enabled) || enabled < 0)
      throw new Error(`Prepaid units must be a whole number, 0 or more (got ${enabled})`)
    sku.prepaidUnits.enabled = enabled
    return sku
  }

  /** The tenant's users filed by address and licence. */
  userIndex(tenant: TenantState): TenantUserIndex {
    let index = this.userIndexes.get(tenant)
    if (!index) {
      index = new TenantUserIndex(tenant.users.values())
      this.userIndexes.set(tenant, index)
    }
    return index
  }

  /** Adds a guest the way an invitation does (`#EXT#` UPN, `creationType: Invitation`). */
  createGuest(tenant: TenantState, email: string, displayName: string | null): DirectoryUser {
    const now = this.clock()
    const [localPart, domain] = email.split('@') as [string, string]
    const user: DirectoryUser = {
      ...blankUser(tenant.id, now),
      id: randomUUID(),
      userPrincipalName: `${localPart}_${domain}#EXT#@${tenant.initialDomain}`,
      displayName: displayName ?? localPart,
      mail: email,
      otherMails: [email],
      userType: 'Guest',
      creationType: 'Invitation',
      externalUserState: 'PendingAcceptance',
      externalUserStateChangeDateTime: new Date(now).toISOString(),
      createdAtMs: now,
      userTypeChangedAtMs: now,
      previousUserType: null,
    }
    this.addUser(tenant, user)
    return user
  }

  /** Counts a token endpoint request (shown by `/_emulator/state`, used to prove token caching). */
  countTokenRequest(grantType: string, tenantId: string, clientId: string): void {
    const key = `${grantType}|${tenantId}|${clientId}`
    const entry = this.tokenRequestCounts.get(key) ?? { grantType, tenantId, clientId, count: 0 }
    entry.count += 1
    this.tokenRequestCounts.set(key, entry)
  }

  tokenRequests(): TokenRequestCount[] {
    return [...this.tokenRequestCounts.values()]
  }

  /** A JSON-safe view of the whole state, for `/_emulator/state` and tests. */
  snapshot() {
    return {
      tenants: [...this.tenants.values()].map((tenant) => ({
        id: tenant.id,
        displayName: tenant.displayName,
        verifiedDomains: tenant.verifiedDomains,
        settings: tenant.settings,
        users: [...tenant.users.values()],
        groups: [...tenant.groups.values()].map((group) => ({
          ...group,
          members: [...group.members],
          owners: [...group.owners],
        })),
        administrativeUnits: [...tenant.administrativeUnits.values()].map(({ rule: _rule, ...unit }) => ({
          ...unit,
          members: [...unit.members],
        })),
        roleAssignments: tenant.roleAssignments,
      })),
      invitations: [...this.invitations.values()],
      outbox: this.outbox,
      tokenRequests: this.tokenRequests(),
    }
  }

  private load(): void {
    for (const tenantSeed of structuredClone(this.seed.tenants)) {
      this.tenants.set(tenantSeed.id.toLowerCase(), this.tenantFromSeed(tenantSeed))
    }
  }

  private tenantFromSeed(seed: TenantSeed): TenantState {
    const now = this.clock()
    const initialDomain =
      seed.verifiedDomains.find((domain) => domain.endsWith('.onmicrosoft.com')) ??
      (seed.verifiedDomains[0] as string)
    const tenantId = seed.id.toLowerCase()
    const principalId = principalResolver(tenantId, seed)
    return {
      id: tenantId,
      displayName: seed.displayName,
      verifiedDomains: seed.verifiedDomains,
      initialDomain,
      settings: seed.settings,
      applications: new Map(seed.applications.map((app) => [app.clientId.toLowerCase(), app])),
      users: new Map(seed.users.map((user) => [user.id.toLowerCase(), userFromSeed(tenantId, user, now)])),
      groups: new Map(
        seed.groups.map((group) => [group.id.toLowerCase(), groupFromSeed(tenantId, group, principalId)]),
      ),
      ...rbacFromSeed(tenantId, seed),
      subscribedSkus: subscribedSkusFromSeed(tenantId, seed.displayName, seed.subscribedSkus ?? []),
    }
  }
}

function blankUser(
  tenantId: string,
  now: number,
): Omit<DirectoryUser, 'id' | 'userPrincipalName' | 'displayName'> {
  return {
    tenantId,
    givenName: null,
    surname: null,
    mail: null,
    otherMails: [],
    userType: 'Member',
    creationType: null,
    externalUserState: null,
    externalUserStateChangeDateTime: null,
    usageLocation: null,
    accountEnabled: true,
    createdDateTime: new Date(now).toISOString(),
    jobTitle: null,
    department: null,
    companyName: null,
    businessPhones: [],
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    assignedLicenses: [],
    directoryExtensions: {},
    directoryRoles: [],
    appRoles: [],
    requiresMfa: false,
    hasMailbox: false,
    createdAtMs: 0,
    userTypeChangedAtMs: 0,
    previousUserType: null,
  }
}

function userFromSeed(tenantId: string, seed: UserSeed, now: number): DirectoryUser {
  const guest = seed.userType === 'Guest'
  return {
    ...blankUser(tenantId, now),
    id: seed.id.toLowerCase(),
    userPrincipalName: seed.userPrincipalName,
    displayName: seed.displayName,
    givenName: seed.givenName ?? null,
    surname: seed.surname ?? null,
    mail: seed.mail ?? null,
    otherMails: seed.otherMails ?? [],
    userType: guest ? 'Guest' : 'Member',
    creationType: guest ? 'Invitation' : null,
    externalUserState: guest ? 'Accepted' : null,
    externalUserStateChangeDateTime: guest ? new Date(now).toISOString() : null,
    usageLocation: seed.usageLocation ?? null,
    accountEnabled: seed.accountEnabled ?? true,
    directoryRoles: seed.directoryRoles ?? [],
    appRoles: seed.appRoles ?? [],
    requiresMfa: seed.requiresMfa ?? false,
    hasMailbox: seed.hasMailbox ?? false,
    assignedLicenses: (seed.assignedLicenses ?? []).map((license) => ({
      skuId: license.skuId.toLowerCase(),
      disabledPlans: (license.disabledPlans ?? []).map((plan) => plan.toLowerCase()),
    })),
    previousUserType: guest ? 'Guest' : 'Member',
  }
}

function groupFromSeed(
  tenantId: string,
  seed: GroupSeed,
  principalId: (reference: string) => string,
): DirectoryGroup {
  return {
    id: seed.id.toLowerCase(),
    tenantId,
    displayName: seed.displayName,
    description: seed.description ?? null,
    mailNickname: seed.mailNickname ?? seed.displayName.replace(/\W+/g, '').toLowerCase(),
    securityEnabled: seed.securityEnabled ?? true,
    members: new Set((seed.members ?? []).map((member) => member.toLowerCase())),
    owners: new Set((seed.owners ?? []).map(principalId)),
  }
}
