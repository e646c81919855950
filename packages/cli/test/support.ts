import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from '@entra-share/bff'
import { configForEmulator } from '@entra-share/bff/testing'
import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import { defaultSeedIds, type RunningEmulator, startEmulator } from '@entra-share/emulator'
import { parse } from 'csv-parse/sync'

/** The built bin, as a user runs it (`turbo test` builds it first). */
export const CLI_PATH = resolve(fileURLToPath(new URL('.', import.meta.url)), '../dist/cli.js')

/** An emulator, and the BFF built on it listening on 127.0.0.1 with a short bulk worker interval. */
export interface Stack {
  emulator: RunningEmulator
  bff: Awaited<ReturnType<typeof buildApp>>
  bffUrl: string
  /** A folder for this run's CSV and results files. */
  dir: string
  close(): Promise<void>
}

export async function startStack(): Promise<Stack> {
  const emulator = await startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA })
  const dir = mkdtempSync(join(tmpdir(), 'entra-share-cli-'))
  const bff = await buildApp(
    configForEmulator(emulator, {
      dataDir: join(dir, 'bff-data'),
      followUpRetryIntervalSeconds: 0,
      rateLimits: { perUserPerMinute: 1000, perTenantPerMinute: 10_000 },
      readRateLimitPerUserPerMinute: 100_000,
    }),
    { bulk: { pollIntervalMs: 50 } },
  )
  const bffUrl = await bff.listen({ host: '127.0.0.1', port: 0 })
  return {
    emulator,
    bff,
    bffUrl,
    dir,
    async close() {
      await bff.close()
      await emulator.close()
    },
  }
}

/** The portal's template as it downloads (version row, headers, example row), then one row per address. */
export function portalCsv(addresses: readonly string[]): string {
  const example =
    'Example:    myemail@contoso.com,https://myapplications.microsoft.com,true,Hello! You are invited to join my organization.'
  const rows = addresses.map((address) => `${address},,true,"Welcome, partner"`)
  return [bulkTemplateVersionRow, bulkTemplateHeaders.portal.join(','), example, ...rows, ''].join('\r\n')
}

/** `count` addresses on a partner domain, unique per run. */
export function addresses(count: number, prefix: string): string[] {
  const run = `${process.pid}${Date.now().toString(36)}`
  return Array.from({ length: count }, (_, index) => `${prefix}-${run}-${index}@fabrikam.example`)
}

export function writeCsv(stack: Stack, name: string, text: string): string {
  const path = join(stack.dir, name)
  writeFileSync(path, text)
  return path
}

/** The results CSV as records, header first. */
export function parseResults(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][]
}

/** How many times the emulator was asked to invite each address (lower-cased). */
export async function invitationsPerAddress(emulator: RunningEmulator): Promise<Map<string, number>> {
  const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as {
    invitations: { invitedUserEmailAddress: string }[]
  }
  const counts = new Map<string, number>()
  for (const { invitedUserEmailAddress } of state.invitations) {
    const key = invitedUserEmailAddress.toLowerCase()
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** Settings for the device code flow against the emulator, as a user would export them. */
export function deviceCodeEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    ENTRA_SHARE_AUTHORITY: emulator.settings.authority,
    ENTRA_SHARE_AUTHORITY_METADATA: emulator.settings.authorityMetadata,
    ENTRA_SHARE_CLI_CLIENT_ID: defaultSeedIds.cliClientId,
    ENTRA_SHARE_BFF_SCOPE: defaultSeedIds.bffScope,
  }
}

/** A finished CLI run. */
export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** A running CLI process: its output so far, a way to wait for a line, and its end. */
export interface CliProcess {
  child: ChildProcess
  output(): string
  /** Resolves with the first match of `pattern` in stdout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>
  done: Promise<CliRun>
}

/**
 * Starts the built CLI with `args`, a clean environment (no ENTRA_SHARE_* of the developer's) plus `env`, and the
 * test CA in NODE_EXTRA_CA_CERTS.
 */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('ENTRA_SHARE_')),
  )
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...inherited, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const listener of listeners) listener()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<CliRun>((resolveRun) => {
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }))
  })
  return {
    child,
    output: () => stdout,
    done,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = pattern.exec(stdout)
          if (!match) return false
          listeners.delete(check)
          clearTimeout(timer)
          resolveMatch(match)
          return true
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`no ${pattern} in the CLI's output:\n${stdout}\n${stderr}`))
        }, timeoutMs)
        if (!check()) listeners.add(check)
        void done.then(() => {
          if (listeners.has(check)) {
            listeners.delete(check)
            clearTimeout(timer)
            reject(new Error(`the CLI ended without printing ${pattern}:\n${stdout}\n${stderr}`))
          }
        })
      })
    },
  }
}

/** Runs the built CLI to its end. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return startCli(args, env).done
}
