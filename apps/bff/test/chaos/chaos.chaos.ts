import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BulkJob, bulkRowReasons, type Invitation, isProblemCode } from '@entra-share/contracts'
import type { FaultConfig, RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { Redis } from 'ioredis'
import { decodeJwt } from 'jose'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { oboCachePartition } from '../../src/identity/distributed-token-cache.js'
import { freePort, startBffProcess } from '../bff-process.js'
import { parseResults, portalCsv } from '../bulk/bulk-support.js'
import { seeded, startTestEmulator } from '../support.js'

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const INVITES = 500
/** Rows of the bulk job uploaded to instance A just before the single invites start. */
const BULK_ROWS = 2000
const CONCURRENCY = 16
/** Instance A is killed once this many invites have a definite answer. */
const KILL_AFTER = 100
/** Retries of one invite on 429, 503 and network errors. */
const MAX_FAULT_RETRIES = 8
/**
 * A claim on an Idempotency-Key whose instance died may be taken over after this long
 * (`ENTRA_SHARE_IDEMPOTENCY_LEASE_SECONDS`; 120 s by default, shortened here so the run stays short).
 */
const IDEMPOTENCY_LEASE_SECONDS = 20
/** How long a client keeps asking about a key another instance claimed (`idempotency_in_progress`): a little more. */
const IN_PROGRESS_PATIENCE_MS = (IDEMPOTENCY_LEASE_SECONDS + 30) * 1000
const APP_ORIGIN = 'https://app.contoso.example'
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const packageRoot = join(import.meta.dirname, '..', '..')
const cli = join(packageRoot, 'dist', 'cli.js')

/**
 * About 20 % of Graph requests fail (the rules apply in turn: reset, 503/504, then 429), with a fixed seed so a run
 * repeats; new guests are invisible to reads and `$ref` for 1.5 s, as Graph's replicas are.
 */
const FAULTS: FaultConfig = {
  seed: 7,
  connectionReset: [{ percent: 5 }],
  unavailable: [
    { percent: 5, status: 503, retryAfterSeconds: 1 },
    { percent: 4, status: 504, retryAfterSeconds: 1 },
  ],
  throttle: [{ percent: 7, retryAfterSeconds: 1 }],
  replicationDelayMs: 1500,
}

interface Instance {
  name: 'A' | 'B'
  port: number
  child: ChildProcess
  killed: boolean
  /** A client saw it fail to answer: clients send to the other instance from then on, as a load balancer would. */
  down: boolean
}

/** What one client saw for one invite. */
interface Outcome {
  email: string
  key: string
  status: number
  code: string | null
  invitation: Invitation | null
  attempts: number
}

let emulator: RunningEmulator
let schema: string
let dataDir: string
const instances: Instance[] = []
let graphRequests = 0
const userTokens: string[] = []

beforeAll(async () => {
  if (!existsSync(cli))
    throw new Error(`${cli} is missing: run \`pnpm test:chaos\` (it builds the BFF first).`)
  emulator = await startTestEmulator({ faults: FAULTS })
  // Every Graph request that reached the emulator (a `$batch` counts once; its items replay internally).
  emulator.app.server.on('request', (request: { url?: string }) => {
    if (request.url?.startsWith('/v1.0/')) graphRequests += 1
  })
  schema = `chaos_${process.pid}_${Date.now()}`
  await sql(`CREATE SCHEMA ${schema}`)
  dataDir = mkdtempSync(join(tmpdir(), 'bff-chaos-'))
  writeFileSync(
    join(dataDir, 'presets.json'),
    JSON.stringify([
      {
        id: 'apollo',
        label: 'Project Apollo partners',
        groupIds: [seeded.apolloGroupId],
        attributes: { usageLocation: 'GB' },
      },
    ]),
  )
  const [portA, portB] = [await freePort(), await freePort()]
  // Started one after the other: both run the migrations, and the second finds them applied.
  instances.push(await startInstance('A', portA))
  instances.push(await startInstance('B', portB))
})

afterAll(async () => {
  for (const instance of instances) if (!instance.killed) instance.child.kill('SIGKILL')
  await emulator?.close()
  if (schema) await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  // Only the token-cache partitions of this run's assertions: other runs and tests share this Redis.
  if (userTokens.length > 0) {
    const redis = new Redis(REDIS_URL)
    await redis.del(...userTokens.map(partitionKeyOf))
    await redis.quit()
  }
})

async function sql(text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    return (await client.query(text)).rows
  } finally {
    await client.end()
  }
}

/** `node dist/cli.js` with environment variables only, as an operator runs each instance. */
async function startInstance(name: 'A' | 'B', port: number): Promise<Instance> {
  const databaseUrl = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  const child = await startBffProcess(emulator, {
    port,
    readyPath: '/readyz',
    timeoutSeconds: 60,
    env: {
      LOG_LEVEL: 'fatal',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      ENTRA_SHARE_REDIRECT_ORIGINS: APP_ORIGIN,
      ENTRA_SHARE_DEFAULT_REDIRECT_URL: `${APP_ORIGIN}/welcome`,
      ENTRA_SHARE_PRESETS_FILE: join(dataDir, 'presets.json'),
      ENTRA_SHARE_RATE_LIMIT_PER_USER: '100000',
      ENTRA_SHARE_RATE_LIMIT_PER_TENANT: '100000',
      ENTRA_SHARE_INVITATION_QUOTA_PER_USER: '100000',
      ENTRA_SHARE_INVITATION_QUOTA_PER_ADMIN: '100000',
      ENTRA_SHARE_INVITATION_QUOTA_PER_TENANT: '100000',
      ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS: '0',
      ENTRA_SHARE_IDEMPOTENCY_LEASE_SECONDS: String(IDEMPOTENCY_LEASE_SECONDS),
      // Microsoft emails the guests, so the run can count emails: none may reach an address twice.
      ENTRA_SHARE_EMAIL_MODE: 'microsoft',
      // Short bulk intervals, so rows orphaned by the kill are reconciled within the run.
      ENTRA_SHARE_BULK_POLL_MS: '50',
      ENTRA_SHARE_BULK_LEASE_SECONDS: '5',
      // Longer than the replication delay: an address not found is looked up again before it is invited again.
      ENTRA_SHARE_BULK_RECONCILE_SETTLE_SECONDS: '3',
      ENTRA_SHARE_BULK_HOLDER_TIMEOUT_SECONDS: '5',
    },
  })
  return { name, port, child, killed: false, down: false }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function partitionKeyOf(accessToken: string): string {
  const claims = decodeJwt(accessToken)
  return oboCachePartition(
    { tenantId: String(claims.tid), objectId: String(claims.oid), accessToken },
    { clockToleranceSeconds: 60 },
  ).key
}

function oboRequests(): number {
  return emulator.context.directory
    .tokenRequests()
    .filter((entry) => entry.grantType === OBO_GRANT && entry.clientId === seeded.bffClientId)
    .reduce((sum, entry) => sum + entry.count, 0)
}

/** Client-side counters, printed at the end. */
const figures = {
  requests: { A: 0, B: 0 },
  retries: { network: 0, status429: 0, status503: 0, inProgress: 0 },
  failovers: 0,
}

/**
 * One client's invite, as a well-behaved browser app sends it: one Idempotency-Key for all attempts; on 429, 503 or
 * a network error it waits (`Retry-After`, capped) and retries, moving to the other instance when its own does not
 * answer; `idempotency_in_progress` means another attempt still holds the key, so it asks again later.
 */
async function inviteWithRetries(email: string, token: string, preferred: number): Promise<Outcome> {
  const key = randomUUID()
  const body = JSON.stringify({ email, displayName: 'Chaos Guest', presetId: 'apollo' })
  let target = instances[preferred]?.down ? 1 - preferred : preferred
  let faultRetries = 0
  let attempts = 0
  const patience = Date.now() + IN_PROGRESS_PATIENCE_MS
  for (;;) {
    const instance = instances[target] as Instance
    attempts += 1
    figures.requests[instance.name] += 1
    let response: Response
    try {
      response = await fetch(`http://127.0.0.1:${instance.port}/api/invitations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
        signal: AbortSignal.timeout(60_000),
      })
    } catch {
      figures.retries.network += 1
      if (++faultRetries > MAX_FAULT_RETRIES)
        return { email, key, status: 0, code: null, invitation: null, attempts }
      figures.failovers += 1
      instance.down = true
      target = 1 - target
      await sleep(100)
      continue
    }
    const payload = (await response.json().catch(() => null)) as { code?: string } | null
    const code = response.status >= 400 ? (payload?.code ?? null) : null
    const wait = Math.min(5, Number(response.headers.get('retry-after') ?? '1') || 1) * 1000
    if (response.status === 409 && code === 'idempotency_in_progress' && Date.now() < patience) {
      figures.retries.inProgress += 1
      await sleep(wait)
      continue
    }
    if ((response.status === 429 || response.status === 503) && faultRetries < MAX_FAULT_RETRIES) {
      faultRetries += 1
      figures.retries[response.status === 429 ? 'status429' : 'status503'] += 1
      await sleep(wait)
      continue
    }
    return {
      email,
      key,
      status: response.status,
      code,
      invitation: response.status === 201 ? (payload as Invitation) : null,
      attempts,
    }
  }
}

/** A client watching its bulk job, as the UI does: every second, through whichever instance answers. */
async function watchBulkJob(id: string, token: string, deadlineMs: number): Promise<BulkJob | null> {
  let job: BulkJob | null = null
  while (Date.now() < deadlineMs) {
    const instance = (instances.find((candidate) => !candidate.down) ?? instances[1]) as Instance
    try {
      const response = await fetch(`http://127.0.0.1:${instance.port}/api/bulk-invitations/${id}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      })
      if (response.ok) job = (await response.json()) as BulkJob
      if (job?.status === 'completed') return job
    } catch {
      instance.down = true
    }
    await sleep(1000)
  }
  return job
}

describe('issue 7: chaos — two instances on PostgreSQL and Redis, 20 % Graph faults, one instance killed', () => {
  it('gives every invite a definite answer, invites each address once and loses no row', async () => {
    const started = Date.now()
    const run = `${process.pid}${Date.now().toString(36)}`
    const emails = Array.from({ length: INVITES }, (_, index) => `chaos-${run}-${index}@fabrikam.example`)
    // Two inviters, so the shared cache and the rate limits see more than one user.
    for (const upn of [seeded.inviter.upn, seeded.admin.upn])
      userTokens.push((await signInToSpa(emulator, upn)).access_token)
    const oboBefore = oboRequests()

    const bulkEmails = Array.from(
      { length: BULK_ROWS },
      (_, index) => `chaos-bulk-${run}-${index}@fabrikam.example`,
    )
    const bulkToken = userTokens[0] as string
    const upload = await fetch(`http://127.0.0.1:${(instances[0] as Instance).port}/api/bulk-invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bulkToken}`, 'content-type': 'text/csv' },
      body: portalCsv(bulkEmails.map((email) => [email, '', 'false', ''])),
    })
    expect(upload.status).toBe(202)
    const bulkJobId = ((await upload.json()) as BulkJob).id
    const bulkWatch = watchBulkJob(bulkJobId, bulkToken, started + 240_000)

    const outcomes: Outcome[] = []
    let next = 0
    let killedAtMs: number | null = null
    const client = async () => {
      while (next < emails.length) {
        const index = next++
        const token = userTokens[index % userTokens.length] as string
        outcomes.push(await inviteWithRetries(emails[index] as string, token, index % 2))
        if (outcomes.length >= KILL_AFTER && killedAtMs === null) {
          // Abruptly: no graceful close, requests in flight on A are cut.
          const victim = instances[0] as Instance
          victim.killed = true
          victim.child.kill('SIGKILL')
          killedAtMs = Date.now() - started
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, client))
    const clientSeconds = (Date.now() - started) / 1000
    const bulkJob = await bulkWatch
    const bulkSeconds = (Date.now() - started) / 1000

    // 1. Every invite ended in a definite state: created (completed or partial) or a catalogued, final refusal.
    const undecided = outcomes.filter(
      (outcome) =>
        !(
          (outcome.status === 201 && ['completed', 'partial'].includes(outcome.invitation?.status ?? '')) ||
          (outcome.status >= 400 &&
            outcome.status < 500 &&
            outcome.status !== 429 &&
            outcome.code !== 'idempotency_in_progress' &&
            isProblemCode(outcome.code ?? ''))
        ),
    )
    expect(outcomes).toHaveLength(INVITES)
    expect(undecided).toEqual([])

    // 2. Not duplicated, stated precisely: (a) one guest user per address in the directory; (b) every key replays
    // the very answer its client got (same invitation id), from the surviving instance.
    const survivor = instances[1] as Instance
    const state = (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as {
      tenants: { id: string; users: { mail: string | null; userType: string }[] }[]
      invitations: { invitedUserEmailAddress: string }[]
      injectedFaults: Record<string, number>
    }
    const contoso = state.tenants.find((tenant) => tenant.id === seeded.tenantId)
    const guestsPerAddress = new Map<string, number>()
    for (const user of contoso?.users ?? []) {
      const mail = user.mail?.toLowerCase()
      if (mail?.startsWith(`chaos-${run}-`) || mail?.startsWith(`chaos-bulk-${run}-`))
        guestsPerAddress.set(mail, (guestsPerAddress.get(mail) ?? 0) + 1)
    }
    const created = outcomes.filter((outcome) => outcome.status === 201)
    expect(created.filter((outcome) => guestsPerAddress.get(outcome.email) !== 1)).toEqual([])
    expect([...guestsPerAddress.values()].every((count) => count === 1)).toBe(true)
    const graphInvitationsPerAddress = new Map<string, number>()
    for (const invitation of state.invitations) {
      const address = invitation.invitedUserEmailAddress.toLowerCase()
      if (address.startsWith(`chaos-${run}-`) || address.startsWith(`chaos-bulk-${run}-`))
        graphInvitationsPerAddress.set(address, (graphInvitationsPerAddress.get(address) ?? 0) + 1)
    }

    const replayMismatches: string[] = []
    for (let offset = 0; offset < outcomes.length; offset += CONCURRENCY) {
      await Promise.all(
        outcomes.slice(offset, offset + CONCURRENCY).map(async (outcome) => {
          const token = userTokens[emails.indexOf(outcome.email) % userTokens.length] as string
          const replay = await fetch(`http://127.0.0.1:${survivor.port}/api/invitations`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': outcome.key,
            },
            body: JSON.stringify({ email: outcome.email, displayName: 'Chaos Guest', presetId: 'apollo' }),
          })
          const payload = (await replay.json()) as { id?: string; code?: string }
          const same =
            replay.status === outcome.status &&
            replay.headers.get('idempotent-replayed') === 'true' &&
            (outcome.status === 201 ? payload.id === outcome.invitation?.id : payload.code === outcome.code)
          if (!same) replayMismatches.push(`${outcome.email}: ${outcome.status} then ${replay.status}`)
        }),
      )
    }
    expect(replayMismatches).toEqual([])

    // The bulk job: completed, every row invited (the faults are all transient, and a row failing upstream is given
    // up on only after 15 minutes), no address invited twice.
    expect(bulkJob?.status).toBe('completed')
    expect(bulkJob?.counts).toEqual({ pending: 0, sending: 0, invited: BULK_ROWS, failed: 0, cancelled: 0 })
    const resultsCsv = await fetch(
      `http://127.0.0.1:${survivor.port}/api/bulk-invitations/${bulkJobId}/results.csv`,
      {
        headers: { authorization: `Bearer ${bulkToken}` },
      },
    )
    const [, ...bulkRecords] = parseResults(await resultsCsv.text())
    expect(bulkRecords.map((record) => record[0])).toEqual(bulkEmails)
    const bulkUndecided = bulkRecords.filter(
      (record) =>
        !(
          (record[4] === 'invited' && /^[0-9a-f-]{36}$/.test(record[7] ?? '')) ||
          (record[4] === 'failed' && (bulkRowReasons as string[]).includes(record[5] ?? ''))
        ),
    )
    expect(bulkUndecided).toEqual([])
    const bulkInvited = bulkRecords.filter((record) => record[4] === 'invited')
    expect(bulkInvited.filter((record) => guestsPerAddress.get(String(record[0])) !== 1)).toEqual([])
    const bulkTwice = bulkEmails.filter((email) => (graphInvitationsPerAddress.get(email) ?? 0) > 1)
    expect(bulkTwice).toEqual([])
    // Every bulk guest is an invitation of the job and an app user, by object id, as a single invite's guest is.
    const bulkGuestIds = bulkInvited.map((record) => String(record[7]))
    const recordedRows = await sql(
      `SELECT i.invited_user_id AS id, u.object_id AS app_user FROM ${schema}.invitations i
       LEFT JOIN ${schema}.app_users u ON u.object_id = i.invited_user_id
       WHERE i.bulk_job_id = '${bulkJobId}'`,
    )
    const recorded = new Set(recordedRows.filter((row) => row.app_user !== null).map((row) => String(row.id)))
    expect(bulkGuestIds.filter((id) => !recorded.has(id))).toEqual([])
    expect(recordedRows).toHaveLength(bulkGuestIds.length)

    // 3. No row lost: the shared database holds every invitation a client was told was created.
    const rows = await sql(
      `SELECT id, invited_user_email_address AS email, reinvited FROM ${schema}.invitations`,
    )
    const stored = new Set(rows.map((row) => String(row.id)))
    expect(created.filter((outcome) => !stored.has(outcome.invitation?.id ?? ''))).toEqual([])

    // The figures.
    const byAnswer = new Map<string, number>()
    for (const outcome of outcomes) {
      const label =
        outcome.status === 201 ? `201 ${outcome.invitation?.status}` : `${outcome.status} ${outcome.code}`
      byAnswer.set(label, (byAnswer.get(label) ?? 0) + 1)
    }
    const singleEmails = new Set(emails)
    const singleInvitationRecords = [...graphInvitationsPerAddress]
      .filter(([address]) => singleEmails.has(address))
      .map(([, count]) => count)
    const reinvitedAddresses = singleInvitationRecords.filter((count) => count > 1).length
    // A retry that took over a dead instance's key looks before inviting again: never a second email to a guest.
    const outbox = (await (await fetch(`${emulator.url}/_emulator/outbox`)).json()) as { to: string }[]
    const emailsPerAddress = new Map<string, number>()
    for (const message of outbox) {
      const address = message.to.toLowerCase()
      if (singleEmails.has(address)) emailsPerAddress.set(address, (emailsPerAddress.get(address) ?? 0) + 1)
    }
    expect([...emailsPerAddress].filter(([, count]) => count > 1)).toEqual([])
    const bulkByStatus = new Map<string, number>()
    for (const record of bulkRecords) {
      const label = record[4] === 'failed' ? `failed ${record[5]}` : String(record[4])
      bulkByStatus.set(label, (bulkByStatus.get(label) ?? 0) + 1)
    }
    // Claims per bulk row: Graph's faults are independent, so the tail should fall off geometrically.
    const attemptsHistogram = await sql(
      `SELECT attempts, status, reason, count(*)::int AS rows FROM ${schema}.bulk_rows WHERE job_id = '${bulkJobId}'
       GROUP BY attempts, status, reason ORDER BY attempts`,
    )
    const lines = [
      `chaos: ${INVITES} invites from ${CONCURRENCY} clients over 2 BFF instances (PostgreSQL schema ${schema}, Redis)`,
      `  duration: ${clientSeconds.toFixed(1)} s of client traffic; instance A SIGKILLed at ${((killedAtMs ?? 0) / 1000).toFixed(1)} s, after ${KILL_AFTER} answers`,
      `  client requests: A ${figures.requests.A}, B ${figures.requests.B}; retries: network ${figures.retries.network}, 429 ${figures.retries.status429}, 503 ${figures.retries.status503}, in-progress ${figures.retries.inProgress}; failovers ${figures.failovers}`,
      `  outcomes: ${[...byAnswer].map(([label, count]) => `${label} × ${count}`).join(', ')}`,
      `  Graph requests reaching the emulator: ${graphRequests}; faults injected (replicationDelay counts each hidden-object check): ${Object.entries(
        state.injectedFaults,
      )
        .filter(([, count]) => count > 0)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')}`,
      `  On-Behalf-Of token requests: ${oboRequests() - oboBefore} for ${userTokens.length} user tokens and 2 instances (shared cache)`,
      `  single invites in the directory: one guest per address for ${created.length} created; Graph invitation records ${singleInvitationRecords.reduce((a, b) => a + b, 0)} (${reinvitedAddresses} addresses invited again, silently, after a retry took over a dead instance's key and found no record); Microsoft emails ${[...emailsPerAddress.values()].reduce((a, b) => a + b, 0)}, none twice to one address; BFF rows ${rows.length} (reinvited ${rows.filter((row) => row.reinvited).length})`,
      `  bulk job of ${BULK_ROWS} rows (uploaded to A): ${bulkJob?.status} after ${bulkSeconds.toFixed(1)} s; rows ${[...bulkByStatus].map(([label, count]) => `${label} × ${count}`).join(', ')}; no address invited twice; every invited row an invitation and an app user`,
      `  bulk rows by attempts: ${attemptsHistogram.map((row) => `${row.attempts} ${row.status}${row.reason ? ` ${row.reason}` : ''} × ${row.rows}`).join(', ')}`,
    ]
    console.log(lines.join('\n'))
  })
})
