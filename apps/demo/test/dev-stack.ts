import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** `pnpm dev`'s stack (scripts/dev.mjs) started as a newcomer would, on free ports and fresh data folders. */
export interface DevStack {
  demoUrl: string
  emulatorUrl: string
  bffUrl: string
  /** The BFF's embedded database folder. */
  bffDataDir: string
  /** The demo's own data folder (its project members table). */
  demoDataDir: string
  output(): string
  /** Ctrl-C: resolves with the exit code. */
  stop(): Promise<number | null>
}

export async function startDevStack(): Promise<DevStack> {
  const [emulatorPort, bffPort, demoPort] = await Promise.all([freePort(), freePort(), freePort()])
  const bffDataDir = mkdtempSync(join(tmpdir(), 'entra-share-demo-bff-'))
  const demoDataDir = mkdtempSync(join(tmpdir(), 'entra-share-demo-data-'))
  const script = fileURLToPath(new URL('../scripts/dev.mjs', import.meta.url))
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      ENTRA_SHARE_EMULATOR_PORT: String(emulatorPort),
      ENTRA_SHARE_BFF_PORT: String(bffPort),
      ENTRA_SHARE_DEMO_PORT: String(demoPort),
      ENTRA_SHARE_DATA_DIR: bffDataDir,
      ENTRA_SHARE_DEMO_DATA_DIR: demoDataDir,
      // The child re-runs itself trusting the CA; make it decide that for itself, as `pnpm dev` does.
      NODE_EXTRA_CA_CERTS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += String(chunk)
  })
  child.stderr?.on('data', (chunk) => {
    output += String(chunk)
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const deadline = Date.now() + 120_000
  while (!/entra-share demo: (\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`pnpm dev's stack exited:\n${output}`)
    if (Date.now() > deadline) throw new Error(`pnpm dev's stack did not start in time:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    demoUrl: /entra-share demo: (\S+)/.exec(output)?.[1] ?? '',
    emulatorUrl: `https://127.0.0.1:${emulatorPort}`,
    bffUrl: `http://127.0.0.1:${bffPort}`,
    bffDataDir,
    demoDataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT')
      return exited
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
