import { randomUUID } from 'node:crypto'
import { type BulkService, createBulkService } from './bulk/bulk-service.js'
import { type BulkSettings, DEFAULT_BULK_SETTINGS } from './bulk/bulk-settings.js'
import { type BulkStore, createBulkStore } from './bulk/bulk-store.js'
import { createInviterTokens, type InviterTokens } from './bulk/inviter-tokens.js'
import type { BffConfig } from './config.js'
import { createInvitationMailer } from './email/invitation-mailer.js'
import { createNotificationMailer, type NotificationMailer } from './email/notification-mailer.js'
import type { InvitationMailer } from './email/types.js'
import { createEventStore, type EventStore } from './events/event-store.js'
import { createGraphApi, type GraphApi } from './graph/graph-api.js'
import { createAccessTokenValidator } from './identity/access-token-validator.js'
import type { AccessTokenValidator, GraphTokenProvider } from './identity/caller.js'
import { createGraphTokenProvider } from './identity/graph-token-provider.js'
import { type AccessRemoval, createAccessRemoval } from './invitations/access-removal.js'
import { createAppUserStore } from './invitations/app-user-store.js'
import { createGovernance, type Governance } from './invitations/governance.js'
import { createGovernanceNotices, noGovernanceNotices } from './invitations/governance-notices.js'
import { createGuestProvisioning, type GuestProvisioning } from './invitations/guest-provisioning.js'
import { createInvitationQuota } from './invitations/invitation-quota.js'
import { createInvitationStore } from './invitations/invitation-store.js'
import { createInviteService, type InviteService } from './invitations/invite-service.js'
import { createPresetGrantResolver, type PresetGrantResolver } from './invitations/preset-grants.js'
import type { AppUserStore, InvitationStore } from './invitations/types.js'
import { openDatabase } from './platform/database.js'
import { createIdempotencyStore } from './platform/idempotency-store.js'
import type { Database, IdempotencyStore } from './platform/types.js'
import { settings as s } from './settings.js'

/** Everything the routes use, built once from the configuration. */
export interface BffServices {
  database: Database
  invitations: InvitationStore
  appUsers: AppUserStore
  idempotency: IdempotencyStore
  validator: AccessTokenValidator
  tokens: GraphTokenProvider
  mailer: InvitationMailer | undefined
  invites: InviteService
  /** The engine for a host's own code (workflows), as the BFF's application: `inviteGuest`, `getInvitation`, `resendInvitation`. */
  provisioning: GuestProvisioning
  graph: GraphApi
  /** The presets' licences and app roles, resolved per tenant (checked in the home tenant at start-up). */
  grants: PresetGrantResolver
  /** Bulk invitations: jobs and rows, the upload/status service, the inviters' in-memory tokens. */
  bulkStore: BulkStore
  bulk: BulkService
  inviterTokens: InviterTokens
  bulkSettings: BulkSettings
  /** The event log and its delivery queue (the invitation store writes the events, with each change). */
  events: EventStore
  /** Removing a guest's access (expiry, revocation): begins a removal and carries its steps out. */
  removal: AccessRemoval
  /** The scheduled governance work, one run at a time (`run()`): deadlines of requests, reminders, expiries. */
  governance: Governance
  /** This process's id (which instance holds an inviter's token for bulk jobs). */
  instanceId: string
  /** Closes what this function opened (not what was passed in). */
  close(): Promise<void>
}

/** Parts a host or a test may supply instead of having them built from the configuration. */
export interface ServiceOverrides {
  database?: Database
  validator?: AccessTokenValidator
  tokens?: GraphTokenProvider
  mailer?: InvitationMailer
  /** The governance notifications' mailer (email mode `smtp`); absent: one built from `config.smtp`. */
  notificationMailer?: NotificationMailer
  /** Bulk tuning over the configuration's (`ENTRA_SHARE_BULK_*` variables) and the defaults. */
  bulk?: Partial<BulkSettings>
  /**
   * The time the invitations' governance goes by (access terms, approval deadlines, reminders, expiries): tests move
   * it instead of waiting. @default the system clock
   */
  clock?: () => Date
}

/**
 * Builds the BFF's services: the database (PGlite or PostgreSQL, migrated), stores, token validator, Graph token
 * provider, Graph client, mailer and the invite service.
 */
export async function createServices(
  config: BffConfig,
  overrides: ServiceOverrides = {},
): Promise<BffServices> {
  const database =
    overrides.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }))
  const tokens = overrides.tokens ?? createGraphTokenProvider(config)
  const mailer =
    overrides.mailer ??
    (config.emailMode === 'smtp' && config.smtp ? createInvitationMailer(config.smtp) : undefined)
  const invitations = createInvitationStore(database)
  const appUsers = createAppUserStore(database)
  const graph = createGraphApi({ baseUrl: config.graphBaseUrl })
  const quota = createInvitationQuota(database, config.invitationQuota)
  const grants = createPresetGrantResolver({
    presets: config.presets,
    graph,
    appToken: (tenantId) => tokens.appToken(tenantId, 'followUp'),
  })
  const clock = overrides.clock ?? (() => new Date())
  const leaseSeconds = config.governanceLeaseSeconds ?? s.governanceLeaseSeconds.default
  const removal = createAccessRemoval({ config, invitations, graph, tokens, clock, leaseSeconds })
  const notificationMailer =
    overrides.notificationMailer ??
    (config.emailMode === 'smtp' && config.smtp ? createNotificationMailer(config.smtp) : undefined)
  const notices = notificationMailer
    ? createGovernanceNotices({ config, mailer: notificationMailer, graph, tokens })
    : noGovernanceNotices
  const invites = createInviteService({
    config,
    graph,
    tokens,
    invitations,
    appUsers,
    quota,
    grants,
    removal,
    notices,
    clock,
    ...(mailer ? { mailer } : {}),
  })
  const bulkSettings = { ...DEFAULT_BULK_SETTINGS, ...config.bulk, ...overrides.bulk }
  const bulkStore = createBulkStore(database)
  const inviterTokens = createInviterTokens()
  const instanceId = randomUUID()
  const bulk = createBulkService({
    config,
    store: bulkStore,
    inviterTokens,
    instanceId,
    maxFileBytes: bulkSettings.maxFileBytes,
    maxRows: bulkSettings.maxRows,
    quota,
  })
  return {
    database,
    invitations,
    appUsers,
    idempotency: createIdempotencyStore(database),
    validator: overrides.validator ?? createAccessTokenValidator(config),
    tokens,
    mailer,
    invites,
    provisioning: createGuestProvisioning(config, { invites, tokens }),
    graph,
    grants,
    bulkStore,
    bulk,
    inviterTokens,
    bulkSettings,
    events: createEventStore(database),
    removal,
    governance: createGovernance({ config, invitations, removal, notices, clock, leaseSeconds }),
    instanceId,
    async close() {
      await bulk.close()
      if (!overrides.tokens) await tokens.close()
      if (!overrides.mailer) await mailer?.close()
      if (!overrides.notificationMailer) await notificationMailer?.close()
      if (!overrides.database) await database.close()
    },
  }
}
