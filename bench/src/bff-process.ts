/**
 * The BFF as an operator runs it — the built CLI (`node dist/cli.js`) in a process of its own, configured by
 * environment variables only — against the emulator. Every benchmark that measures the BFF starts it here, so the
 * environment it gets is written once.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunningEmulator } from '@entra-share/emulator'
import { cpuMs, memoryMb } from './proc-stats.js'

/** The origin the BFF lets guests be redirected to, and where they land by default. */
export const APP_ORIGIN = 'https://app.contoso.example'
export const DEFAULT_REDIRECT_URL = `${APP_ORIGIN}/welcome`

/**
 * The shipped CLI (`dist/cli.js`, beside the package's main entry). BENCH_BFF_CLI measures another build instead
 * (e.g. one from an older commit, to compare).
 */
export const BFF_CLI =
  process.env.BENCH_BFF_CLI ?? join(dirname(fileURLToPath(import.meta.resolve('@entra-share/bff'))), 'cli.js')

/**
 * The BFF's rate limits and hourly invitation quotas opened wide: the limits are not what the benchmarks measure,
 * and a quota counts invitations already in the database, so a second run on one store would hit it.
 */
export const UNLIMITED_ENV = {
  ENTRA_SHARE_RATE_LIMIT_PER_USER: '1000000',
  ENTRA_SHARE_RATE_LIMIT_PER_TENANT: '1000000',
  ENTRA_SHARE_READ_RATE_LIMIT_PER_USER: '1000000',
  ENTRA_SHARE_INVITATION_QUOTA_PER_USER: '1000000',
  ENTRA_SHARE_INVITATION_QUOTA_PER_ADMIN: '1000000',
  ENTRA_SHARE_INVITATION_QUOTA_PER_TENANT: '1000000',
} as const

export interface BffProcessOptions {
  /** Added to, or overriding, the environment below. Without `ENTRA_SHARE_DATA_DIR` or `DATABASE_URL`, the BFF
   * gets a fresh PGlite folder of its own, removed by `stop`. */
  env?: Record<string, string>
  /** Another build's CLI; default BFF_CLI. */
  cli?: string
  /** @default 120 */
  readyTimeoutSeconds?: number
  /** Preload `heap-probe.cjs` (with `--expose-gc`, over an IPC channel), so that `liveMemory` can be asked. */
  heapProbe?: boolean
}

/** What the BFF's main thread still holds after a full garbage collection, MB (10^6 bytes). */
export interface LiveMemory {
  heapUsedMb: number
  arrayBuffersMb: number
  /** The resident set just after that collection (all threads). */
  rssMb: number
}

export interface BffProcess {
  url: string
  pid: number
  child: ChildProcess
  /** From the spawn to the first 200 on `/readyz`. */
  readyMs: number
  /** CPU the process has used so far (utime + stime, all threads), ms. */
  cpuMs(): number
  /** Its resident set now and its peak so far, MB (10^6 bytes). */
  memoryMb(): { rssMb: number; peakMb: number }
  /** A full collection in the BFF, then what is live (only with `heapProbe`). */
  liveMemory(): Promise<LiveMemory>
  /** SIGTERM (SIGKILL after 15 s), then the folder made for it, if any, is removed. */
  stop(): Promise<void>
}

/** Starts the BFF against `emulator` on a free port and waits until `/readyz` answers 200. */
export async function startBffProcess(
  emulator: RunningEmulator,
  options: BffProcessOptions = {},
): Promise<BffProcess> {
  const extra = options.env ?? {}
  const scratch =
    extra.ENTRA_SHARE_DATA_DIR || extra.DATABASE_URL
      ? undefined
      : await mkdtemp(join(tmpdir(), 'entra-share-bench-bff-'))
  const port = await freePort()
  const { tenantId, bffClientId, bffClientSecret, authorityMetadata, graphBaseUrl } = emulator.settings
  const started = performance.now()
  // To look inside the BFF while a benchmark runs, e.g. BENCH_BFF_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
  const nodeArgs = process.env.BENCH_BFF_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  if (options.heapProbe)
    nodeArgs.push('--expose-gc', '--require', fileURLToPath(new URL('./heap-probe.cjs', import.meta.url)))
  const child = spawn(process.execPath, [...nodeArgs, options.cli ?? BFF_CLI], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ENTRA_SHARE_TENANT_ID: tenantId,
      ENTRA_SHARE_CLIENT_ID: bffClientId,
      ENTRA_SHARE_CLIENT_SECRET: bffClientSecret,
      ENTRA_SHARE_AUTHORITY_HOST: emulator.url,
      ENTRA_SHARE_AUTHORITY_METADATA: authorityMetadata,
      ENTRA_SHARE_GRAPH_BASE_URL: graphBaseUrl,
      ENTRA_SHARE_REQUIRED_ROLES: 'Invitations.Send.All',
      ENTRA_SHARE_REDIRECT_ORIGINS: APP_ORIGIN,
      ENTRA_SHARE_DEFAULT_REDIRECT_URL: DEFAULT_REDIRECT_URL,
      ...UNLIMITED_ENV,
      // glibc's malloc tunables (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, …), to measure their effect on memory.
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('MALLOC_'))),
      ...(scratch ? { ENTRA_SHARE_DATA_DIR: scratch } : {}),
      ...extra,
    },
    stdio: ['ignore', 'ignore', 'inherit', ...(options.heapProbe ? (['ipc'] as const) : [])],
  })
  let stopping = false
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      // Said at once: the benchmark's next request would only report a refused connection.
      if (!stopping) console.error(`The BFF (pid ${child.pid}) exited unasked: ${code ?? signal}.`)
      resolve()
    }),
  )
  const stop = async () => {
    stopping = true
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
    if (scratch) await rm(scratch, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  try {
    await waitReady(child, `${url}/readyz`, options.readyTimeoutSeconds ?? 120)
  } catch (error) {
    await stop()
    throw error
  }
  const pid = child.pid ?? Number.NaN
  return {
    url,
    pid,
    child,
    readyMs: performance.now() - started,
    cpuMs: () => cpuMs(pid),
    memoryMb: () => memoryMb(pid),
    liveMemory: () => askHeapProbe(child),
    stop,
  }
}

/** Asks `heap-probe.cjs` in the BFF for a full collection and what is live after it. */
function askHeapProbe(child: ChildProcess): Promise<LiveMemory> {
  if (!child.send)
    return Promise.reject(new Error('Start the BFF with heapProbe to ask for its live memory.'))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage)
      reject(new Error('The BFF did not answer the heap probe within 30 s.'))
    }, 30_000)
    const onMessage = (message: { heapProbe?: { heapUsed: number; arrayBuffers: number; rss: number } }) => {
      const probe = message.heapProbe
      if (!probe) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve({
        heapUsedMb: probe.heapUsed / 1e6,
        arrayBuffersMb: probe.arrayBuffers / 1e6,
        rssMb: probe.rss / 1e6,
      })
    }
    child.on('message', onMessage)
    child.send?.({ heapProbe: true })
  })
}

async function waitReady(child: ChildProcess, readyUrl: string, timeoutSeconds: number): Promise<void> {
  // PGlite's first start (initdb) takes seconds on an idle machine and several times that on a busy one.
  const deadline = Date.now() + timeoutSeconds * 1000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`The BFF exited (${child.exitCode ?? child.signalCode}) before it was ready`)
    try {
      if ((await fetch(readyUrl)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`The BFF was not ready within ${timeoutSeconds} s (${readyUrl})`)
}

/**
 * A port free on 127.0.0.1 right now, below Linux's ephemeral range (32768+), where an outgoing connection could
 * take it before the BFF listens.
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error('No free port found between 20000 and 32000')
}
