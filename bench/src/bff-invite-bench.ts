import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '@entra-share/bff'
import { configForEmulator } from '@entra-share/bff/testing'
import { startEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { directGraphClient } from './direct-graph-client.js'
import { type LoadFigures, printTable, runLoad } from './measure.js'

const INVITES = Number(process.env.BENCH_INVITES ?? 1000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const WARM_UP = 20
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

/**
 * `POST /api/invitations` through the BFF against the emulator, and the same Graph calls (lookup by mail, then
 * invite) made directly by a minimal client (msal-node On-Behalf-Of + the Graph SDK) in the same run: their ratio
 * is what the BFF itself adds — token validation, policy, idempotency, persistence — not Graph's latency.
 */
export async function benchInvitations(): Promise<void> {
  const emulator = await startEmulator({ dataDir: process.env.ENTRA_SHARE_EMULATOR_DATA })
  const config = configForEmulator(emulator, {
    dataDir: mkdtempSync(join(tmpdir(), 'entra-share-bench-bff-')),
    rateLimits: { perUserPerMinute: 1_000_000, perTenantPerMinute: 1_000_000 },
    followUpRetryIntervalSeconds: 0,
  })
  const app = await buildApp(config)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const bffUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const userToken = (await signInToSpa(emulator, 'megan@contoso.example')).access_token

  const inviteThroughBff = async (email: string) => {
    const response = await fetch(`${bffUrl}/api/invitations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${userToken}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ email, displayName: 'Bench Guest' }),
    })
    if (response.status !== 201) throw new Error(`BFF answered ${response.status}: ${await response.text()}`)
  }

  const graph = directGraphClient(emulator, userToken)
  const inviteDirectly = async (email: string) => {
    await graph.api('/users').filter(`mail eq '${email}'`).select('id,userType').get()
    await graph.api('/invitations').post({
      invitedUserEmailAddress: email,
      invitedUserDisplayName: 'Bench Guest',
      inviteRedirectUrl: config.defaultRedirectUrl,
      sendInvitationMessage: true,
    })
  }

  // Warm each path (JIT, connection pools) before measuring it; the BFF's OBO count includes its warm-up, where
  // its one token request happens.
  const oboBefore = oboRequests(emulator)
  await runLoad(WARM_UP, 4, (i) => inviteThroughBff(`warm-bff-${i}@fabrikam.example`))
  const bff = await runLoad(INVITES, CONCURRENCY, (i) => inviteThroughBff(`bench-bff-${i}@fabrikam.example`))
  const oboCount = oboRequests(emulator) - oboBefore
  const oboPer1000 = (oboCount / (INVITES + WARM_UP)) * 1000
  await runLoad(WARM_UP, 4, (i) => inviteDirectly(`warm-direct-${i}@fabrikam.example`))
  const direct = await runLoad(INVITES, CONCURRENCY, (i) =>
    inviteDirectly(`bench-direct-${i}@fabrikam.example`),
  )

  printTable(`POST /api/invitations — ${INVITES} invites by one user, concurrency ${CONCURRENCY}`, [
    ...figureRows('through the BFF', bff),
    ...figureRows('Graph directly', direct),
    ['throughput ratio (direct / BFF)', ratio(direct.requestsPerSecond, bff.requestsPerSecond)],
    ['p50 ratio (BFF / direct)', ratio(bff.p50Ms, direct.p50Ms)],
    ['p99 ratio (BFF / direct)', ratio(bff.p99Ms, direct.p99Ms)],
    [
      'OBO token requests',
      `${oboCount} for ${INVITES + WARM_UP} invites = ${oboPer1000.toFixed(2)} per 1,000 (goal: 1 per 1,000 or fewer)`,
    ],
  ])
  await app.close()
  await emulator.close()
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

function oboRequests(emulator: Awaited<ReturnType<typeof startEmulator>>): number {
  return emulator.context.directory
    .tokenRequests()
    .filter((count) => count.grantType === OBO_GRANT)
    .reduce((sum, count) => sum + count.count, 0)
}
