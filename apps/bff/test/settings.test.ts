import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/load-config.js'
import { bulkSettingsTable, type SettingsTableRow, settings, settingsTableRows } from '../src/settings.js'
import { configForEmulator } from '../src/testing/index.js'

const TENANT = 'c0de0000-0000-4000-8000-000000000001'
const CLIENT = 'bff00000-0000-4000-8000-00000000b001'
const minimal = {
  ENTRA_SHARE_TENANT_ID: TENANT,
  ENTRA_SHARE_CLIENT_ID: CLIENT,
  ENTRA_SHARE_CLIENT_SECRET: 's3cret',
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The rows (variable, default, meaning; trimmed) of the first markdown table after `heading` whose header starts with `| variable`. */
function readmeTable(after: string): SettingsTableRow[] {
  const lines = readme.slice(readme.indexOf(after)).split('\n')
  const start = lines.findIndex((line) => /^\|\s*variable\s*\|/.test(line))
  const rows: SettingsTableRow[] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    const [variable = '', defaultText = '', meaning = ''] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim())
    rows.push({ variable, default: defaultText, meaning })
  }
  return rows
}

describe('the settings table (issue 11: one declaration of every variable)', () => {
  it("is the README's configuration table, row by row", () => {
    expect(readmeTable('## Configuration')).toEqual(settingsTableRows(settings))
  })

  it("is the README's bulk table, row by row", () => {
    expect(readmeTable('## Bulk invitations')).toEqual(settingsTableRows(bulkSettingsTable))
  })

  it('declares each variable once', () => {
    const names = [...Object.values(settings), ...Object.values(bulkSettingsTable)].map(
      (each) => each.variable,
    )
    expect(new Set(names).size).toBe(names.length)
  })

  it('gives the emulator configuration the production defaults wherever the emulator needs nothing else', () => {
    const emulator = {
      url: 'https://127.0.0.1:8443',
      settings: {
        tenantId: TENANT,
        authorityMetadata: '{}',
        graphBaseUrl: 'https://127.0.0.1:8443/v1.0',
        bffClientId: CLIENT,
        bffClientSecret: 's3cret',
      },
    }
    const fromEnv = loadConfig(minimal)
    const forEmulator = configForEmulator(emulator)
    for (const field of [
      'audiences',
      'requiredScope',
      'adminRole',
      'clockToleranceSeconds',
      'maxTokenLifetimeSeconds',
      'graphMode',
      'followUpIdentities',
      'messageLinks',
      'allowedDomains',
      'blockedDomains',
      'presets',
      'dataDir',
      'rateLimits',
      'readRateLimitPerUserPerMinute',
      'userStateCacheSeconds',
      'emailMode',
      'followUpRetryIntervalSeconds',
      'governanceIntervalSeconds',
      'acceptanceCheckIntervalSeconds',
      'bodyLimitBytes',
      'idempotencyLeaseSeconds',
    ] as const)
      expect({ [field]: forEmulator[field] }).toEqual({ [field]: fromEnv[field] })
  })

  it('reads the bulk tuning with the rest of the configuration, naming a bad variable', () => {
    expect(loadConfig(minimal).bulk).toBeUndefined()
    expect(
      loadConfig({ ...minimal, ENTRA_SHARE_BULK_POLL_MS: '50', ENTRA_SHARE_BULK_WORKER: 'false' }).bulk,
    ).toEqual({
      pollIntervalMs: 50,
      workerEnabled: false,
    })
    let problems: string[] = []
    try {
      loadConfig({ ...minimal, ENTRA_SHARE_BULK_LEASE_SECONDS: '-1' })
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems
    }
    expect(problems).toEqual(["ENTRA_SHARE_BULK_LEASE_SECONDS must be a positive number, got '-1'."])
  })
})
