import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/** The example app's folder, where `next build` writes `.next/`. */
export const appDir = fileURLToPath(new URL('..', import.meta.url))
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next')

/** The environment of a `next` command: the test's own with `settings`, without telemetry, and not Vitest's NODE_ENV. */
function nextEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...settings, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }
}

/** The `next` commands still running: stopped with their workers when the test process leaves. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL')
})

/** Signals the process group of a `next` command (its workers too), if it still runs. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/** Stops every `next` command the test started (a `next build` cut short by a timeout, say). */
export async function stopNext(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      signalGroup(child, 'SIGTERM')
      const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000)
      if (running.has(child)) await exited
      clearTimeout(killer)
    }),
  )
}

function run(
  args: string[],
  settings: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  // Its own process group, so that stopping it stops the workers it forks.
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: appDir,
    env: nextEnv(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += String(chunk)
  })
  child.stderr?.on('data', (chunk) => {
    output += String(chunk)
  })
  return { child, output: () => output }
}

/** `next build` with the NEXT_PUBLIC_ settings it inlines; rejects with its output when it fails. */
export async function nextBuild(settings: Record<string, string>): Promise<void> {
  const { child, output } = run(['build'], settings)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (code !== 0) throw new Error(`next build exited with ${code}:\n${output()}`)
}

/** `next start` on 127.0.0.1:`port`; resolves with its origin once it answers. */
export async function nextStart(port: number, settings: Record<string, string>): Promise<string> {
  const origin = `http://127.0.0.1:${port}`
  const { child, output } = run(['start', '--hostname', '127.0.0.1', '--port', String(port)], settings)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output()}`)
    const ready = await fetch(origin).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return origin
    if (Date.now() > deadline) throw new Error(`next start did not answer on ${origin}:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
