import { ConfigError } from '../load-config.js'

/** Tuning of bulk invitations; the defaults suit production, tests shorten the intervals. */
export interface BulkSettings {
  /** Milliseconds between looks for due rows when the worker is idle. @default 1000 */
  pollIntervalMs: number
  /** Seconds a claimed row stays `sending` before another instance presumes its claimer dead. @default 120 */
  leaseSeconds: number
  /** Seconds after which a delegated job whose token holder went silent is paused for re-authentication. @default 60 */
  holderTimeoutSeconds: number
  /** Largest CSV accepted, bytes. @default 8 MiB */
  maxFileBytes: number
  /** Runs the worker on this instance. @default true */
  workerEnabled: boolean
}

export const DEFAULT_BULK_SETTINGS: BulkSettings = {
  pollIntervalMs: 1000,
  leaseSeconds: 120,
  holderTimeoutSeconds: 60,
  maxFileBytes: 8 * 1024 * 1024,
  workerEnabled: true,
}

const VARIABLES: [keyof BulkSettings, string][] = [
  ['pollIntervalMs', 'ENTRA_SHARE_BULK_POLL_MS'],
  ['leaseSeconds', 'ENTRA_SHARE_BULK_LEASE_SECONDS'],
  ['holderTimeoutSeconds', 'ENTRA_SHARE_BULK_HOLDER_TIMEOUT_SECONDS'],
  ['maxFileBytes', 'ENTRA_SHARE_BULK_MAX_FILE_BYTES'],
]

/**
 * Bulk settings from `ENTRA_SHARE_BULK_*` variables over the defaults; a bad value throws a `ConfigError` naming
 * the variable.
 *
 * @example
 * bulkSettingsFromEnv({ ENTRA_SHARE_BULK_POLL_MS: '50' }).pollIntervalMs // 50
 */
export function bulkSettingsFromEnv(env: Record<string, string | undefined>): BulkSettings {
  const settings: BulkSettings = { ...DEFAULT_BULK_SETTINGS }
  const problems: string[] = []
  for (const [field, name] of VARIABLES) {
    const text = env[name]
    if (text === undefined || text.trim() === '') continue
    const value = Number(text)
    if (!(Number.isFinite(value) && value > 0))
      problems.push(`${name} must be a positive number, got '${text}'.`)
    else (settings[field] as number) = value
  }
  const worker = env.ENTRA_SHARE_BULK_WORKER
  if (worker !== undefined && worker !== '') {
    if (worker !== 'true' && worker !== 'false')
      problems.push(`ENTRA_SHARE_BULK_WORKER must be true or false, got '${worker}'.`)
    else settings.workerEnabled = worker === 'true'
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return settings
}
