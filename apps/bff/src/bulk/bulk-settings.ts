import { bulkSettingsTable as table } from '../settings.js'

/** Tuning of bulk invitations; the defaults suit production, tests shorten the intervals. */
export interface BulkSettings {
  /** Milliseconds between looks for due rows when the worker is idle. @default 1000 */
  pollIntervalMs: number
  /** Batches (of up to 20 rows) each instance keeps in flight, paced by Graph's throttle headers. @default 16 */
  concurrency: number
  /** Seconds a claimed row stays `sending` before another instance presumes its claimer dead. @default 120 */
  leaseSeconds: number
  /**
   * Seconds between the two lookups by address that must both miss before a reconciled row is invited again (Graph's
   * replicas may not show a guest it has just invited). @default 30
   */
  reconcileSettleSeconds: number
  /**
   * Seconds a row failing upstream is retried, from its first attempt, before it is failed (and not before its 10th
   * attempt). @default 900
   */
  giveUpAfterSeconds: number
  /** Seconds after which a delegated job whose token holder went silent is paused for re-authentication. @default 60 */
  holderTimeoutSeconds: number
  /** Largest CSV accepted, bytes. @default 8 MiB */
  maxFileBytes: number
  /** Most data rows in one file. @default 50000 */
  maxRows: number
  /** Runs the worker on this instance. @default true */
  workerEnabled: boolean
}

/** The defaults, from the settings table (`settings.ts`). */
export const DEFAULT_BULK_SETTINGS: BulkSettings = {
  pollIntervalMs: table.pollIntervalMs.default,
  concurrency: table.concurrency.default,
  leaseSeconds: table.leaseSeconds.default,
  reconcileSettleSeconds: table.reconcileSettleSeconds.default,
  giveUpAfterSeconds: table.giveUpAfterSeconds.default,
  holderTimeoutSeconds: table.holderTimeoutSeconds.default,
  maxFileBytes: table.maxFileBytes.default,
  maxRows: table.maxRows.default,
  workerEnabled: table.workerEnabled.default,
}

const NUMBERS = [
  'pollIntervalMs',
  'leaseSeconds',
  'reconcileSettleSeconds',
  'giveUpAfterSeconds',
  'holderTimeoutSeconds',
  'maxFileBytes',
  'maxRows',
] as const

/**
 * The bulk settings set in `ENTRA_SHARE_BULK_*` variables (only those), each bad value one line in `problems`
 * naming the variable. `loadConfig` reads them with the rest of the configuration.
 *
 * @example
 * readBulkSettings({ ENTRA_SHARE_BULK_POLL_MS: '50' }, problems) // { pollIntervalMs: 50 }
 */
export function readBulkSettings(
  env: Record<string, string | undefined>,
  problems: string[],
): Partial<BulkSettings> {
  const settings: Partial<BulkSettings> = {}
  for (const field of NUMBERS) {
    const name = table[field].variable
    const text = env[name]
    if (text === undefined || text.trim() === '') continue
    const value = Number(text)
    if (!(Number.isFinite(value) && value > 0))
      problems.push(`${name} must be a positive number, got '${text}'.`)
    else settings[field] = value
  }
  const concurrencyName = table.concurrency.variable
  const concurrency = env[concurrencyName]
  if (concurrency !== undefined && concurrency.trim() !== '') {
    const value = Number(concurrency)
    if (!(Number.isInteger(value) && value >= table.concurrency.minimum))
      problems.push(
        `${concurrencyName} must be a whole number of at least ${table.concurrency.minimum}, got '${concurrency}'.`,
      )
    else settings.concurrency = value
  }
  const workerName = table.workerEnabled.variable
  const worker = env[workerName]
  if (worker !== undefined && worker !== '') {
    if (worker !== 'true' && worker !== 'false')
      problems.push(`${workerName} must be true or false, got '${worker}'.`)
    else settings.workerEnabled = worker === 'true'
  }
  return settings
}
