import type { BffConfig } from './config.js'
import { followUpIdentitiesAll } from './invitations/follow-up-steps.js'

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

/**
 * `true` when the authority host is a loopback address: the local emulator, never Microsoft Entra ID. Against it an
 * empty `allowedClientIds` means any client; against a real tenant it means none.
 *
 * @example
 * isEmulatorAuthority('https://127.0.0.1:8443') // true
 * isEmulatorAuthority('https://login.microsoftonline.com') // false
 */
export function isEmulatorAuthority(authorityHost: string): boolean {
  try {
    const { hostname } = new URL(authorityHost)
    return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
  } catch {
    return false
  }
}

/**
 * A BFF configuration for the local emulator's first tenant (the seed's BFF app, its secret, the emulator's
 * authority and Graph), with development defaults for everything else: embedded database, the demo's origins,
 * Microsoft's email, and the seed's SPA and CLI as the only client apps allowed to call. Tests and `pnpm dev` start
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
    audiences: [bffClientId, `api://${bffClientId}`],
    allowedTenantIds: [tenantId],
    requiredScope: 'Invitations.Send',
    requiredRoles: ['Invitations.Send.All'],
    adminRole: 'Invitations.Admin',
    allowedClientIds: publicClientIds ?? [],
    clockToleranceSeconds: 60,
    maxTokenLifetimeSeconds: 86_400,
    graphMode: 'delegated',
    followUpIdentities: followUpIdentitiesAll(),
    corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
    redirectOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
    defaultRedirectUrl: 'http://localhost:5173/',
    messageLinks: 'none',
    allowedDomains: [],
    blockedDomains: [],
    presets: [],
    dataDir: '.data/bff',
    rateLimits: { perUserPerMinute: 30, perTenantPerMinute: 600 },
    readRateLimitPerUserPerMinute: 300,
    userStateCacheSeconds: 5,
    emailMode: 'microsoft',
    followUpRetryIntervalSeconds: 30,
    bodyLimitBytes: 64 * 1024,
    idempotencyLeaseSeconds: 120,
    ...overrides,
  }
}
