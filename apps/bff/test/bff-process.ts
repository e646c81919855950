import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { RunningEmulator } from '@entra-share/emulator'

const packageRoot = join(import.meta.dirname, '..')
const cli = join(packageRoot, 'dist', 'cli.js')

/** A process test spawns what ships: `dist/cli.js`, which must be newer than every source file. */
export function assertBuilt(): void {
  const build = 'run `pnpm --filter @entra-share/bff build` first'
  if (!existsSync(cli)) throw new Error(`${cli} is missing: ${build}.`)
  const built = statSync(cli).mtimeMs
  const stale = readdirSync(join(packageRoot, 'src'), { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built,
  )
  if (stale.length > 0) throw new Error(`dist/cli.js is older than src/${stale[0]?.name}: ${build}.`)
}

/** Resolves once `child` has exited (at once if it has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * Starts the built BFF (`node dist/cli.js`) against the emulator as an operator runs it — environment variables
 * only — and waits until `readyPath` answers. `env` adds to or overrides the emulator's settings.
 */
export async function startBffProcess(
  emulator: RunningEmulator,
  options: {
    port: number
    env: Record<string, string | undefined>
    readyPath?: string
    timeoutSeconds?: number
  },
): Promise<ChildProcess> {
  const { tenantId, bffClientId, bffClientSecret, authorityMetadata, graphBaseUrl } = emulator.settings
  const child = spawn(process.execPath, [cli], {
    env: {
      PATH: process.env.PATH,
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
      PORT: String(options.port),
      LOG_LEVEL: 'warn',
      ENTRA_SHARE_TENANT_ID: tenantId,
      ENTRA_SHARE_CLIENT_ID: bffClientId,
      ENTRA_SHARE_CLIENT_SECRET: bffClientSecret,
      ENTRA_SHARE_AUTHORITY_HOST: emulator.url,
      ENTRA_SHARE_AUTHORITY_METADATA: authorityMetadata,
      ENTRA_SHARE_GRAPH_BASE_URL: graphBaseUrl,
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  // PGlite's cold start is about 5 s on an idle machine and several times that on a busy one.
  const timeoutSeconds = options.timeoutSeconds ?? 90
  const deadline = Date.now() + timeoutSeconds * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The BFF on port ${options.port} exited with ${child.exitCode}`)
    try {
      if ((await fetch(`http://127.0.0.1:${options.port}${options.readyPath ?? '/healthz'}`)).ok) return child
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`The BFF on port ${options.port} did not answer within ${timeoutSeconds} s`)
}

/** A port free on 127.0.0.1 right now, for a process about to listen on it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })
}
