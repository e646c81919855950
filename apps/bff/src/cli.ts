#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { ConfigError, loadConfig } from './load-config.js'
import { ensurePgliteCluster } from './platform/pglite-cluster.js'
import { settings } from './settings.js'

const usage = `Usage: entra-share-bff [serve|check] [--port N] [--host H]

  serve   start the BFF (default); configuration from environment variables (see the README)
  check   verify the configuration and credentials against the authority, and the Graph permissions the app
          has against those it needs; one line per check, exit code 1 when any fails

Options: --port (default $PORT or 3001), --host (default $HOST or 127.0.0.1), --help`

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals[0] ?? 'serve'
  if (values.help) {
    console.log(usage)
    return 0
  }
  if (command !== 'serve' && command !== 'check') {
    console.error(`Unknown command '${command}'.\n\n${usage}`)
    return 2
  }
  const portText = values.port ?? process.env[settings.port.variable] ?? String(settings.port.default)
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number from 0 to 65535 (got ${portText}).`)
    return 2
  }
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      return 1
    }
    throw error
  }
  if (command === 'check') {
    const { formatCheckReport, runCheck } = await import('./check/run-check.js')
    const report = await runCheck(config)
    console.log(formatCheckReport(report))
    return report.ok ? 0 : 1
  }
  let cluster: Promise<void> | undefined
  if (!config.databaseUrl) {
    // The embedded database (PGlite) is this process's only WebAssembly. V8 would compile its hot functions a second
    // time with its optimising compiler (TurboFan) as Postgres starts: ~55 MB more resident memory for good (plus
    // 1-2 s of CPU at start-up), for queries that are not the BFF's bottleneck. Set before PGlite compiles anything.
    setFlagsFromString('--liftoff-only')
    // A new data folder gets its cluster copied from the template (or made by initdb in a child process) while the
    // server's modules load, and before the server starts: Fastify gives a plugin 10 s to start, and a first initdb
    // on a busy machine can take longer.
    cluster = ensurePgliteCluster(config.dataDir)
    cluster.catch(() => undefined) // awaited below, after the import
  }
  const { startServer } = await import('./server.js')
  await cluster
  await startServer({
    config,
    port,
    host: values.host ?? process.env[settings.host.variable] ?? settings.host.default,
    logLevel: process.env[settings.logLevel.variable] ?? settings.logLevel.default,
  })
  return -1
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  },
)
