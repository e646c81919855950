import { homedir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { EmulatorContext } from './context.js'
import { WorkloadIdentityIssuer } from './control/workload-identity-issuer.js'
import { loadOrCreateTls } from './crypto/certificates.js'
import { loadOrCreateSigningKey, loadOrCreateWorkloadIdentityKey } from './crypto/signing-keys.js'
import { isPublicClient } from './entra/client-kinds.js'
import { IssuerKeys } from './entra/issuer-keys.js'
import { TokenService } from './entra/token-service.js'
import { type FaultConfig, FaultEngine } from './faults/engine.js'
import { buildEmulatorApp } from './server.js'
import { Directory } from './state/directory.js'
import { defaultSeed, loadSeedFile, parseSeed, type Seed } from './state/seed.js'

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number
  /** A seed object, or the path of a seed JSON file. @default the Contoso seed in `default-seed.json` */
  seed?: Seed | string
  /** Faults active from the start; change them later with `emulator.faults.set()` or `PUT /_emulator/faults`. */
  faults?: FaultConfig
  /** Where the local CA and signing key are kept. @default `$ENTRA_SHARE_EMULATOR_DATA` or `~/.entra-share/emulator` */
  dataDir?: string
  /** Log requests with Fastify's logger (pino). @default false */
  logger?: boolean
}

/** Ready-to-paste settings for one tenant of the running emulator. */
export interface EmulatorTenantSettings {
  tenantId: string
  /** MSAL `auth.authority`. */
  authority: string
  /** MSAL `auth.knownAuthorities` (host:port, as MSAL compares it). */
  knownAuthorities: string[]
  /** MSAL `auth.authorityMetadata`: skips network discovery. */
  authorityMetadata: string
  issuer: string
  jwksUri: string
  tokenEndpoint: string
  /** Base URL for the Graph SDK's `baseUrl` (add `customHosts: [host]` so it keeps the Authorization header). */
  graphBaseUrl: string
  /** The SPA client id, the BFF client id, secret and API scope of the seed (when the tenant has them). */
  spaClientId?: string
  /** Every client app of the tenant that signs users in without a secret (the SPA, the CLI): the BFF's callers. */
  publicClientIds: string[]
  bffClientId?: string
  bffClientSecret?: string
  bffScope?: string
  /**
   * `https://127.0.0.1:{port}/_emulator/workload-identity`: the emulator's test workload-identity issuer, for the
   * `issuer` of a federated identity credential; `POST {workloadIdentityIssuer}/token` mints its tokens.
   */
  workloadIdentityIssuer: string
}

export interface RunningEmulator {
  /** `https://127.0.0.1:{port}` */
  url: string
  port: number
  /** Path of the local CA certificate (for `NODE_EXTRA_CA_CERTS` or a browser). */
  caPath: string
  caCertPem: string
  /** Settings for the first tenant of the seed. */
  settings: EmulatorTenantSettings
  settingsFor(tenantIdOrDomain: string): EmulatorTenantSettings
  context: EmulatorContext
  app: FastifyInstance
  /** Stops listening and drops open connections. */
  close(): Promise<void>
}

/** The data folder used when none is given. */
export function defaultDataDir(): string {
  return process.env.ENTRA_SHARE_EMULATOR_DATA ?? join(homedir(), '.entra-share', 'emulator')
}

/**
 * Starts the emulator on https://127.0.0.1.
 *
 * @example
 * const emulator = await startEmulator({ faults: { replicationDelayMs: 2000 } })
 * const msal = new ConfidentialClientApplication({ auth: {
 *   clientId: emulator.settings.bffClientId!, clientSecret: emulator.settings.bffClientSecret!,
 *   authority: emulator.settings.authority, knownAuthorities: emulator.settings.knownAuthorities,
 *   authorityMetadata: emulator.settings.authorityMetadata } })
 * // ...
 * await emulator.close()
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed =
    typeof options.seed === 'string'
      ? loadSeedFile(options.seed)
      : options.seed
        ? parseSeed(options.seed)
        : defaultSeed
  const dataDir = options.dataDir ?? defaultDataDir()
  const tls = loadOrCreateTls(dataDir)
  const signingKey = await loadOrCreateSigningKey(dataDir)
  const workloadIdentityKey = await loadOrCreateWorkloadIdentityKey(dataDir)
  const clock = Date.now
  // The issuers read `baseUrl` only when they sign; by then the server listens and has set it.
  const baseUrl = () => context.baseUrl
  const context: EmulatorContext = {
    baseUrl: '',
    directory: new Directory(seed, clock),
    signingKey,
    tokens: new TokenService(signingKey, baseUrl, clock),
    faults: new FaultEngine(options.faults ?? {}, clock),
    workloadIdentity: new WorkloadIdentityIssuer(workloadIdentityKey, baseUrl, clock),
    // The emulator reads its own workload-identity issuer over https too, so it trusts its local CA.
    issuerKeys: new IssuerKeys({ extraCaPem: [tls.caCertPem], clock }),
    clock,
  }
  const app = await buildEmulatorApp({
    context,
    https: { key: tls.key, cert: tls.cert },
    logger: options.logger ?? false,
  })
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0)
  context.baseUrl = `https://127.0.0.1:${port}`

  const settingsFor = (tenantIdOrDomain: string): EmulatorTenantSettings => {
    const tenant = context.directory.tenant(tenantIdOrDomain)
    if (!tenant)
      throw new Error(
        `The emulator has no tenant ${tenantIdOrDomain}; the seed defines ${[...context.directory.tenants.keys()].join(', ')}.`,
      )
    return tenantSettings(context, tenant.id)
  }
  return {
    url: context.baseUrl,
    port,
    caPath: tls.caPath,
    caCertPem: tls.caCertPem,
    settings: settingsFor((seed.tenants[0] as { id: string }).id),
    settingsFor,
    context,
    app,
    close: () => app.close(),
  }
}

function tenantSettings(context: EmulatorContext, tenantId: string): EmulatorTenantSettings {
  const base = context.baseUrl
  const tenant = context.directory.tenant(tenantId)
  const apps = [...(tenant?.applications.values() ?? [])]
  const spa = apps.find((app) => app.kind === 'spa')
  const bff = apps.find((app) => app.kind === 'confidential' && app.exposedScopes?.length)
  const issuer = `${base}/${tenantId}/v2.0`
  const metadata = {
    issuer,
    authorization_endpoint: `${base}/${tenantId}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/${tenantId}/oauth2/v2.0/token`,
    end_session_endpoint: `${base}/${tenantId}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/${tenantId}/discovery/v2.0/keys`,
  }
  return {
    tenantId,
    authority: `${base}/${tenantId}`,
    knownAuthorities: [new URL(base).host],
    authorityMetadata: JSON.stringify(metadata),
    issuer,
    jwksUri: metadata.jwks_uri,
    tokenEndpoint: metadata.token_endpoint,
    graphBaseUrl: `${base}/v1.0`,
    workloadIdentityIssuer: context.workloadIdentity.issuer,
    ...(spa ? { spaClientId: spa.clientId } : {}),
    publicClientIds: apps.filter(isPublicClient).map((candidate) => candidate.clientId),
    ...(bff
      ? {
          bffClientId: bff.clientId,
          bffClientSecret: bff.clientSecrets?.[0],
          bffScope: `${bff.identifierUri ?? `api://${bff.clientId}`}/${bff.exposedScopes?.[0]}`,
        }
      : {}),
  }
}
