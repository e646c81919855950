import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { constraints } from '@entra-share/contracts'
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { BffConfig, ClientCredential, EmailMode, GroupPreset, MessageLinkPolicy } from './config.js'
import {
  type FollowUpStepName,
  followUpIdentitiesAll,
  followUpStepNames,
  type StepIdentity,
} from './invitations/follow-up-steps.js'

/** Start-up configuration problems, one line per bad variable. */
export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`The BFF configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

const PresetFile = Type.Array(
  Type.Object(
    {
      id: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
      label: Type.String({ minLength: 1, maxLength: 100 }),
      groupIds: Type.Array(Type.String({ pattern: GUID.source })),
      attributes: Type.Optional(
        Type.Object(
          {
            givenName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            surname: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            usageLocation: Type.Optional(Type.String({ pattern: constraints.usageLocationPattern })),
          },
          { additionalProperties: false },
        ),
      ),
      allowedRoles: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    },
    { additionalProperties: false },
  ),
)

/**
 * Reads the BFF's configuration from environment variables (each is documented in the README's configuration
 * table) and checks every one, so start-up fails with one line per bad variable instead of a late surprise.
 *
 * @example
 * try {
 *   const config = loadConfig(process.env)
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.message) // names each bad variable
 * }
 */
export function loadConfig(env: NodeJS.ProcessEnv): BffConfig {
  const problems: string[] = []
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const list = (name: string): string[] =>
    (read(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
  const guid = (name: string, required: boolean): string => {
    const value = read(name)
    if (value === undefined) {
      if (required)
        problems.push(`${name} is required: the GUID of the BFF app registration's ${describe(name)}.`)
      return ''
    }
    if (!GUID.test(value))
      problems.push(`${name} must be a GUID (for example 00000000-0000-0000-0000-000000000000).`)
    return value.toLowerCase()
  }
  const httpsUrl = (name: string, fallback: string, allowLoopbackHttp = false): string => {
    const value = read(name) ?? fallback
    try {
      const url = new URL(value)
      const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost'
      if (url.protocol !== 'https:' && !(allowLoopbackHttp && loopback && url.protocol === 'http:'))
        problems.push(`${name} must be an https URL (got ${value}).`)
    } catch {
      problems.push(`${name} must be an absolute URL (got ${value}).`)
    }
    return value.replace(/\/+$/, '')
  }
  const positiveInteger = (name: string, fallback: number, minimum = 1): number => {
    const value = read(name)
    if (value === undefined) return fallback
    const number = Number(value)
    if (!Number.isInteger(number) || number < minimum) {
      problems.push(`${name} must be a whole number of at least ${minimum} (got ${value}).`)
      return fallback
    }
    return number
  }
  const origins = (name: string): string[] =>
    list(name).flatMap((value) => {
      try {
        const url = new URL(value)
        if (url.origin !== value.replace(/\/$/, '')) throw new Error('not an origin')
        return [url.origin]
      } catch {
        problems.push(`${name}: '${value}' is not an origin (scheme://host[:port], no path).`)
        return []
      }
    })
  const domains = (name: string): string[] =>
    list(name).flatMap((value) => {
      const domain = value.toLowerCase()
      // `*.fabrikam.com` matches the subdomains of fabrikam.com (checkEmailDomain), so it is a valid entry too.
      if (DOMAIN.test(domain.startsWith('*.') ? domain.slice(2) : domain)) return [domain]
      problems.push(
        `${name}: '${value}' is not a domain name (for example fabrikam.com, or *.fabrikam.com for its subdomains).`,
      )
      return []
    })
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = read(name) ?? fallback
    if ((allowed as readonly string[]).includes(value)) return value as T
    problems.push(`${name} must be one of ${allowed.join(', ')} (got ${value}).`)
    return fallback
  }

  const tenantId = guid('ENTRA_SHARE_TENANT_ID', true)
  const clientId = guid('ENTRA_SHARE_CLIENT_ID', true)
  const credential = readCredential(read, problems)
  const authorityHost = httpsUrl('ENTRA_SHARE_AUTHORITY_HOST', 'https://login.microsoftonline.com')
  const authorityMetadata = read('ENTRA_SHARE_AUTHORITY_METADATA')
  if (authorityMetadata !== undefined) checkAuthorityMetadata(authorityMetadata, problems)
  const graphBaseUrl = httpsUrl('ENTRA_SHARE_GRAPH_BASE_URL', 'https://graph.microsoft.com/v1.0')
  const audiences = list('ENTRA_SHARE_AUDIENCES')
  const allowedTenantIds = list('ENTRA_SHARE_ALLOWED_TENANT_IDS').map((id) => id.toLowerCase())
  for (const id of allowedTenantIds)
    if (!GUID.test(id)) problems.push(`ENTRA_SHARE_ALLOWED_TENANT_IDS: '${id}' is not a tenant GUID.`)
  const allowedClientIds = list('ENTRA_SHARE_ALLOWED_CLIENT_IDS').map((id) => id.toLowerCase())
  for (const id of allowedClientIds)
    if (!GUID.test(id))
      problems.push(`ENTRA_SHARE_ALLOWED_CLIENT_IDS: '${id}' is not an application (client) id GUID.`)
  const requiredScopeRaw = env.ENTRA_SHARE_REQUIRED_SCOPE
  const requiredScope = requiredScopeRaw === undefined ? 'Invitations.Send' : requiredScopeRaw.trim() || null
  const requiredRoles = list('ENTRA_SHARE_REQUIRED_ROLES')
  if (requiredScope === null && requiredRoles.length === 0)
    problems.push(
      'ENTRA_SHARE_REQUIRED_SCOPE is empty and ENTRA_SHARE_REQUIRED_ROLES is not set: every token of the tenant would be accepted; set at least one.',
    )
  const defaultRedirectUrl = httpsUrl(
    'ENTRA_SHARE_DEFAULT_REDIRECT_URL',
    `https://myapplications.microsoft.com/?tenantid=${tenantId}`,
    true,
  )
  const emailMode = oneOf<EmailMode>('ENTRA_SHARE_EMAIL_MODE', ['microsoft', 'smtp', 'none'], 'microsoft')
  const smtpUrl = read('ENTRA_SHARE_SMTP_URL')
  const smtpFrom = read('ENTRA_SHARE_SMTP_FROM')
  if (emailMode === 'smtp') {
    if (!smtpUrl || !/^smtps?:\/\//.test(smtpUrl))
      problems.push(
        'ENTRA_SHARE_SMTP_URL must be an smtp:// or smtps:// URL when ENTRA_SHARE_EMAIL_MODE is smtp.',
      )
    if (!smtpFrom) problems.push('ENTRA_SHARE_SMTP_FROM is required when ENTRA_SHARE_EMAIL_MODE is smtp.')
  }
  const databaseUrl = read('DATABASE_URL')
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded database).')
  const redisUrl = read('REDIS_URL')
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    problems.push('REDIS_URL must be a redis:// or rediss:// URL.')

  const graphMode = oneOf('ENTRA_SHARE_GRAPH_MODE', ['delegated', 'app'] as const, 'delegated')
  const followUpIdentities = readFollowUpIdentities(
    read('ENTRA_SHARE_FOLLOW_UP_IDENTITY'),
    graphMode,
    problems,
  )

  const config: BffConfig = {
    tenantId,
    clientId,
    credential,
    authorityHost,
    ...(authorityMetadata !== undefined ? { authorityMetadata } : {}),
    graphBaseUrl,
    audiences: audiences.length > 0 ? audiences : [clientId, `api://${clientId}`],
    allowedTenantIds: allowedTenantIds.length > 0 ? allowedTenantIds : [tenantId],
    requiredScope,
    requiredRoles,
    adminRole: read('ENTRA_SHARE_ADMIN_ROLE') ?? 'Invitations.Admin',
    allowedClientIds,
    clockToleranceSeconds: positiveInteger('ENTRA_SHARE_CLOCK_TOLERANCE_SECONDS', 60, 0),
    // 1 day: the longest AccessTokenLifetime Entra's configurable token lifetimes allow; at least 10 minutes, their
    // shortest (https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes).
    maxTokenLifetimeSeconds: positiveInteger('ENTRA_SHARE_TOKEN_MAX_LIFETIME_SECONDS', 86_400, 600),
    graphMode,
    followUpIdentities,
    corsOrigins: origins('ENTRA_SHARE_CORS_ORIGINS'),
    redirectOrigins: origins('ENTRA_SHARE_REDIRECT_ORIGINS'),
    defaultRedirectUrl,
    messageLinks: oneOf<MessageLinkPolicy>('ENTRA_SHARE_MESSAGE_LINKS', ['none', 'allowlist', 'any'], 'none'),
    allowedDomains: domains('ENTRA_SHARE_ALLOWED_DOMAINS'),
    blockedDomains: domains('ENTRA_SHARE_BLOCKED_DOMAINS'),
    presets: readPresets(read('ENTRA_SHARE_PRESETS_FILE'), problems),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    dataDir: read('ENTRA_SHARE_DATA_DIR') ?? '.data/bff',
    ...(redisUrl !== undefined ? { redisUrl } : {}),
    rateLimits: {
      perUserPerMinute: positiveInteger('ENTRA_SHARE_RATE_LIMIT_PER_USER', 30),
      perTenantPerMinute: positiveInteger('ENTRA_SHARE_RATE_LIMIT_PER_TENANT', 600),
    },
    readRateLimitPerUserPerMinute: positiveInteger('ENTRA_SHARE_READ_RATE_LIMIT_PER_USER', 300),
    userStateCacheSeconds: positiveInteger('ENTRA_SHARE_USER_STATE_CACHE_SECONDS', 5, 0),
    emailMode,
    ...(emailMode === 'smtp' && smtpUrl && smtpFrom ? { smtp: { url: smtpUrl, from: smtpFrom } } : {}),
    followUpRetryIntervalSeconds: positiveInteger('ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS', 30, 0),
    bodyLimitBytes: positiveInteger('ENTRA_SHARE_BODY_LIMIT_BYTES', 64 * 1024, 1024),
    idempotencyLeaseSeconds: positiveInteger('ENTRA_SHARE_IDEMPOTENCY_LEASE_SECONDS', 120, 5),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function describe(name: string): string {
  return name === 'ENTRA_SHARE_TENANT_ID' ? 'directory (tenant) id' : 'application (client) id'
}

function readCredential(read: (name: string) => string | undefined, problems: string[]): ClientCredential {
  const secret = read('ENTRA_SHARE_CLIENT_SECRET')
  const certificatePath = read('ENTRA_SHARE_CLIENT_CERTIFICATE_PATH')
  const assertionFile = read('ENTRA_SHARE_CLIENT_ASSERTION_FILE') ?? read('AZURE_FEDERATED_TOKEN_FILE')
  const given = [secret, certificatePath, assertionFile].filter((value) => value !== undefined).length
  if (given !== 1) {
    problems.push(
      given === 0
        ? 'Set one credential: ENTRA_SHARE_CLIENT_SECRET, ENTRA_SHARE_CLIENT_CERTIFICATE_PATH (a PEM with the private key and certificate) or ENTRA_SHARE_CLIENT_ASSERTION_FILE (workload identity).'
        : 'Set only one of ENTRA_SHARE_CLIENT_SECRET, ENTRA_SHARE_CLIENT_CERTIFICATE_PATH and ENTRA_SHARE_CLIENT_ASSERTION_FILE.',
    )
    return { kind: 'secret', clientSecret: '' }
  }
  if (secret !== undefined) return { kind: 'secret', clientSecret: secret }
  if (assertionFile !== undefined) {
    try {
      readFileSync(assertionFile, 'utf8')
    } catch {
      problems.push(`ENTRA_SHARE_CLIENT_ASSERTION_FILE: cannot read ${assertionFile}.`)
    }
    return { kind: 'assertion-file', path: assertionFile }
  }
  return readCertificate(certificatePath as string, problems)
}

function readCertificate(path: string, problems: string[]): ClientCredential {
  try {
    const pem = readFileSync(path, 'utf8')
    const privateKeyPem =
      /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/.exec(pem)?.[0]
    const certificatePem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
    if (!privateKeyPem || !certificatePem) {
      problems.push(
        `ENTRA_SHARE_CLIENT_CERTIFICATE_PATH: ${path} must hold both the PEM private key and the PEM certificate.`,
      )
      return { kind: 'secret', clientSecret: '' }
    }
    const certificate = new X509Certificate(certificatePem)
    return {
      kind: 'certificate',
      thumbprintSha256: certificate.fingerprint256.replaceAll(':', '').toLowerCase(),
      privateKeyPem,
      x5c: certificate.raw.toString('base64'),
    }
  } catch (error) {
    problems.push(
      `ENTRA_SHARE_CLIENT_CERTIFICATE_PATH: cannot read a certificate from ${path} (${(error as Error).message}).`,
    )
    return { kind: 'secret', clientSecret: '' }
  }
}

const IDENTITIES: readonly StepIdentity[] = ['app', 'delegated']

/**
 * `ENTRA_SHARE_FOLLOW_UP_IDENTITY`: `app` (default) or `delegated` for every step, then optional per-step overrides,
 * e.g. `app,addToGroup=delegated`.
 */
function readFollowUpIdentities(
  value: string | undefined,
  graphMode: BffConfig['graphMode'],
  problems: string[],
): Record<FollowUpStepName, StepIdentity> {
  const name = 'ENTRA_SHARE_FOLLOW_UP_IDENTITY'
  const identities = followUpIdentitiesAll()
  const isIdentity = (text: string): text is StepIdentity => (IDENTITIES as readonly string[]).includes(text)
  for (const entry of (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [step, identity] = entry.includes('=')
      ? entry.split('=', 2).map((part) => part.trim())
      : [undefined, entry]
    if (identity === undefined || !isIdentity(identity)) {
      problems.push(
        `${name}: '${entry}' must be app or delegated, or step=app|delegated (steps: ${followUpStepNames.join(', ')}).`,
      )
      continue
    }
    if (step === undefined) {
      for (const each of followUpStepNames) identities[each] = identity
    } else if ((followUpStepNames as string[]).includes(step)) {
      identities[step as FollowUpStepName] = identity
    } else {
      problems.push(`${name}: '${step}' is not a follow-up step (steps: ${followUpStepNames.join(', ')}).`)
    }
  }
  const delegated = followUpStepNames.filter((step) => identities[step] === 'delegated')
  if (graphMode === 'app' && delegated.length > 0)
    problems.push(
      `${name}: ${delegated.join(', ')} cannot run delegated when ENTRA_SHARE_GRAPH_MODE is app (there is no signed-in user to act for); use app.`,
    )
  return identities
}

function checkAuthorityMetadata(json: string, problems: string[]): void {
  try {
    const metadata = JSON.parse(json) as Record<string, unknown>
    for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'])
      if (typeof metadata[key] !== 'string')
        problems.push(`ENTRA_SHARE_AUTHORITY_METADATA must have a string "${key}" (OIDC discovery document).`)
  } catch {
    problems.push('ENTRA_SHARE_AUTHORITY_METADATA must be JSON (the OIDC discovery document).')
  }
}

function readPresets(path: string | undefined, problems: string[]): GroupPreset[] {
  if (path === undefined) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    problems.push(`ENTRA_SHARE_PRESETS_FILE: cannot read JSON from ${path} (${(error as Error).message}).`)
    return []
  }
  if (!Value.Check(PresetFile, parsed)) {
    const first = Value.Errors(PresetFile, parsed).First()
    problems.push(
      `ENTRA_SHARE_PRESETS_FILE: ${path} at ${first?.path || '/'}: ${first?.message ?? 'invalid'} (expected [{ "id", "label", "groupIds": [GUID], "attributes"?, "allowedRoles"? }]).`,
    )
    return []
  }
  const ids = new Set<string>()
  for (const preset of parsed) {
    if (ids.has(preset.id)) problems.push(`ENTRA_SHARE_PRESETS_FILE: preset id '${preset.id}' appears twice.`)
    ids.add(preset.id)
  }
  return parsed
}
