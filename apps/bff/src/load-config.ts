import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { constraints } from '@entra-share/contracts'
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { readBulkSettings } from './bulk/bulk-settings.js'
import type { BffConfig, ClientCredential, GroupPreset } from './config.js'
import { readEmailBranding } from './email/branding.js'
import { webhookSecretProblem } from './events/webhook.js'
import {
  type FollowUpStepName,
  followUpIdentitiesAll,
  followUpStepNames,
  type StepIdentity,
} from './invitations/follow-up-steps.js'
import { audiencesFor, defaultRedirectUrlFor, type Setting, settings as s } from './settings.js'

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
/** A directory extension attribute's full name, or the bare name of one on the BFF's own app registration. */
const EXTENSION_ATTRIBUTE = /^(?:extension_[0-9a-f]{32}_[A-Za-z0-9_]{1,100}|[A-Za-z][A-Za-z0-9_]{0,99})$/
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
      splitDisplayName: Type.Optional(Type.Boolean()),
      extensionAttributes: Type.Optional(
        Type.Record(
          Type.String({ pattern: EXTENSION_ATTRIBUTE.source }),
          Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]),
        ),
      ),
      licenses: Type.Optional(
        Type.Array(
          Type.Union([
            Type.Object(
              {
                skuId: Type.String({ pattern: GUID.source }),
                disabledPlans: Type.Optional(Type.Array(Type.String({ pattern: GUID.source }))),
              },
              { additionalProperties: false },
            ),
            Type.Object(
              {
                skuPartNumber: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' }),
                disabledPlans: Type.Optional(Type.Array(Type.String({ pattern: GUID.source }))),
              },
              { additionalProperties: false },
            ),
          ]),
        ),
      ),
      appRoles: Type.Optional(
        Type.Array(
          Type.Union([
            Type.Object(
              {
                resourceAppId: Type.String({ pattern: GUID.source }),
                appRoleId: Type.String({ pattern: GUID.source }),
              },
              { additionalProperties: false },
            ),
            Type.Object(
              {
                resourceAppId: Type.String({ pattern: GUID.source }),
                value: Type.String({ minLength: 1, maxLength: 120 }),
              },
              { additionalProperties: false },
            ),
          ]),
        ),
      ),
      approval: Type.Optional(
        Type.Object(
          {
            // An app role value (as in the token's `roles`) or a group's object id.
            approvers: Type.Array(Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\s,]+$' }), {
              minItems: 1,
              maxItems: 20,
            }),
            approversLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
            reasonRequired: Type.Optional(Type.Boolean()),
            expiresAfterDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          },
          { additionalProperties: false },
        ),
      ),
      accessDays: Type.Optional(Type.Integer({ minimum: 1, maximum: constraints.accessDaysMax })),
      remindDaysBefore: Type.Optional(Type.Integer({ minimum: 0, maximum: constraints.accessDaysMax })),
      onExpiry: Type.Optional(
        Type.Union([Type.Literal('remove'), Type.Literal('block'), Type.Literal('delete')]),
      ),
      review: Type.Optional(
        Type.Object(
          {
            everyDays: Type.Integer({ minimum: 1, maximum: constraints.accessDaysMax }),
            deadlineDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
            default: Type.Union([Type.Literal('remove'), Type.Literal('keep')]),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
)

/**
 * Reads the BFF's configuration from environment variables (each declared in `settings.ts`, whose entries are the
 * README's configuration table: name, default, check and meaning) and checks every one, so start-up fails with one line per bad variable instead of a late surprise.
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
  const list = ({ variable: name }: Setting): string[] =>
    (read(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
  const guid = ({ variable: name }: Setting, required: boolean): string => {
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
  const httpsUrl = (setting: Setting<string>, fallback = setting.default ?? ''): string => {
    const { variable: name, allowLoopbackHttp = false } = setting
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
  const positiveInteger = (setting: Setting<number>): number => {
    const { variable: name, default: fallback = 0, minimum = 1 } = setting
    const value = read(name)
    if (value === undefined) return fallback
    const number = Number(value)
    if (!Number.isInteger(number) || number < minimum) {
      problems.push(`${name} must be a whole number of at least ${minimum} (got ${value}).`)
      return fallback
    }
    return number
  }
  const origins = (setting: Setting): string[] =>
    list(setting).flatMap((value) => {
      try {
        const url = new URL(value)
        if (url.origin !== value.replace(/\/$/, '')) throw new Error('not an origin')
        return [url.origin]
      } catch {
        problems.push(`${setting.variable}: '${value}' is not an origin (scheme://host[:port], no path).`)
        return []
      }
    })
  const domains = (setting: Setting): string[] =>
    list(setting).flatMap((value) => {
      const domain = value.toLowerCase()
      // `*.fabrikam.com` matches the subdomains of fabrikam.com (checkEmailDomain), so it is a valid entry too.
      if (DOMAIN.test(domain.startsWith('*.') ? domain.slice(2) : domain)) return [domain]
      problems.push(
        `${setting.variable}: '${value}' is not a domain name (for example fabrikam.com, or *.fabrikam.com for its subdomains).`,
      )
      return []
    })
  const oneOf = <T extends string>(setting: Setting<string> & { choices: readonly T[]; default: T }): T => {
    const { variable: name, choices: allowed } = setting
    const fallback = setting.default
    const value = read(name) ?? fallback
    if (allowed.includes(value)) return value as T
    problems.push(`${name} must be one of ${allowed.join(', ')} (got ${value}).`)
    return fallback
  }

  const tenantId = guid(s.tenantId, true)
  const clientId = guid(s.clientId, true)
  const credential = readCredential(read, problems)
  const authorityHost = httpsUrl(s.authorityHost)
  const authorityMetadata = read(s.authorityMetadata.variable)
  if (authorityMetadata !== undefined) checkAuthorityMetadata(authorityMetadata, problems)
  const graphBaseUrl = httpsUrl(s.graphBaseUrl)
  const audiences = list(s.audiences)
  const allowedTenantIds = list(s.allowedTenantIds).map((id) => id.toLowerCase())
  for (const id of allowedTenantIds)
    if (!GUID.test(id)) problems.push(`ENTRA_SHARE_ALLOWED_TENANT_IDS: '${id}' is not a tenant GUID.`)
  const allowedClientIds = list(s.allowedClientIds).map((id) => id.toLowerCase())
  for (const id of allowedClientIds)
    if (!GUID.test(id))
      problems.push(`ENTRA_SHARE_ALLOWED_CLIENT_IDS: '${id}' is not an application (client) id GUID.`)
  // Set but empty means "no scope: roles only", so this one is not read through `read`.
  const requiredScopeRaw = env[s.requiredScope.variable]
  const requiredScope =
    requiredScopeRaw === undefined ? s.requiredScope.default : requiredScopeRaw.trim() || null
  const requiredRoles = list(s.requiredRoles)
  if (requiredScope === null && requiredRoles.length === 0)
    problems.push(
      'ENTRA_SHARE_REQUIRED_SCOPE is empty and ENTRA_SHARE_REQUIRED_ROLES is not set: every token of the tenant would be accepted; set at least one.',
    )
  const defaultRedirectUrl = httpsUrl(s.defaultRedirectUrl, defaultRedirectUrlFor(tenantId))
  const emailMode = oneOf(s.emailMode)
  const smtpUrl = read(s.smtpUrl.variable)
  const smtpFrom = read(s.smtpFrom.variable)
  if (emailMode === 'smtp') {
    if (!smtpUrl || !/^smtps?:\/\//.test(smtpUrl))
      problems.push(
        'ENTRA_SHARE_SMTP_URL must be an smtp:// or smtps:// URL when ENTRA_SHARE_EMAIL_MODE is smtp.',
      )
    if (!smtpFrom) problems.push('ENTRA_SHARE_SMTP_FROM is required when ENTRA_SHARE_EMAIL_MODE is smtp.')
  }
  // The email's branding (`ENTRA_SHARE_EMAIL_*`), checked in every mode.
  const branding = readEmailBranding(env, problems)
  const databaseUrl = read(s.databaseUrl.variable)
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded database).')
  const redisUrl = read(s.redisUrl.variable)
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    problems.push('REDIS_URL must be a redis:// or rediss:// URL.')

  const graphMode = oneOf(s.graphMode)
  const followUpIdentities = readFollowUpIdentities(read(s.followUpIdentity.variable), graphMode, problems)
  const webhook = readWebhook(read, problems)

  const config: BffConfig = {
    tenantId,
    clientId,
    credential,
    authorityHost,
    ...(authorityMetadata !== undefined ? { authorityMetadata } : {}),
    graphBaseUrl,
    audiences: audiences.length > 0 ? audiences : audiencesFor(clientId),
    allowedTenantIds: allowedTenantIds.length > 0 ? allowedTenantIds : [tenantId],
    requiredScope,
    requiredRoles,
    adminRole: read(s.adminRole.variable) ?? s.adminRole.default,
    allowedClientIds,
    clockToleranceSeconds: positiveInteger(s.clockToleranceSeconds),
    maxTokenLifetimeSeconds: positiveInteger(s.maxTokenLifetimeSeconds),
    graphMode,
    followUpIdentities,
    corsOrigins: origins(s.corsOrigins),
    redirectOrigins: origins(s.redirectOrigins),
    defaultRedirectUrl,
    messageLinks: oneOf(s.messageLinks),
    allowedDomains: domains(s.allowedDomains),
    blockedDomains: domains(s.blockedDomains),
    presets: readPresets(read(s.presetsFile.variable), problems, clientId),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    dataDir: read(s.dataDir.variable) ?? s.dataDir.default,
    ...(redisUrl !== undefined ? { redisUrl } : {}),
    rateLimits: {
      perUserPerMinute: positiveInteger(s.rateLimitPerUser),
      perTenantPerMinute: positiveInteger(s.rateLimitPerTenant),
    },
    invitationQuota: {
      perUserPerHour: positiveInteger(s.invitationQuotaPerUser),
      perAdminPerHour: positiveInteger(s.invitationQuotaPerAdmin),
      perTenantPerHour: positiveInteger(s.invitationQuotaPerTenant),
    },
    readRateLimitPerUserPerMinute: positiveInteger(s.readRateLimitPerUser),
    userStateCacheSeconds: positiveInteger(s.userStateCacheSeconds),
    emailMode,
    ...(emailMode === 'smtp' && smtpUrl && smtpFrom
      ? { smtp: { url: smtpUrl, from: smtpFrom, branding } }
      : {}),
    followUpRetryIntervalSeconds: positiveInteger(s.followUpRetrySeconds),
    governanceIntervalSeconds: positiveInteger(s.governanceSeconds),
    governanceLeaseSeconds: positiveInteger(s.governanceLeaseSeconds),
    acceptanceCheckIntervalSeconds: positiveInteger(s.acceptanceCheckSeconds),
    bodyLimitBytes: positiveInteger(s.bodyLimitBytes),
    idempotencyLeaseSeconds: positiveInteger(s.idempotencyLeaseSeconds),
    ...(webhook ? { webhook } : {}),
    eventRetryHours: positiveInteger(s.eventRetryHours),
  }
  // The bulk tuning (`ENTRA_SHARE_BULK_*`); only what is set, over the defaults in `createServices`.
  const bulk = readBulkSettings(env, problems)
  if (Object.keys(bulk).length > 0) config.bulk = bulk
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function describe(name: string): string {
  return name === s.tenantId.variable ? 'directory (tenant) id' : 'application (client) id'
}

function readCredential(read: (name: string) => string | undefined, problems: string[]): ClientCredential {
  const secret = read(s.clientSecret.variable)
  const certificatePath = read(s.clientCertificatePath.variable)
  // Unset, the workload identity's token file is AKS's (the default the README shows).
  const assertionFile = read(s.clientAssertionFile.variable) ?? read('AZURE_FEDERATED_TOKEN_FILE')
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
  const name = s.followUpIdentity.variable
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

function readPresets(path: string | undefined, problems: string[], clientId: string): GroupPreset[] {
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
      `ENTRA_SHARE_PRESETS_FILE: ${path} at ${first?.path || '/'}: ${first?.message ?? 'invalid'} (expected [{ "id", "label", "groupIds": [GUID], "attributes"?, "allowedRoles"?, "splitDisplayName"?, "extensionAttributes"?, "licenses"?, "appRoles"?, "approval"?, "accessDays"?, "remindDaysBefore"?, "onExpiry"?, "review"?: { "everyDays", "deadlineDays"?, "default": "remove" | "keep" } }]).`,
    )
    return []
  }
  const ids = new Set<string>()
  for (const preset of parsed) {
    if (ids.has(preset.id)) problems.push(`ENTRA_SHARE_PRESETS_FILE: preset id '${preset.id}' appears twice.`)
    ids.add(preset.id)
    if (preset.extensionAttributes) {
      preset.extensionAttributes = fullExtensionNames(preset.extensionAttributes, clientId)
    }
    // Without an expiry there is nothing to remind of: most likely accessDays was forgotten.
    if (preset.accessDays === undefined && preset.remindDaysBefore !== undefined) {
      problems.push(
        `ENTRA_SHARE_PRESETS_FILE: preset '${preset.id}' sets remindDaysBefore but no accessDays; access without accessDays never expires.`,
      )
    }
    // A review that would start only once the access has ended is never held: most likely a typo in one of them.
    if (preset.review && preset.accessDays !== undefined && preset.review.everyDays >= preset.accessDays) {
      problems.push(
        `ENTRA_SHARE_PRESETS_FILE: preset '${preset.id}' sets review.everyDays ${preset.review.everyDays}, not fewer than its accessDays ${preset.accessDays}: the access ends before the first review; lower review.everyDays or leave review out.`,
      )
    }
    // Graph refuses assignLicense to a user without a usage location ("invalid usage location").
    if ((preset.licenses?.length ?? 0) > 0 && !preset.attributes?.usageLocation) {
      problems.push(
        `ENTRA_SHARE_PRESETS_FILE: preset '${preset.id}' assigns licences but sets no attributes.usageLocation; Microsoft Graph refuses a licence to a user without one.`,
      )
    }
  }
  return parsed
}

/**
 * Directory extension attributes under their full names: a bare `name` is an extension property of the BFF's own
 * app registration, `extension_{clientIdWithoutDashes}_{name}`, as Graph names it.
 *
 * @example
 * fullExtensionNames({ partnerId: 'P-1' }, '11111111-2222-…') // { extension_11111111222…_partnerId: 'P-1' }
 */
export function fullExtensionNames(
  attributes: Record<string, string | number | boolean>,
  clientId: string,
): Record<string, string | number | boolean> {
  const prefix = `extension_${clientId.replaceAll('-', '').toLowerCase()}_`
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name.startsWith('extension_') ? name : prefix + name,
      value,
    ]),
  )
}

/**
 * `ENTRA_SHARE_WEBHOOK_URL` and `ENTRA_SHARE_WEBHOOK_SECRET`: both or neither. The URL must be https — events carry
 * guests' names, addresses and redeem links — except on 127.0.0.1 or localhost (development, a sidecar). Neither
 * value is echoed: webhook URLs often carry a token of their own.
 */
function readWebhook(
  read: (name: string) => string | undefined,
  problems: string[],
): BffConfig['webhook'] | undefined {
  const urlName = s.webhookUrl.variable
  const secretName = s.webhookSecret.variable
  const url = read(urlName)
  const secret = read(secretName)
  if (url === undefined) {
    if (secret !== undefined)
      problems.push(`${secretName} is set but ${urlName} is not; set both, or neither.`)
    return undefined
  }
  try {
    const { protocol, hostname } = new URL(url)
    const loopback = hostname === '127.0.0.1' || hostname === 'localhost'
    if (protocol !== 'https:' && !(protocol === 'http:' && loopback)) {
      problems.push(
        `${urlName} must be an https URL (http is allowed only on 127.0.0.1 or localhost, for development); events carry guests' personal data.`,
      )
    }
  } catch {
    problems.push(`${urlName} must be an absolute https URL.`)
  }
  if (secret === undefined) {
    problems.push(
      `${secretName} is required with ${urlName}: the key events are signed with (whsec_ and base64; generate one with: echo "whsec_$(openssl rand -base64 32)").`,
    )
    return undefined
  }
  const problem = webhookSecretProblem(secret)
  if (problem !== undefined) problems.push(`${secretName} ${problem}.`)
  return { url, secret }
}
