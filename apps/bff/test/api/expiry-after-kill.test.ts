import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CreatedInvitation } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, exited, freePort, startBffProcess } from '../bff-process.js'
import { postgresUrl } from '../platform/databases.js'
import { seeded, startTestEmulator } from '../support.js'

/** Guests whose access expires together. */
const GUESTS = 16
/** The emulator answers each group-member removal this late (it acts at once): the expiry run takes seconds. */
const REMOVAL_LATENCY_MS = 250
/** `ENTRA_SHARE_GOVERNANCE_LEASE_SECONDS` (its minimum): the survivor takes over the dead instance's claim this soon. */
const LEASE_SECONDS = 5

let emulator: RunningEmulator
let root: string
let admin: pg.Client
const schema = `bff_test_expiry_kill_${randomBytes(4).toString('hex')}`
const instances: ChildProcess[] = []

beforeAll(async () => {
  assertBuilt()
  root = mkdtempSync(join(tmpdir(), 'bff-expiry-kill-'))
  writeFileSync(
    join(root, 'presets.json'),
    JSON.stringify([
      { id: 'portal', label: 'Partner portal, 30 days', groupIds: [seeded.portalGroupId], accessDays: 30 },
    ]),
  )
  admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  emulator = await startTestEmulator()
})

afterAll(async () => {
  for (const child of instances) child.kill('SIGKILL')
  await Promise.all(instances.map(exited))
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await admin?.end()
  await emulator?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

/** `node dist/cli.js` on the test's PostgreSQL schema, running the governance work every second. */
async function startBff(port: number): Promise<ChildProcess> {
  const databaseUrl = `${postgresUrl}${postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
  const child = await startBffProcess(emulator, {
    port,
    readyPath: '/readyz',
    env: {
      DATABASE_URL: databaseUrl,
      ENTRA_SHARE_PRESETS_FILE: join(root, 'presets.json'),
      ENTRA_SHARE_GOVERNANCE_SECONDS: '1',
      ENTRA_SHARE_GOVERNANCE_LEASE_SECONDS: String(LEASE_SECONDS),
      ENTRA_SHARE_RATE_LIMIT_PER_USER: '1000',
      ENTRA_SHARE_ACCEPTANCE_CHECK_SECONDS: '0',
    },
  })
  instances.push(child)
  return child
}

/** Polls `check` every 25 ms until it holds (throws after `timeoutMs`). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not reached within ${timeoutMs} ms.`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('issue 13 acceptance: an instance killed during an expiry run', () => {
  it('leaves every guest removed from the group exactly once, each invitation.removed written once', async () => {
    const started = Date.now()
    const [portA, portB] = await Promise.all([freePort(), freePort()])
    const [bffA, bffB] = await Promise.all([startBff(portA), startBff(portB)])
    const token = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const run = `${process.pid}${Date.now().toString(36)}`
    const invitations: CreatedInvitation[] = []
    for (let index = 0; index < GUESTS; index += 4) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(4, GUESTS - index) }, async (_, offset) => {
          const email = `expiring-${run}-${index + offset}@fabrikam.example`
          const response = await fetch(`http://127.0.0.1:${portA}/api/invitations`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': `${run}-${index + offset}`,
            },
            body: JSON.stringify({ email, presetId: 'portal' }),
          })
          expect(response.status).toBe(201)
          return (await response.json()) as CreatedInvitation
        }),
      )
      invitations.push(...batch)
    }
    const guests = new Set(invitations.map((invitation) => invitation.invitedUserId))
    const group = emulator.context.directory.tenant(seeded.tenantId)?.groups.get(seeded.portalGroupId)
    if (!group) throw new Error('no portal group')
    expect([...guests].every((guest) => group.members.has(guest))).toBe(true)

    // Every removal of a guest from the group, as the emulator's state changes (a repeated DELETE answers 404
    // without changing it): counted per guest.
    const removals = new Map<string, number>()
    const remove = group.members.delete.bind(group.members)
    group.members.delete = (id: string) => {
      const removed = remove(id)
      if (removed) removals.set(id, (removals.get(id) ?? 0) + 1)
      return removed
    }
    emulator.context.faults.set({
      latency: [{ route: 'DELETE /v1.0/groups/*/members/*/$ref', ms: REMOVAL_LATENCY_MS }],
    })
    // Only the instance that claims the expiries asks for an app token now: A has one from the invites.
    const appTokens = () =>
      emulator.context.directory
        .tokenRequests()
        .filter((entry) => entry.grantType === 'client_credentials' && entry.clientId === seeded.bffClientId)
        .reduce((sum, entry) => sum + entry.count, 0)
    const tokensBefore = appTokens()

    // Their 30 days end now (the term is moved in the database: the processes run on the real clock).
    await admin.query(
      `UPDATE ${schema}.invitations
       SET access_expires_at = now() - interval '1 second',
           access = jsonb_set(access, '{expiresAt}', to_jsonb(to_char((now() - interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
       WHERE id = ANY($1::text[])`,
      [invitations.map((invitation) => invitation.id)],
    )
    await until(() => removals.size >= GUESTS / 4, 10_000)
    const runner = appTokens() === tokensBefore ? bffA : bffB
    const survivor = runner === bffA ? bffB : bffA
    runner.kill('SIGKILL')
    const killedAt = Date.now()
    await exited(runner)
    const removedAtKill = removals.size
    expect(removedAtKill, 'killed in the middle of the run').toBeLessThan(GUESTS)

    // The survivor takes the dead instance's claim over once its lease ends, and finishes every removal.
    const removedInvitations = async () =>
      Number(
        (
          await admin.query(
            `SELECT count(*) AS n FROM ${schema}.invitations WHERE id = ANY($1::text[]) AND status = 'removed'`,
            [invitations.map((invitation) => invitation.id)],
          )
        ).rows[0]?.n,
      )
    await until(async () => (await removedInvitations()) === GUESTS, 20_000)
    const finishedAt = Date.now()
    expect(survivor.exitCode).toBeNull()

    const events = await admin.query<{ invitation_id: string; n: string }>(
      `SELECT invitation_id, count(*) AS n FROM ${schema}.events
       WHERE type = 'invitation.removed' AND invitation_id = ANY($1::text[]) GROUP BY invitation_id`,
      [invitations.map((invitation) => invitation.id)],
    )
    console.log(
      [
        `expiry after SIGKILL: ${GUESTS} guests expired on 2 instances (PostgreSQL schema ${schema}), removals answered after ${REMOVAL_LATENCY_MS} ms`,
        `  the ${runner === bffA ? 'first' : 'second'} instance ran the expiry and was killed after ${removedAtKill} removals; the other finished ${(
          (finishedAt - killedAt) / 1000
        ).toFixed(
          1,
        )} s later (lease ${LEASE_SECONDS} s); whole test ${((finishedAt - started) / 1000).toFixed(1)} s`,
      ].join('\n'),
    )

    // Each guest left the group exactly once, none was missed; each removal was announced exactly once.
    expect(new Map([...guests].map((guest) => [guest, removals.get(guest)]))).toEqual(
      new Map([...guests].map((guest) => [guest, 1])),
    )
    expect([...guests].filter((guest) => group.members.has(guest))).toEqual([])
    expect(new Map(events.rows.map((row) => [row.invitation_id, Number(row.n)]))).toEqual(
      new Map(invitations.map((invitation) => [invitation.id, 1])),
    )
  }, 60_000)
})
