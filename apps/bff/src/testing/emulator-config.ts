import type { BffConfig } from '../config.js'
import { followUpIdentitiesAll } from '../invitations/follow-up-steps.js'
import { audiencesFor, settings as s } from '../settings.js'

/** What {@link configForEmulator} reads from a running `@entra-share/emulator`. */
export interface EmulatorLike {
  url: string
  settings: {
    tenantId: string
    authorityMetadata: string
    graphBaseUrl: string
    /** The seed's client apps that sign users in (the demo's SPA, the CLI): the callers the BFF allows. */
    publicClientIds?: string[]
    bffClientId?: string
    bffClientSecret?: string
  }
}

/** The demo's dev server (Vite), by name and by address. */
const DEMO_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173']

/**
 * A BFF configuration for the local emulator's first tenant (the seed's BFF app, its secret, the emulator's
 * authority and Graph), with development values where the emulator needs them (the demo's origins and redirect
 * URL, the seed's SPA and CLI as the only client apps allowed to call, the seed's app role) and the production
 * defaults of the settings table (`settings.ts`) for everything else: embedded database, Microsoft's email, limits. Tests and `pnpm dev` start
 * from it; override any field.
 *
 * @example
 * const emulator = await startEmulator()
 * const app = await buildApp(configForEmulator(emulator, { dataDir: '.data/dev' }))
 */
export function configForEmulator(emulator: EmulatorLike, overrides: Partial<BffConfig> = {}): BffConfig {
  const { tenantId, publicClientIds, bffClientId, bffClientSecret } = emulator.settings
  if (!bffClientId || !bffClientSecret)
    throw new Error("The emulator's first tenant has no confidential BFF app with a secret in its seed.")
  return {
    tenantId,
    clientId: bffClientId,
    credential: { kind: 'secret', clientSecret: bffClientSecret },
    authorityHost: emulator.url,
    authorityMetadata: emulator.settings.authorityMetadata,
    graphBaseUrl: emulator.settings.graphBaseUrl,
    audiences: audiencesFor(bffClientId),
    allowedTenantIds: [tenantId],
    requiredScope: s.requiredScope.default,
    requiredRoles: ['Invitations.Send.All'],
    adminRole: s.adminRole.default,
    allowedClientIds: publicClientIds ?? [],
    clockToleranceSeconds: s.clockToleranceSeconds.default,
    maxTokenLifetimeSeconds: s.maxTokenLifetimeSeconds.default,
    graphMode: s.graphMode.default,
    followUpIdentities: followUpIdentitiesAll(),
    corsOrigins: [...DEMO_ORIGINS],
    redirectOrigins: [...DEMO_ORIGINS],
    defaultRedirectUrl: 'http://localhost:5173/',
    messageLinks: s.messageLinks.default,
    allowedDomains: [],
    blockedDomains: [],
    presets: [],
    dataDir: s.dataDir.default,
    rateLimits: {
      perUserPerMinute: s.rateLimitPerUser.default,
      perTenantPerMinute: s.rateLimitPerTenant.default,
    },
    invitationQuota: {
      perUserPerHour: s.invitationQuotaPerUser.default,
      perAdminPerHour: s.invitationQuotaPerAdmin.default,
      perTenantPerHour: s.invitationQuotaPerTenant.default,
    },
    readRateLimitPerUserPerMinute: s.readRateLimitPerUser.default,
    userStateCacheSeconds: s.userStateCacheSeconds.default,
    emailMode: s.emailMode.default,
    followUpRetryIntervalSeconds: s.followUpRetrySeconds.default,
    governanceIntervalSeconds: s.governanceSeconds.default,
    governanceLeaseSeconds: s.governanceLeaseSeconds.default,
    acceptanceCheckIntervalSeconds: s.acceptanceCheckSeconds.default,
    bodyLimitBytes: s.bodyLimitBytes.default,
    idempotencyLeaseSeconds: s.idempotencyLeaseSeconds.default,
    ...overrides,
  }
}
