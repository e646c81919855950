import { randomUUID } from 'node:crypto'
import { signInToSpa } from '@entra-share/emulator/testing'
import { DEFAULT_REDIRECT_URL, startBffProcess } from './bff-process.js'
import { directGraphClient } from './direct-graph-client.js'
import { OBO_GRANT, startEmulatorProcess } from './emulator-process.js'
import { combine, type LoadFigures, printTable, runLoad } from './measure.js'
import { CLOCK_TICKS } from './proc-stats.js'

const INVITES = Number(process.env.BENCH_INVITES ?? 1000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
/** The invites of each path are split into this many rounds, the two paths taking turns (see below). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4))
const WARM_UP = 20
const USER = 'megan@contoso.example'

/** CPU milliseconds each process used during one path's measured rounds. */
interface CpuUse {
  bff: number
  emulator: number
  loadGenerator: number
}

/**
 * `POST /api/invitations` through the BFF against the emulator, and the same Graph calls (lookup by mail, then
 * invite) made directly by a minimal client (msal-node On-Behalf-Of + the Graph SDK) in the same run: their ratio
 * is what the BFF itself adds — token validation, policy, idempotency, persistence — not Graph's latency. The
 * emulator and the BFF (`node dist/cli.js`) each run in a process of their own; the load generator, and the direct
 * client, in this one. Each path is measured in ROUNDS rounds, taking turns (and which goes first alternates), so
 * that whatever else the machine is doing weighs on both alike. The BFF's CPU per invite is its process's
 * utime + stime (/proc) over its measured rounds, divided by their invites.
 */
export async function benchInvitations(): Promise<void> {
  const emulator = await startEmulatorProcess()
  try {
    const bff = await startBffProcess(emulator.remote, { env: { ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS: '0' } })
    try {
      const userToken = (await signInToSpa(emulator.remote, USER)).access_token
      let firstFailure: string | undefined
      const inviteThroughBff = async (email: string) => {
        const response = await fetch(`${bff.url}/api/invitations`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${userToken}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ email, displayName: 'Bench Guest' }),
        })
        if (response.status !== 201) {
          firstFailure ??= `BFF answered ${response.status}: ${(await response.text()).slice(0, 200)}`
          throw new Error(firstFailure)
        }
      }

      const graph = directGraphClient(emulator.remote, userToken)
      const inviteDirectly = async (email: string) => {
        try {
          await graph.api('/users').filter(`mail eq '${email}'`).select('id,userType').get()
          await graph.api('/invitations').post({
            invitedUserEmailAddress: email,
            invitedUserDisplayName: 'Bench Guest',
            inviteRedirectUrl: DEFAULT_REDIRECT_URL,
            sendInvitationMessage: true,
          })
        } catch (error) {
          firstFailure ??= `Graph directly: ${(error as Error).message.slice(0, 200)}`
          throw error
        }
      }

      // Warm each path (JIT, connection pools, token caches) before measuring it. The OBO count covers every
      // request the BFF path made, its warm-up included, where its one token request happens; the direct client's
      // own OBO requests (it uses the same app) happen in its phases and are not counted.
      const paths = {
        bff: { invite: inviteThroughBff, runs: [] as LoadFigures[], cpu: zeroCpu(), obo: 0, sent: 0 },
        direct: { invite: inviteDirectly, runs: [] as LoadFigures[], cpu: zeroCpu(), obo: 0, sent: 0 },
      }
      const phase = async (
        name: keyof typeof paths,
        total: number,
        concurrency: number,
        measured: boolean,
      ) => {
        const path = paths[name]
        const oboBefore = await emulator.tokenRequests(OBO_GRANT)
        const before = { bff: bff.cpuMs(), emulator: emulator.cpuMs(), self: process.cpuUsage() }
        const offset = path.sent
        const figures = await runLoad(total, concurrency, (i) =>
          path.invite(`bench-${name}-${offset + i}@fabrikam.example`),
        )
        const self = process.cpuUsage(before.self)
        const used = { bff: bff.cpuMs() - before.bff, emulator: emulator.cpuMs() - before.emulator }
        path.sent += total
        path.obo += (await emulator.tokenRequests(OBO_GRANT)) - oboBefore
        if (!measured) return
        path.runs.push(figures)
        path.cpu.bff += used.bff
        path.cpu.emulator += used.emulator
        path.cpu.loadGenerator += (self.user + self.system) / 1000
      }
      await phase('bff', WARM_UP, 4, false)
      await phase('direct', WARM_UP, 4, false)
      for (let round = 0; round < ROUNDS; round += 1) {
        const size = Math.floor(((round + 1) * INVITES) / ROUNDS) - Math.floor((round * INVITES) / ROUNDS)
        const order: (keyof typeof paths)[] = round % 2 === 0 ? ['bff', 'direct'] : ['direct', 'bff']
        for (const name of order) await phase(name, size, CONCURRENCY, true)
      }

      const through = combine(paths.bff.runs)
      const direct = combine(paths.direct.runs)
      const perInvite = (ms: number) => (ms / INVITES).toFixed(2)
      const oboCount = paths.bff.obo
      const oboPer1000 = (oboCount / paths.bff.sent) * 1000
      printTable(
        `POST /api/invitations — ${INVITES} invites by one user, concurrency ${CONCURRENCY}, ${ROUNDS} rounds a path taking turns ` +
          '(emulator, BFF and load generator in separate processes)',
        [
          ...figureRows('through the BFF', through),
          ...figureRows('Graph directly', direct),
          ['throughput ratio (direct / BFF)', ratio(direct.requestsPerSecond, through.requestsPerSecond)],
          ['p50 ratio (BFF / direct)', ratio(through.p50Ms, direct.p50Ms)],
          ['p99 ratio (BFF / direct)', ratio(through.p99Ms, direct.p99Ms)],
          [
            'BFF process CPU per invite (ms)',
            `${perInvite(paths.bff.cpu.bff)} (utime + stime over ${INVITES} invites, ${CLOCK_TICKS} ticks/s)`,
          ],
          [
            'emulator CPU per invite (ms)',
            `${perInvite(paths.bff.cpu.emulator)} through the BFF, ${perInvite(paths.direct.cpu.emulator)} directly`,
          ],
          [
            'load generator CPU per invite (ms)',
            `${perInvite(paths.bff.cpu.loadGenerator)} through the BFF, ${perInvite(paths.direct.cpu.loadGenerator)} directly (msal + Graph SDK)`,
          ],
          [
            'OBO token requests',
            `${oboCount} for ${paths.bff.sent} invites through the BFF = ${oboPer1000.toFixed(2)} per 1,000 (goal: 1 per 1,000 or fewer)`,
          ],
        ],
      )
      if (firstFailure) console.log(`  first failure: ${firstFailure}`)
    } finally {
      await bff.stop()
    }
  } finally {
    emulator.close()
  }
}

function zeroCpu(): CpuUse {
  return { bff: 0, emulator: 0, loadGenerator: 0 }
}

function figureRows(label: string, figures: LoadFigures): [string, string][] {
  return [
    [`${label}: requests/s`, figures.requestsPerSecond.toFixed(0)],
    [`${label}: p50 / p99 (ms)`, `${figures.p50Ms.toFixed(1)} / ${figures.p99Ms.toFixed(1)}`],
    [`${label}: failures`, String(figures.failures)],
  ]
}

function ratio(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`
}
