import type { BffConfig } from './config.js'

/** What {@link configForEmulator} reads from a running `@entra-share/emulator`. */
export interface EmulatorLike {
  url: string
  settings: {
    tenantId: string
    authorityMetadata: string
    graphBaseUrl: string
    bffClientId?: string
    bffClientSecret?: string
  }
}

/**
 * A BFF configuration for the local emulator's first tenant (the seed's BFF app, its secret, the emulator's
 * authority and Graph), with development defaults for everything else: embedded database, the demo's origins,
 * Microsoft's email. Tests and `pnpm dev` start from it; override any field.
 *
 * @example
 * const emulator = await startEmulator()
 * const app = await buildApp(configForEmulator(emulator, { dataDir: '.data/dev' }))
 */
export function configForEmulator(emulator: EmulatorLike, overrides: Partial<BffConfig> = {}): BffConfig {
  const { tenantId, bffClientId, bffClientSecret } = emulator.settings
  if (!bffClientId || !bffClientSecret)
    throw new Error("The emulator's first tenant has no confidential BFF app with a secret in its seed.")
  return {
    tenantId,
    clientId: bffClientId,
    credential: { kind: 'secret', clientSecret: bffClientSecret },
    authorityHost: emulator.url,
    authorityMetadata: emulator.settings.authorityMetadata,
    graphBaseUrl: emulator.settings.graphBaseUrl,
    audiences: [bffClientId, `api://${bffClientId}`],
    allowedTenantIds: [tenantId],
    requiredScope: 'Invitations.Send',
    requiredRoles: ['Invitations.Send.All'],
    adminRole: 'Invitations.Admin',
    allowedClientIds: [],
    clockToleranceSeconds: 60,
    graphMode: 'delegated',
    corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
    redirectOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
    defaultRedirectUrl: 'http://localhost:5173/',
    allowedDomains: [],
    blockedDomains: [],
    presets: [],
    dataDir: '.data/bff',
    rateLimits: { perUserPerMinute: 30, perTenantPerMinute: 600 },
    emailMode: 'microsoft',
    followUpRetryIntervalSeconds: 30,
    bodyLimitBytes: 64 * 1024,
    idempotencyLeaseSeconds: 120,
    ...overrides,
  }
}
