/**
 * The BFF's configuration, as `loadConfig(process.env)` (in `load-config.ts`) builds it from environment variables
 * and as tests build it directly. Every variable is declared once in `settings.ts` (name, default, check, meaning),
 * whose entries are the README's configuration table.
 */

import type { BulkSettings } from './bulk/bulk-settings.js'
import type { EmailBranding } from './email/branding.js'
import type { FollowUpStepName, StepIdentity } from './invitations/follow-up-steps.js'

/** One credential of the confidential client: exactly one kind is configured. */
export type ClientCredential =
  | { kind: 'secret'; clientSecret: string }
  | { kind: 'certificate'; thumbprintSha256: string; privateKeyPem: string; x5c?: string }
  /** Workload identity: a file holding a federated token, re-read for every assertion (it rotates). */
  | { kind: 'assertion-file'; path: string }

/**
 * A licence a preset assigns (`POST /users/{id}/assignLicense`): one of the tenant's subscribed SKUs, by id or by part
 * number (resolved at start-up; an unknown one stops it), with service plans to leave off.
 */
export type PresetLicense = ({ skuId: string } | { skuPartNumber: string }) & { disabledPlans?: string[] }

/**
 * An app role a preset grants (`POST /users/{id}/appRoleAssignments`): a role of the enterprise application whose
 * app id is `resourceAppId`, by id or by value (resolved at start-up; an unknown one stops it). What an enterprise app
 * with "assignment required" needs before the guest can sign in to it.
 */
export type PresetAppRole = { resourceAppId: string } & ({ appRoleId: string } | { value: string })

/** A group preset the inviter may pick: groups to add the guest to, attributes to set, licences and app roles. */
export interface GroupPreset {
  id: string
  label: string
  groupIds: string[]
  /** Directory attributes set on the guest (e.g. `{ usageLocation: 'GB' }`), under the request's own. */
  attributes?: { givenName?: string; surname?: string; usageLocation?: string }
  /** Sets `givenName` and `surname` from the display name ("Ada Lovelace" → Ada, Lovelace) unless given otherwise. */
  splitDisplayName?: boolean
  /**
   * Directory extension attributes set with the other attributes: `extension_{appIdWithoutDashes}_{name}` → value,
   * or the bare `name` for an extension property of the BFF's own app registration.
   */
  extensionAttributes?: Record<string, string | number | boolean>
  /** Licences to assign, after `usageLocation` is set (Graph refuses a licence to a user without one). */
  licenses?: PresetLicense[]
  /** App roles to grant. */
  appRoles?: PresetAppRole[]
  /** App roles of which the caller needs one to use this preset; empty or absent: everyone. */
  allowedRoles?: string[]
  /** An approver must approve each invitation with this preset before anything is sent to Graph. */
  approval?: ApprovalPolicy
  /**
   * Days of access; at expiry the guest leaves the preset's groups and app roles (and `onExpiry` applies). A request
   * may ask for fewer (`accessDays`); the sponsor may extend once by up to as many. Absent: access does not expire.
   */
  accessDays?: number
  /** Days before the expiry when the sponsor is reminded (event `invitation.expiring`). @default 7 */
  remindDaysBefore?: number
  /**
   * What else happens when access ends (at expiry or `DELETE /api/invitations/{id}`), besides leaving the groups and
   * app roles: `block` sets `accountEnabled: false`, `delete` deletes the guest (into deleted items). @default 'remove'
   */
  onExpiry?: 'remove' | 'block' | 'delete'
  /**
   * Periodic reviews: every `everyDays` after the invitation (then after each keep) the sponsor keeps or removes each
   * guest of the preset; with no answer within `deadlineDays` the `default` applies. Absent: no reviews.
   */
  review?: ReviewPolicy
}

/** How often a preset's guests are reviewed by their sponsors, and what happens without an answer. */
export interface ReviewPolicy {
  /** Days between reviews (from the invitation, then from each keep). */
  everyDays: number
  /** Days the sponsor has to answer. @default 14 */
  deadlineDays?: number
  /** The decision when nobody answers by the deadline: `remove` starts a removal (reason `reviewed`). */
  default: 'remove' | 'keep'
}

/** Who approves invitations with a preset, and how long a request waits. */
export interface ApprovalPolicy {
  /**
   * App role values (an approver holds one in the token's `roles`) and group object ids (an approver is a member,
   * nested groups too, checked with Graph as the app). Never the person who asked.
   */
  approvers: string[]
  /** Who approves, in words the requester knows (e.g. "Project Apollo owners"): shown instead of `approvers`. */
  approversLabel?: string
  /** The request must give a `reason`. @default false */
  reasonRequired?: boolean
  /** Days after which a request nobody decided is denied. @default 7 */
  expiresAfterDays?: number
}

export interface RateLimitConfig {
  /** Invitations per minute for one signed-in user (`tid:oid`). */
  perUserPerMinute: number
  /** Invitations per minute for a whole tenant, summed over its users. */
  perTenantPerMinute: number
}

/** The hourly invitation quota: invitations (bulk rows included), not requests. */
export interface InvitationQuotaConfig {
  /** Invitations per hour for one signed-in user. */
  perUserPerHour: number
  /** Invitations per hour for a user holding the invitation administrator role. */
  perAdminPerHour: number
  /** Invitations per hour for a whole tenant, summed over its users. */
  perTenantPerHour: number
}

export type EmailMode =
  /** Microsoft sends the invitation email (`sendInvitationMessage: true`). */
  | 'microsoft'
  /** Microsoft's email is suppressed; the BFF sends its own over SMTP. */
  | 'smtp'
  /** Nobody emails; the inviter shares the redeem URL. */
  | 'none'

/** What links the personal message may hold: see {@link BffConfig.messageLinks}. */
export type MessageLinkPolicy = 'none' | 'allowlist' | 'any'

export interface SmtpConfig {
  /** `smtp://user:pass@host:port` or `smtps://…` */
  url: string
  from: string
  /** How the email is branded (`ENTRA_SHARE_EMAIL_*`); what is absent takes the defaults. */
  branding?: Partial<EmailBranding>
}

export interface BffConfig {
  /** The BFF app registration's tenant (GUID). */
  tenantId: string
  /** The BFF app registration's client id (GUID). */
  clientId: string
  credential: ClientCredential
  /** `https://login.microsoftonline.com` by default; the emulator's URL in development. No trailing slash. */
  authorityHost: string
  /**
   * Optional OIDC metadata JSON (MSAL's `authorityMetadata`) so no discovery call is made; derived from
   * `authorityHost` when absent.
   */
  authorityMetadata?: string
  /** `https://graph.microsoft.com/v1.0` by default. No trailing slash. */
  graphBaseUrl: string
  /** Token audiences accepted (default: the client id and `api://{clientId}`). */
  audiences: string[]
  /** Tenants whose users may call the BFF (default: `[tenantId]`). */
  allowedTenantIds: string[]
  /** A delegated scope the token must carry in `scp` (default `Invitations.Send`); `null` to require a role only. */
  requiredScope: string | null
  /** App roles of which one in `roles` also lets a caller in (app-only callers, or users with a role). */
  requiredRoles: string[]
  /** The app role that lets a caller list everyone's invitations (default `Invitations.Admin`). */
  adminRole: string
  /**
   * Allowed `azp`/`appid` of callers (the SPA, the CLI, …). Empty: no client is allowed, every token is refused —
   * except against the local emulator (an authority host on a loopback address), where empty means any client.
   */
  allowedClientIds: string[]
  /** Seconds of clock skew tolerated on `exp`/`nbf`/`iat` (default 60). */
  clockToleranceSeconds: number
  /** Longest token lifetime (`exp - iat`) and oldest `iat` accepted, seconds (default 86400, Entra's 1-day cap). */
  maxTokenLifetimeSeconds: number
  /** `delegated` (On-Behalf-Of the caller, default) or `app` (client credentials). */
  graphMode: 'delegated' | 'app'
  /**
   * Whose token runs each follow-up step: `app` (the BFF's own, default for every step) or `delegated` (On-Behalf-Of
   * the inviter, who must then also hold the directory role the step needs). `delegated` needs `graphMode`
   * `delegated`. See docs/PERMISSIONS.md.
   */
  followUpIdentities: Record<FollowUpStepName, StepIdentity>
  /** Exact origins allowed by CORS. */
  corsOrigins: string[]
  /** Origins a redirect URL may have (exact origin match). */
  redirectOrigins: string[]
  /** The redirect URL used when the request has none; its origin is always allowed. */
  defaultRedirectUrl: string
  /**
   * Links in the personal message (Microsoft's invitation email carries it from a trusted sender): `none` (default)
   * refuses a message holding any link, bare domains such as `evil.example/login` included; `allowlist` allows only
   * links to an allowed redirect origin (`redirectOrigins` and the default URL's); `any` does not check.
   */
  messageLinks: MessageLinkPolicy
  /** Email domains allowed (empty: any) and blocked, lower-cased. */
  allowedDomains: string[]
  blockedDomains: string[]
  presets: GroupPreset[]
  /** PostgreSQL URL; absent: embedded PGlite in `dataDir`. */
  databaseUrl?: string
  /** Folder for the embedded database (default `.data/bff`). */
  dataDir: string
  /** Redis URL for shared rate limits (and, later, the token cache); absent: in-memory. */
  redisUrl?: string
  rateLimits: RateLimitConfig
  invitationQuota: InvitationQuotaConfig
  /**
   * Reads (`GET /api/…`) per minute for one signed-in user: reads call Graph and share the app's Graph budget with
   * everyone. Default 300.
   */
  readRateLimitPerUserPerMinute: number
  /** Seconds a guest's `externalUserState` read from Graph is reused before Graph is asked again. 0: always ask. Default 5. */
  userStateCacheSeconds: number
  emailMode: EmailMode
  smtp?: SmtpConfig
  /** Seconds between runs of the follow-up retrier (partial successes). 0 disables it. Default 30. */
  followUpRetryIntervalSeconds: number
  /**
   * Seconds between runs of the governance work: approval requests past their deadline denied, expiry reminders,
   * expiries (access removed) and removal retries. 0 disables it. Default 60.
   */
  governanceIntervalSeconds: number
  /**
   * Seconds a removal being carried out stays claimed: after it, another instance retries what a dead instance left.
   * @default 300
   */
  governanceLeaseSeconds?: number
  /**
   * Seconds between runs of the acceptance check (guests who have not redeemed yet; a redemption writes the
   * `guest.accepted` event). 0 disables it. Default 300.
   */
  acceptanceCheckIntervalSeconds: number
  /** Maximum request body, bytes (default 64 KiB). */
  bodyLimitBytes: number
  /**
   * Seconds after which an Idempotency-Key claim whose request never finished (its instance died) may be taken over
   * by a retry. Longer than the slowest invitation saga. Default 120.
   */
  idempotencyLeaseSeconds: number
  /** Bulk tuning set by `ENTRA_SHARE_BULK_*` variables (only those set); the rest take the defaults. */
  bulk?: Partial<BulkSettings>
  /** A Standard Webhooks endpoint every event is posted to, signed (`ENTRA_SHARE_WEBHOOK_URL`, `…_SECRET`). */
  webhook?: WebhookConfig
  /**
   * Hours an undelivered event is retried (webhook and `onGuest`), with exponential backoff and jitter, before it is
   * given up (`expired`). Default 72.
   */
  eventRetryHours?: number
}

/** Where events are posted: see {@link BffConfig.webhook}. */
export interface WebhookConfig {
  /** https (http only on 127.0.0.1 or localhost, for development). */
  url: string
  /** `whsec_` and the base64 of 24 to 64 random bytes: the HMAC-SHA256 key both sides share. */
  secret: string
}
