import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningEmulator, startEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { BFF_CLI, startBffProcess } from './bff-process.js'
import { printColumns, runLoad } from './measure.js'
import { createPostgresDatabase } from './postgres-database.js'

const INVITES = Number(process.env.BENCH_FOOTPRINT_INVITES ?? 1000)
const CONCURRENCY = 16
/** How long the BFF is left alone once ready before its idle RSS is read. */
const IDLE_MS = Number(process.env.BENCH_FOOTPRINT_IDLE_MS ?? 2000)
const USER = 'megan@contoso.example'

/**
 * The shipped CLI (`dist/cli.js`): the BFF as an operator runs it. BENCH_FOOTPRINT_CLI (or BENCH_BFF_CLI, for every
 * benchmark) measures another build instead (e.g. one from an older commit, to compare).
 */
const cli = process.env.BENCH_FOOTPRINT_CLI ?? BFF_CLI

interface Footprint {
  /** From spawning the process to the first 200 on `/readyz`. */
  readyMs: number
  /** CPU the BFF process used up to then (all its threads): start-up work, whatever else the machine is doing. */
  readyCpuMs: number
  idleRssMb: number
  /** Peak RSS up to the idle sample (VmHWM): what start-up needed, even if it was given back. */
  startPeakMb: number
  afterInvitesRssMb: number
  invitesPerSecond: number
  failures: number
  /** The first failed invite's answer, to say why. */
  firstFailure?: string
}

/**
 * The BFF's footprint on each store, started as its own process (`node dist/cli.js`, environment variables only)
 * against the emulator: time from spawn to the first 200 on `/readyz`, RSS once idle, and RSS after INVITES
 * invitations at concurrency 16. PGlite first on a machine that has never run it (its template cluster is made by
 * initdb in a child process: an empty `XDG_CACHE_HOME`), then on a fresh folder (cluster copied from that template,
 * migrations applied), then on that folder again; PostgreSQL on a fresh database, then on it again.
 */
export async function benchFootprint(): Promise<void> {
  const emulator = await startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA })
  const token = (await signInToSpa(emulator, USER)).access_token
  const scratch = await mkdtemp(join(tmpdir(), 'entra-share-bench-footprint-'))
  const postgres = await createPostgresDatabase()
  const results: [string, Footprint | string][] = []
  try {
    // A cache folder of its own: the first start makes the template there, later fresh folders copy it.
    const cache = { XDG_CACHE_HOME: join(scratch, 'cache') }
    const pglite = (folder: string) => ({ ...cache, ENTRA_SHARE_DATA_DIR: join(scratch, folder) })
    const run = (env: Record<string, string>, label: string) => measure(emulator, token, env, label)
    results.push(['PGlite, first start (initdb)', await run(pglite('first'), 'pglite-first')])
    results.push(['PGlite, fresh folder', await run(pglite('data'), 'pglite-fresh')])
    results.push(['PGlite, existing folder', await run(pglite('data'), 'pglite-again')])
    if (typeof postgres === 'string') {
      results.push(['PostgreSQL', postgres])
    } else {
      const env = { DATABASE_URL: postgres.url }
      results.push(['PostgreSQL, fresh database', await run(env, 'pg-fresh')])
      results.push(['PostgreSQL, existing database', await run(env, 'pg-again')])
    }
  } finally {
    if (typeof postgres !== 'string') await postgres.drop()
    await rm(scratch, { recursive: true, force: true })
    await emulator.close()
  }

  console.log(`\nBFF footprint per store (${cli})`)
  console.log(
    `  its own process, idle ${IDLE_MS / 1000} s after ready, then ${INVITES} invites at concurrency ${CONCURRENCY}`,
  )
  const rows: string[][] = [
    ['', 'ready s', 'CPU s', 'idle RSS MB', 'start peak MB', `RSS after ${INVITES} MB`, 'invites/s'],
  ]
  for (const [label, figures] of results) {
    rows.push(
      typeof figures === 'string'
        ? [label, figures]
        : [
            label,
            (figures.readyMs / 1000).toFixed(2),
            (figures.readyCpuMs / 1000).toFixed(2),
            figures.idleRssMb.toFixed(0),
            figures.startPeakMb.toFixed(0),
            figures.afterInvitesRssMb.toFixed(0),
            `${figures.invitesPerSecond.toFixed(0)}${figures.failures ? ` (${figures.failures} failed)` : ''}`,
          ],
    )
  }
  printColumns(rows)
  for (const [label, figures] of results) {
    if (typeof figures !== 'string' && figures.firstFailure)
      console.log(`  ${label}, first failure: ${figures.firstFailure}`)
  }
  console.log('  Goal on PGlite: idle RSS ≤ 200 MB, ready ≤ 2 s. MB = 10^6 bytes.')
}

async function measure(
  emulator: RunningEmulator,
  token: string,
  storeEnv: Record<string, string>,
  label: string,
): Promise<Footprint> {
  // The hourly invitation quotas count invitations in the database: a second run on one store would hit them
  // (bff-process.ts opens them wide).
  const bff = await startBffProcess(emulator, {
    cli,
    env: { ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS: '0', ...storeEnv },
  })
  try {
    const readyCpuMs = bff.cpuMs()
    await sleep(IDLE_MS)
    const idle = bff.memoryMb()
    let firstFailure: string | undefined
    const load = await runLoad(INVITES, CONCURRENCY, async (i) => {
      const response = await fetch(`${bff.url}/api/invitations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({
          email: `footprint-${label}-${i}@fabrikam.example`,
          displayName: 'Bench Guest',
        }),
      })
      if (response.status !== 201) {
        firstFailure ??= `${response.status} ${(await response.text()).slice(0, 200)}`
        throw new Error(firstFailure)
      }
    })
    return {
      readyMs: bff.readyMs,
      readyCpuMs,
      idleRssMb: idle.rssMb,
      startPeakMb: idle.peakMb,
      afterInvitesRssMb: bff.memoryMb().rssMb,
      invitesPerSecond: load.requestsPerSecond,
      failures: load.failures,
      ...(firstFailure ? { firstFailure } : {}),
    }
  } finally {
    await bff.stop()
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
