/**
 * Every environment variable the BFF reads, declared once: its name, its default, how it is checked and the
 * sentence that documents it. `loadConfig` reads and checks the variables through these entries, the emulator
 * configuration (`@entra-share/bff/testing`) takes its defaults from them, `readBulkSettings` reads the bulk
 * ones, and the README's configuration and bulk tables are these rows (`test/settings.test.ts` compares them).
 *
 * No Fastify or Node import: pure data.
 */

/** How a variable's text becomes a value; `loadConfig` implements each kind. */
export type SettingKind =
  /** A GUID, lower-cased. */
  | 'guid'
  /** Comma-separated GUIDs, lower-cased. */
  | 'guid-list'
  /** An https URL (`http:` on a loopback host when `allowLoopbackHttp`); trailing slashes removed. */
  | 'https-url'
  /** A whole number of at least `minimum`. */
  | 'integer'
  /** A positive number (the bulk tuning). */
  | 'positive-number'
  /** `true` or `false`. */
  | 'boolean'
  /** One of `choices`. */
  | 'choice'
  /** Comma-separated exact origins (`scheme://host[:port]`). */
  | 'origins'
  /** Comma-separated domain names, `*.` for subdomains; lower-cased. */
  | 'domains'
  /** Comma-separated words. */
  | 'list'
  /** Free text (a path, a URL checked by its own rule, a JSON document…). */
  | 'text'

export interface Setting<T = unknown> {
  /** The environment variable. */
  readonly variable: string
  readonly kind: SettingKind
  /**
   * The value when the variable is unset or empty. Absent: required, optional (no value), or derived from other
   * settings (`shownDefault` says from what).
   */
  readonly default?: T
  /** Smallest accepted value of an `integer`. */
  readonly minimum?: number
  /** Accepted values of a `choice`. */
  readonly choices?: readonly string[]
  /** `https-url`: also accept `http:` on 127.0.0.1 / localhost. */
  readonly allowLoopbackHttp?: boolean
  /** The README's default column (markdown). */
  readonly shownDefault: string
  /** The README's meaning column (markdown): the setting's documentation. */
  readonly meaning: string
  /**
   * This setting shares its README row with the next one, the two names and defaults joined by this text (for
   * example `ENTRA_SHARE_RATE_LIMIT_PER_USER` / `ENTRA_SHARE_RATE_LIMIT_PER_TENANT`); the row's meaning is the first
   * setting's.
   */
  readonly sharesRowWithNext?: ' / ' | ', '
}

/** Keeps each entry's literal types (its default, its choices) for the code that reads it. */
const setting = <const E extends Setting>(entry: E): E => entry

/** The settings `loadConfig` reads, in the README's configuration table order. */
export const settings = {
  tenantId: setting({
    variable: 'ENTRA_SHARE_TENANT_ID',
    kind: 'guid',
    shownDefault: '(required)',
    meaning: "the BFF app registration's directory (tenant) id",
  }),
  clientId: setting({
    variable: 'ENTRA_SHARE_CLIENT_ID',
    kind: 'guid',
    shownDefault: '(required)',
    meaning: "the BFF app registration's application (client) id",
  }),
  clientSecret: setting({
    variable: 'ENTRA_SHARE_CLIENT_SECRET',
    kind: 'text',
    shownDefault: '',
    meaning: 'a client secret — or:',
  }),
  clientCertificatePath: setting({
    variable: 'ENTRA_SHARE_CLIENT_CERTIFICATE_PATH',
    kind: 'text',
    shownDefault: '',
    meaning: 'a PEM file with the private key and the certificate uploaded to the app registration — or:',
  }),
  clientAssertionFile: setting({
    variable: 'ENTRA_SHARE_CLIENT_ASSERTION_FILE',
    kind: 'text',
    shownDefault: '`$AZURE_FEDERATED_TOKEN_FILE`',
    meaning: 'workload identity: a federated token file, re-read for each assertion',
  }),
  authorityHost: setting({
    variable: 'ENTRA_SHARE_AUTHORITY_HOST',
    kind: 'https-url',
    default: 'https://login.microsoftonline.com',
    shownDefault: '`https://login.microsoftonline.com`',
    meaning: "the Entra authority host (the emulator's URL in development)",
  }),
  authorityMetadata: setting({
    variable: 'ENTRA_SHARE_AUTHORITY_METADATA',
    kind: 'text',
    shownDefault: '',
    meaning: 'the OIDC discovery JSON, to skip discovery calls',
  }),
  graphBaseUrl: setting({
    variable: 'ENTRA_SHARE_GRAPH_BASE_URL',
    kind: 'https-url',
    default: 'https://graph.microsoft.com/v1.0',
    shownDefault: '`https://graph.microsoft.com/v1.0`',
    meaning: 'Microsoft Graph',
  }),
  audiences: setting({
    variable: 'ENTRA_SHARE_AUDIENCES',
    kind: 'list',
    shownDefault: '`{clientId},api://{clientId}`',
    meaning: 'accepted token audiences',
  }),
  allowedTenantIds: setting({
    variable: 'ENTRA_SHARE_ALLOWED_TENANT_IDS',
    kind: 'guid-list',
    shownDefault: 'the tenant id',
    meaning:
      'tenants whose users may call; others get 403 `tenant_not_allowed` (see _Callers from other tenants_)',
  }),
  requiredScope: setting({
    variable: 'ENTRA_SHARE_REQUIRED_SCOPE',
    kind: 'text',
    default: 'Invitations.Send',
    shownDefault: '`Invitations.Send`',
    meaning: 'delegated scope required in `scp` (empty: roles only)',
  }),
  requiredRoles: setting({
    variable: 'ENTRA_SHARE_REQUIRED_ROLES',
    kind: 'list',
    shownDefault: '',
    meaning: 'app roles that also let a caller in (for example app-only callers)',
  }),
  adminRole: setting({
    variable: 'ENTRA_SHARE_ADMIN_ROLE',
    kind: 'text',
    default: 'Invitations.Admin',
    shownDefault: '`Invitations.Admin`',
    meaning: "role that may list everyone's invitations",
  }),
  allowedClientIds: setting({
    variable: 'ENTRA_SHARE_ALLOWED_CLIENT_IDS',
    kind: 'guid-list',
    shownDefault: '(none: every token is refused)',
    meaning:
      'client ids (`azp`/`appid`) of the apps that may call, e.g. the SPA and the CLI: required against a real tenant',
  }),
  clockToleranceSeconds: setting({
    variable: 'ENTRA_SHARE_CLOCK_TOLERANCE_SECONDS',
    kind: 'integer',
    default: 60,
    minimum: 0,
    shownDefault: '`60`',
    meaning: 'skew tolerated on `exp`/`nbf`/`iat`',
  }),
  // 1 day: the longest AccessTokenLifetime Entra's configurable token lifetimes allow; at least 10 minutes, their
  // shortest (https://learn.microsoft.com/entra/identity-platform/configurable-token-lifetimes).
  maxTokenLifetimeSeconds: setting({
    variable: 'ENTRA_SHARE_TOKEN_MAX_LIFETIME_SECONDS',
    kind: 'integer',
    default: 86_400,
    minimum: 600,
    shownDefault: '`86400`',
    meaning:
      'longest token lifetime (`exp - iat`) and age accepted (at least `600`); Entra issues 60–90 min, at most 1 day',
  }),
  graphMode: setting({
    variable: 'ENTRA_SHARE_GRAPH_MODE',
    kind: 'choice',
    choices: ['delegated', 'app'],
    default: 'delegated',
    shownDefault: '`delegated`',
    meaning: '`delegated` (On-Behalf-Of the user) or `app` (client credentials)',
  }),
  followUpIdentity: setting({
    variable: 'ENTRA_SHARE_FOLLOW_UP_IDENTITY',
    kind: 'text',
    default: 'app',
    shownDefault: '`app`',
    meaning:
      'whose token runs the follow-up steps: `app` or `delegated` for all, then per-step overrides, e.g. `app,addToGroup=delegated` (steps `updateAttributes`, `addToGroup`, `assignLicense`, `assignAppRole`); `delegated` needs graph mode `delegated`',
  }),
  corsOrigins: setting({
    variable: 'ENTRA_SHARE_CORS_ORIGINS',
    kind: 'origins',
    shownDefault: '(none)',
    meaning: 'exact origins allowed by CORS, comma-separated',
  }),
  redirectOrigins: setting({
    variable: 'ENTRA_SHARE_REDIRECT_ORIGINS',
    kind: 'origins',
    shownDefault: '(none)',
    meaning: 'origins a redirect URL may have',
  }),
  defaultRedirectUrl: setting({
    variable: 'ENTRA_SHARE_DEFAULT_REDIRECT_URL',
    kind: 'https-url',
    allowLoopbackHttp: true,
    shownDefault: '`https://myapplications.microsoft.com/?tenantid={tenant}`',
    meaning: 'where guests land when the request names none',
  }),
  messageLinks: setting({
    variable: 'ENTRA_SHARE_MESSAGE_LINKS',
    kind: 'choice',
    choices: ['none', 'allowlist', 'any'],
    default: 'none',
    shownDefault: '`none`',
    meaning:
      'links in the personal message: `none` (any link refused), `allowlist` (only to the redirect origins), `any`',
  }),
  allowedDomains: setting({
    variable: 'ENTRA_SHARE_ALLOWED_DOMAINS',
    kind: 'domains',
    shownDefault: '',
    meaning: 'email domain allow list (empty: any) and deny list; `*.fabrikam.com` matches its subdomains',
    sharesRowWithNext: ' / ',
  }),
  blockedDomains: setting({
    variable: 'ENTRA_SHARE_BLOCKED_DOMAINS',
    kind: 'domains',
    shownDefault: '',
    meaning: 'email domain deny list; `*.fabrikam.com` matches its subdomains',
  }),
  presetsFile: setting({
    variable: 'ENTRA_SHARE_PRESETS_FILE',
    kind: 'text',
    shownDefault: '',
    meaning:
      'JSON: `[{ "id", "label", "groupIds": [guid], "attributes"?: { "usageLocation": "GB" }, "allowedRoles"?: [role] }]`, and what _Presets_ and _Governance_ describe',
  }),
  databaseUrl: setting({
    variable: 'DATABASE_URL',
    kind: 'text',
    shownDefault: '(embedded PGlite)',
    meaning: 'PostgreSQL; unset: PGlite in `ENTRA_SHARE_DATA_DIR`',
  }),
  dataDir: setting({
    variable: 'ENTRA_SHARE_DATA_DIR',
    kind: 'text',
    default: '.data/bff',
    shownDefault: '`.data/bff`',
    meaning: 'folder of the embedded database',
  }),
  redisUrl: setting({
    variable: 'REDIS_URL',
    kind: 'text',
    shownDefault: '(in memory)',
    meaning:
      'Redis for rate limits and the On-Behalf-Of token cache shared by several instances (keys `entra-share:msal:…`)',
  }),
  rateLimitPerUser: setting({
    variable: 'ENTRA_SHARE_RATE_LIMIT_PER_USER',
    kind: 'integer',
    default: 30,
    minimum: 1,
    shownDefault: '`30`',
    meaning: 'invitations per minute per user (`tid:oid`) and per tenant',
    sharesRowWithNext: ' / ',
  }),
  rateLimitPerTenant: setting({
    variable: 'ENTRA_SHARE_RATE_LIMIT_PER_TENANT',
    kind: 'integer',
    default: 600,
    minimum: 1,
    shownDefault: '`600`',
    meaning: 'invitations per minute per tenant, summed over its users',
  }),
  invitationQuotaPerUser: setting({
    variable: 'ENTRA_SHARE_INVITATION_QUOTA_PER_USER',
    kind: 'integer',
    default: 1000,
    minimum: 1,
    shownDefault: '`1000`',
    meaning:
      'invitations per hour per user, per invitation administrator and per tenant — counted in invitations, bulk rows included (a file that does not fit is refused with `invitation_quota_exceeded`, saying how many rows fit now)',
    sharesRowWithNext: ' / ',
  }),
  invitationQuotaPerAdmin: setting({
    variable: 'ENTRA_SHARE_INVITATION_QUOTA_PER_ADMIN',
    kind: 'integer',
    default: 10000,
    minimum: 1,
    shownDefault: '`10000`',
    meaning: 'invitations per hour per invitation administrator',
    sharesRowWithNext: ' / ',
  }),
  invitationQuotaPerTenant: setting({
    variable: 'ENTRA_SHARE_INVITATION_QUOTA_PER_TENANT',
    kind: 'integer',
    default: 20000,
    minimum: 1,
    shownDefault: '`20000`',
    meaning: 'invitations per hour per tenant, summed over its users',
  }),
  readRateLimitPerUser: setting({
    variable: 'ENTRA_SHARE_READ_RATE_LIMIT_PER_USER',
    kind: 'integer',
    default: 300,
    minimum: 1,
    shownDefault: '`300`',
    meaning: 'reads (`GET /api/…`) per minute per user: reads call Graph, whose budget the whole app shares',
  }),
  userStateCacheSeconds: setting({
    variable: 'ENTRA_SHARE_USER_STATE_CACHE_SECONDS',
    kind: 'integer',
    default: 5,
    minimum: 0,
    shownDefault: '`5`',
    meaning:
      "how long a guest's `externalUserState` read from Graph is reused by `GET /api/invitations/{id}` (`0`: always ask Graph)",
  }),
  emailMode: setting({
    variable: 'ENTRA_SHARE_EMAIL_MODE',
    kind: 'choice',
    choices: ['microsoft', 'smtp', 'none'],
    default: 'microsoft',
    shownDefault: '`microsoft`',
    meaning:
      '`microsoft` (Microsoft emails the guest), `smtp` (the BFF does), `none` (the inviter shares the link)',
  }),
  smtpUrl: setting({
    variable: 'ENTRA_SHARE_SMTP_URL',
    kind: 'text',
    shownDefault: '',
    meaning: 'for email mode `smtp`',
    sharesRowWithNext: ', ',
  }),
  smtpFrom: setting({
    variable: 'ENTRA_SHARE_SMTP_FROM',
    kind: 'text',
    shownDefault: '',
    meaning: "the sender address of the BFF's own invitation email (email mode `smtp`)",
  }),
  emailAppName: setting({
    variable: 'ENTRA_SHARE_EMAIL_APP_NAME',
    kind: 'text',
    shownDefault: '(none: "invited you to collaborate")',
    meaning:
      "the app's name in the BFF's own invitation email (email mode `smtp`): subject, heading and text; one line, at most 100 characters",
  }),
  emailLogoUrl: setting({
    variable: 'ENTRA_SHARE_EMAIL_LOGO_URL',
    kind: 'https-url',
    shownDefault: '(none)',
    meaning: 'an https image shown at the top of that email (displayed 40 px high)',
  }),
  emailBrandColor: setting({
    variable: 'ENTRA_SHARE_EMAIL_BRAND_COLOR',
    kind: 'text',
    default: '#0f6cbd',
    shownDefault: '`#0f6cbd`',
    meaning:
      "its button, link and accent colour, `#rrggbb`; the button's text is white or black, whichever contrasts more",
  }),
  emailAppUrl: setting({
    variable: 'ENTRA_SHARE_EMAIL_APP_URL',
    kind: 'https-url',
    allowLoopbackHttp: true,
    shownDefault: "the invitation's redirect URL",
    meaning:
      'where that email tells the guest to find the app once they have accepted (e.g. the environment URL)',
  }),
  followUpRetrySeconds: setting({
    variable: 'ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS',
    kind: 'integer',
    default: 30,
    minimum: 0,
    shownDefault: '`30`',
    meaning: 'how often partial successes are retried (0: never)',
  }),
  governanceSeconds: setting({
    variable: 'ENTRA_SHARE_GOVERNANCE_SECONDS',
    kind: 'integer',
    default: 60,
    minimum: 0,
    shownDefault: '`60`',
    meaning:
      'how often each instance runs the governance work (claims keep instances apart): requests nobody decided in time denied, sponsors reminded before an expiry, expired access removed, periodic reviews started and defaulted, failed removal steps retried (0: never)',
  }),
  governanceLeaseSeconds: setting({
    variable: 'ENTRA_SHARE_GOVERNANCE_LEASE_SECONDS',
    kind: 'integer',
    default: 300,
    minimum: 5,
    shownDefault: '`300`',
    meaning:
      'how long a removal being carried out stays claimed; after it, another instance retries the steps an instance that died left (a step already done answers 404: done)',
  }),
  acceptanceCheckSeconds: setting({
    variable: 'ENTRA_SHARE_ACCEPTANCE_CHECK_SECONDS',
    kind: 'integer',
    default: 300,
    minimum: 0,
    shownDefault: '`300`',
    meaning:
      'how often guests who have not redeemed yet are checked (up to 200 a run, each at most hourly, for 90 days); a redemption writes the `guest.accepted` event (0: never)',
  }),
  bodyLimitBytes: setting({
    variable: 'ENTRA_SHARE_BODY_LIMIT_BYTES',
    kind: 'integer',
    default: 64 * 1024,
    minimum: 1024,
    shownDefault: '`65536`',
    meaning: 'largest request body',
  }),
  idempotencyLeaseSeconds: setting({
    variable: 'ENTRA_SHARE_IDEMPOTENCY_LEASE_SECONDS',
    kind: 'integer',
    default: 120,
    minimum: 5,
    shownDefault: '`120`',
    meaning:
      'after this long, a retry may take over an Idempotency-Key whose request never finished (its instance died)',
  }),
  webhookUrl: setting({
    variable: 'ENTRA_SHARE_WEBHOOK_URL',
    kind: 'https-url',
    allowLoopbackHttp: true,
    shownDefault: '(none)',
    meaning:
      'a [Standard Webhooks](https://www.standardwebhooks.com/) endpoint every event is posted to, signed (see _Events_); https (http only on 127.0.0.1 or localhost, for development)',
  }),
  webhookSecret: setting({
    variable: 'ENTRA_SHARE_WEBHOOK_SECRET',
    kind: 'text',
    shownDefault: '(required with the URL)',
    meaning:
      'the webhook signing key: `whsec_` and the base64 of 24–64 random bytes (`echo "whsec_$(openssl rand -base64 32)"`); receivers check with `verifyWebhook`',
  }),
  eventRetryHours: setting({
    variable: 'ENTRA_SHARE_EVENT_RETRY_HOURS',
    kind: 'integer',
    default: 72,
    minimum: 1,
    shownDefault: '`72`',
    meaning:
      'how long an undelivered event is retried (webhook and `onGuest`; 5 s, doubling up to 1 h, with jitter) before it is given up',
  }),
  port: setting({
    variable: 'PORT',
    kind: 'integer',
    default: 3001,
    minimum: 0,
    shownDefault: '`3001`',
    meaning: 'server',
    sharesRowWithNext: ', ',
  }),
  host: setting({
    variable: 'HOST',
    kind: 'text',
    default: '127.0.0.1',
    shownDefault: '`127.0.0.1`',
    meaning: 'the address the server listens on',
    sharesRowWithNext: ', ',
  }),
  logLevel: setting({
    variable: 'LOG_LEVEL',
    kind: 'text',
    default: 'info',
    shownDefault: '`info`',
    meaning: "the server's pino log level",
  }),
} as const

/** The bulk invitations' tuning (`readBulkSettings`, called by `loadConfig`), in the README's bulk table order. */
export const bulkSettingsTable = {
  maxFileBytes: setting({
    variable: 'ENTRA_SHARE_BULK_MAX_FILE_BYTES',
    kind: 'positive-number',
    default: 8 * 1024 * 1024,
    shownDefault: '8 MiB',
    meaning: 'largest CSV accepted',
  }),
  maxRows: setting({
    variable: 'ENTRA_SHARE_BULK_MAX_ROWS',
    kind: 'positive-number',
    default: 50_000,
    shownDefault: '`50000`',
    meaning:
      'most data rows in one file; past it nothing more is stored and the upload is refused with the file’s row count (`payload_too_large`)',
  }),
  pollIntervalMs: setting({
    variable: 'ENTRA_SHARE_BULK_POLL_MS',
    kind: 'positive-number',
    default: 1000,
    shownDefault: '`1000`',
    meaning: 'how often an idle worker looks for due rows',
  }),
  concurrency: setting({
    variable: 'ENTRA_SHARE_BULK_CONCURRENCY',
    kind: 'integer',
    default: 16,
    minimum: 1,
    shownDefault: '`16`',
    meaning:
      "batches of 20 each instance keeps in flight, so a slow Graph still gets the app's whole budget; paced by Graph's throttle headers",
  }),
  leaseSeconds: setting({
    variable: 'ENTRA_SHARE_BULK_LEASE_SECONDS',
    kind: 'positive-number',
    default: 120,
    shownDefault: '`120`',
    meaning: 'how long a claimed row may stay `sending` before another instance reconciles it',
  }),
  reconcileSettleSeconds: setting({
    variable: 'ENTRA_SHARE_BULK_RECONCILE_SETTLE_SECONDS',
    kind: 'positive-number',
    default: 30,
    shownDefault: '`30`',
    meaning:
      "a reconciled row not found by address is looked up once more after this wait before it is invited again: Graph's replicas may not show a guest it has just invited",
  }),
  giveUpAfterSeconds: setting({
    variable: 'ENTRA_SHARE_BULK_GIVE_UP_SECONDS',
    kind: 'positive-number',
    default: 900,
    shownDefault: '`900`',
    meaning:
      'a row that keeps failing upstream (5xx, lost answers) is failed only after 10 attempts and this long since its first, retried at most once a minute past the 10th; a throttled (429) request is not an attempt',
  }),
  holderTimeoutSeconds: setting({
    variable: 'ENTRA_SHARE_BULK_HOLDER_TIMEOUT_SECONDS',
    kind: 'positive-number',
    default: 60,
    shownDefault: '`60`',
    meaning: "after this silence from the instance holding an inviter's token, their job pauses",
  }),
  workerEnabled: setting({
    variable: 'ENTRA_SHARE_BULK_WORKER',
    kind: 'boolean',
    default: true,
    shownDefault: '`true`',
    meaning: '`false`: this instance takes uploads but sends nothing',
  }),
} as const

/** The audiences accepted when `ENTRA_SHARE_AUDIENCES` is unset: the client id and `api://{clientId}`. */
export function audiencesFor(clientId: string): string[] {
  return [clientId, `api://${clientId}`]
}

/** Where guests land when `ENTRA_SHARE_DEFAULT_REDIRECT_URL` is unset: My Apps in the inviting tenant. */
export function defaultRedirectUrlFor(tenantId: string): string {
  return `https://myapplications.microsoft.com/?tenantid=${tenantId}`
}

/** One README table row: the variable cell, the default cell and the meaning cell, as markdown. */
export interface SettingsTableRow {
  variable: string
  default: string
  meaning: string
}

/**
 * The README table rows of `table`: one per setting, or one for a run of settings joined by `sharesRowWithNext`.
 *
 * @example
 * settingsTableRows(bulkSettingsTable)[0] // { variable: '`ENTRA_SHARE_BULK_MAX_FILE_BYTES`', default: '8 MiB', … }
 */
export function settingsTableRows(table: Record<string, Setting>): SettingsTableRow[] {
  const rows: SettingsTableRow[] = []
  let run: Setting[] = []
  for (const entry of Object.values(table)) {
    run.push(entry)
    if (entry.sharesRowWithNext) continue
    const separator = run[0]?.sharesRowWithNext ?? ''
    const defaults = run.map((each) => each.shownDefault)
    rows.push({
      variable: run.map((each) => `\`${each.variable}\``).join(separator),
      default: defaults.every((text) => text === '') ? '' : defaults.join(separator),
      meaning: run[0]?.meaning ?? '',
    })
    run = []
  }
  return rows
}
