import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CreatedInvitation, EventLogEntry, EventPage } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, exited, freePort, startBffProcess } from '../bff-process.js'
import { invitationsPerAddress } from '../bulk/bulk-support.js'
import { seeded, startTestEmulator } from '../support.js'
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from './webhook-receiver.js'

/**
 * Invitations in flight when the BFF is killed: the first ones wait on their follow-ups (recorded, their
 * `invitation.created` delivered), the last one on Graph's answer to its invitation (invited, not recorded yet).
 */
const INVITES = 3
/**
 * How long the emulator holds back its answers to the follow-up writes (the preset's attributes, its group) and,
 * for the last invitation, to `POST /invitations`: it acts at once and answers late, so the requests are mid-saga.
 */
const FOLLOW_UP_LATENCY_MS = 8000
const INVITE_LATENCY_MS = 5000
/** After the restart the receiver holds each `invitation.created` this long: a later event sent meanwhile shows. */
const CREATED_ANSWER_DELAY_MS = 300
/** `ENTRA_SHARE_IDEMPOTENCY_LEASE_SECONDS` (its minimum): a retry takes over the dead request's key this soon. */
const IDEMPOTENCY_LEASE_SECONDS = 5
const APP_ORIGIN = 'https://app.contoso.example'

let emulator: RunningEmulator
let receiver: WebhookReceiver
let root: string
let bff: ChildProcess | undefined

beforeAll(async () => {
  assertBuilt()
  root = mkdtempSync(join(tmpdir(), 'bff-webhook-kill-'))
  writeFileSync(
    join(root, 'presets.json'),
    JSON.stringify([
      {
        id: 'apollo',
        label: 'Project Apollo partners',
        groupIds: [seeded.apolloGroupId],
        attributes: { usageLocation: 'GB' },
      },
    ]),
  )
  emulator = await startTestEmulator()
  receiver = await startWebhookReceiver(TEST_WEBHOOK_SECRET)
})

afterAll(async () => {
  bff?.kill('SIGKILL')
  await receiver?.close()
  await emulator?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

/** `node dist/cli.js` on the PGlite folder under `root`, delivering to the receiver, as an operator runs it. */
function startBff(port: number): Promise<ChildProcess> {
  return startBffProcess(emulator, {
    port,
    readyPath: '/readyz',
    env: {
      ENTRA_SHARE_DATA_DIR: join(root, 'pglite'),
      ENTRA_SHARE_PRESETS_FILE: join(root, 'presets.json'),
      ENTRA_SHARE_REDIRECT_ORIGINS: APP_ORIGIN,
      ENTRA_SHARE_DEFAULT_REDIRECT_URL: `${APP_ORIGIN}/welcome`,
      ENTRA_SHARE_WEBHOOK_URL: receiver.url,
      ENTRA_SHARE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      ENTRA_SHARE_FOLLOW_UP_RETRY_SECONDS: '1',
      ENTRA_SHARE_IDEMPOTENCY_LEASE_SECONDS: String(IDEMPOTENCY_LEASE_SECONDS),
      // Nobody redeems here: no guest.accepted to wait for, and no Graph reads beside the saga's.
      ENTRA_SHARE_ACCEPTANCE_CHECK_SECONDS: '0',
    },
  })
}

/** The tenant's whole event log through `GET /api/events` (an admin's view of the BFF's database), oldest first. */
async function eventLog(port: number, adminToken: string): Promise<EventLogEntry[]> {
  const entries: EventLogEntry[] = []
  let cursor: string | undefined
  do {
    const url = new URL(`http://127.0.0.1:${port}/api/events`)
    url.searchParams.set('limit', '100')
    if (cursor !== undefined) url.searchParams.set('cursor', cursor)
    const response = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } })
    if (response.status !== 200)
      throw new Error(`GET /api/events answered ${response.status}: ${await response.text()}`)
    const page = (await response.json()) as EventPage
    entries.push(...page.items)
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return entries.sort((a, b) => a.seq - b.seq)
}

/**
 * Polls `check` every `intervalMs` until it holds (throws after `timeoutMs`): `GET /api/events` counts against the
 * admin's read rate limit (300 a minute), so the log is not read at `eventually`'s pace.
 */
async function until(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not reached within ${timeoutMs} ms.`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

const webhookState = (entry: EventLogEntry) =>
  entry.deliveries.find((delivery) => delivery.destination === 'webhook')?.state

interface Invite {
  email: string
  key: string
  body: string
}

function post(port: number, token: string, invite: Invite): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/invitations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': invite.key,
    },
    body: invite.body,
  })
}

describe('issue 12 acceptance: events of a BFF killed mid-saga', () => {
  it('reach the webhook receiver, each once after deduplication by webhook-id, in order, none missing', async () => {
    const started = Date.now()
    const port = await freePort()
    bff = await startBff(port)
    const bootedMs = Date.now() - started
    const inviterToken = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const adminToken = (await signInToSpa(emulator, seeded.admin.upn)).access_token // Invitations.Admin

    const run = `${process.pid}${Date.now().toString(36)}`
    const invites: Invite[] = Array.from({ length: INVITES }, (_, index) => {
      const email = `killed-${run}-${index}@fabrikam.example`
      return {
        email,
        key: randomUUID(),
        body: JSON.stringify({ email, displayName: `Killed ${index}`, presetId: 'apollo' }),
      }
    })
    const recordedFirst = invites.slice(0, -1)
    const unrecorded = invites.at(-1) as Invite
    const attempt = (invite: Invite) =>
      post(port, inviterToken, invite).then(
        async (response) => `${response.status} ${await response.text()}`,
        (error: unknown) => `no answer (${(error as Error).message})`,
      )
    const followUpLatency = [
      { route: 'PATCH /v1.0/users/*', ms: FOLLOW_UP_LATENCY_MS },
      { route: 'POST /v1.0/groups/*/members/$ref', ms: FOLLOW_UP_LATENCY_MS },
    ]

    // The first invitations: Graph invites at once, then each request waits on its follow-up writes. They are
    // recorded, and their invitation.created goes out and is recorded delivered.
    emulator.context.faults.set({ latency: followUpLatency })
    const firstAttempts = recordedFirst.map(attempt)
    await until(async () => {
      const log = await eventLog(port, adminToken)
      return log.length === recordedFirst.length && log.every((entry) => webhookState(entry) === 'delivered')
    }, 20_000)
    // The last one: Graph has invited (its answer is held back), the BFF has recorded nothing of it.
    emulator.context.faults.set({
      latency: [{ route: 'POST /v1.0/invitations', ms: INVITE_LATENCY_MS }, ...followUpLatency],
    })
    firstAttempts.push(attempt(unrecorded))
    await until(
      async () => ((await invitationsPerAddress(emulator)).get(unrecorded.email) ?? 0) > 0,
      10_000,
      25,
    )
    const beforeKill = await eventLog(port, adminToken)
    bff.kill('SIGKILL')
    const killedAt = Date.now()
    const receivedBeforeKill = receiver.received.length
    const openAtKill = receiver.received.filter((entry) => entry.answeredAt === 0).length
    await exited(bff)
    expect(await Promise.all(firstAttempts), 'the first attempts (killed mid-saga: no answer)').toEqual(
      invites.map(() => expect.stringMatching(/^no answer/)),
    )
    // At the kill: the first invitations announced as created (and delivered), nothing else written.
    expect(beforeKill.map((entry) => [entry.type, webhookState(entry)])).toEqual(
      recordedFirst.map(() => ['invitation.created', 'delivered']),
    )
    expect(new Set(beforeKill.map((entry) => entry.data.invitation.invitedUserEmailAddress))).toEqual(
      new Set(recordedFirst.map((invite) => invite.email)),
    )

    // Restarted on the same data folder, Graph fast again. The clients retry with their keys: once the dead
    // request's claim is stale, the retry takes it over and reconciles: it finishes a recorded invitation, or
    // invites again (without an email) one Graph invited but the BFF never recorded. (The in-flight lease keeps the
    // retrier off those invitations for 5 minutes.)
    emulator.context.faults.set({})
    receiver.respond = async (event) => {
      if (event.type === 'invitation.created')
        await new Promise((resolve) => setTimeout(resolve, CREATED_ANSWER_DELAY_MS))
      return 204
    }
    bff = await startBff(port)
    const restartedAt = Date.now()
    const retried = await Promise.all(
      invites.map(async (invite) => {
        const deadline = Date.now() + (IDEMPOTENCY_LEASE_SECONDS + 30) * 1000
        for (;;) {
          const response = await post(port, inviterToken, invite)
          const body = (await response.json()) as CreatedInvitation & { code?: string }
          if (response.status !== 409 || body.code !== 'idempotency_in_progress' || Date.now() > deadline)
            return { invite, status: response.status, body }
          await new Promise((resolve) => setTimeout(resolve, 500))
        }
      }),
    )
    const createdBeforeKill = new Map(
      beforeKill.map((entry) => [entry.data.invitation.invitedUserEmailAddress, entry.data.invitation.id]),
    )
    for (const { invite, status, body } of retried) {
      expect({ status, code: body.code, state: body.status }, invite.email).toEqual({
        status: 201,
        code: undefined,
        state: 'completed',
      })
      // A recorded invitation is answered as it was recorded, not invited a second time.
      if (invite !== unrecorded) expect(body.id, invite.email).toBe(createdBeforeKill.get(invite.email))
    }
    const invitationIds = new Set(retried.map(({ body }) => body.id))
    expect(invitationIds.size).toBe(INVITES)

    // The retries' saves wrote their events before answering: wait until every event written is delivered (a
    // delivery in flight at the kill would wait for its 60 s lease to end first).
    let log: EventLogEntry[] = []
    await until(
      async () => {
        log = await eventLog(port, adminToken)
        return log.every((entry) => webhookState(entry) === 'delivered')
      },
      90_000,
      500,
    )
    bff.kill('SIGTERM')
    await exited(bff)
    bff = undefined
    const finishedMs = Date.now() - started

    // Every webhook request, in the order received.
    const received = receiver.received.map((entry) => ({
      id: String(entry.headers['webhook-id']),
      type: entry.event.type,
      invitationId: entry.event.data.invitation.id,
      bodyId: entry.event.id,
      status: entry.status,
      receivedAt: entry.receivedAt,
      answeredAt: entry.answeredAt,
    }))
    // The counts. In flight at the kill = the receiver got it before the kill, but the killed instance recorded no
    // delivered attempt for it (it recorded none before the kill, then).
    const deliveredBeforeKill = new Set(
      log
        .filter((entry) =>
          entry.attempts.some(
            (attempt) =>
              attempt.destination === 'webhook' &&
              attempt.outcome === 'delivered' &&
              Date.parse(attempt.attemptedAt) < killedAt,
          ),
        )
        .map((entry) => entry.id),
    )
    const inFlightAtKill = new Set(
      received
        .slice(0, receivedBeforeKill)
        .map((entry) => entry.id)
        .filter((id) => !deliveredBeforeKill.has(id)),
    )
    const counts = new Map<string, number>()
    for (const entry of received) counts.set(entry.id, (counts.get(entry.id) ?? 0) + 1)
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([id]) => id)
    const distinct = new Set(received.map((entry) => entry.id))
    const duplicates = received.length - distinct.size
    const graphInvitations = await invitationsPerAddress(emulator)
    console.log(
      [
        `webhook after SIGKILL: ${INVITES} invitations killed mid-saga (${recordedFirst.length} in their follow-ups, held ${FOLLOW_UP_LATENCY_MS} ms; 1 invited by Graph, not recorded)`,
        `  events written ${log.length} (${log.map((entry) => entry.type.replace('invitation.', '')).join(', ')})`,
        `  webhooks received ${received.length}: distinct webhook-ids ${distinct.size}, duplicates ${duplicates}`,
        `  at the kill: received ${receivedBeforeKill}, open ${openAtKill}, in flight (sent, not recorded) ${inFlightAtKill.size}`,
        `  Graph invitations per address: ${invites.map((invite) => graphInvitations.get(invite.email) ?? 0).join(', ')}`,
        `  timing: first boot ${(bootedMs / 1000).toFixed(1)} s, killed at ${((killedAt - started) / 1000).toFixed(1)} s, restarted at ${((restartedAt - started) / 1000).toFixed(1)} s, all delivered at ${(finishedMs / 1000).toFixed(1)} s`,
      ].join('\n'),
    )

    // What the receiver got: every request verified, its webhook-id the event's id, answered 2xx.
    expect(receiver.rejected, 'webhooks whose signature did not verify').toEqual([])
    expect(received.filter((entry) => entry.id !== entry.bodyId)).toEqual([])
    expect(received.filter((entry) => entry.status < 200 || entry.status >= 300)).toEqual([])

    // 1. Every event row reached the receiver, and the receiver got no event the BFF did not write.
    const logIds = new Set(log.map((entry) => entry.id))
    expect(log.map((entry) => entry.id).filter((id) => !distinct.has(id))).toEqual([])
    expect([...distinct].filter((id) => !logIds.has(id))).toEqual([])
    expect(new Set(log.map((entry) => entry.data.invitation.id))).toEqual(invitationIds)

    // 2. Deduplicated by webhook-id (first receipt), each invitation's events arrived in the order they were
    //    written, each one only after the one before it was answered 2xx.
    const firstReceipts = received.filter(
      (entry, index) => received.findIndex((other) => other.id === entry.id) === index,
    )
    for (const invitationId of invitationIds) {
      const written = log.filter((entry) => entry.data.invitation.id === invitationId)
      const arrived = firstReceipts.filter((entry) => entry.invitationId === invitationId)
      expect(
        arrived.map((entry) => entry.id),
        invitationId,
      ).toEqual(written.map((entry) => entry.id))
      const sentEarly = arrived.filter(
        (entry, index) => index > 0 && entry.receivedAt < (arrived[index - 1]?.answeredAt ?? 0),
      )
      expect(sentEarly, `${invitationId}: sent before the previous event was answered`).toEqual([])
      // 3. None is missing its invitation.completed: created first, completed once, last, after the kill.
      const types = arrived.map((entry) => entry.type)
      expect(types[0], invitationId).toBe('invitation.created')
      expect(
        types.filter((type) => type === 'invitation.completed'),
        invitationId,
      ).toHaveLength(1)
      expect(types.at(-1), invitationId).toBe('invitation.completed')
      const completed = written.find((entry) => entry.type === 'invitation.completed')
      expect(
        Date.parse(completed?.timestamp ?? ''),
        `${invitationId}: completed after the kill`,
      ).toBeGreaterThan(killedAt)
    }

    // 4. Duplicates: only deliveries in flight at the kill may come twice.
    expect(duplicated.filter((id) => !inFlightAtKill.has(id))).toEqual([])
    expect(duplicates).toBeLessThanOrEqual(inFlightAtKill.size)
  }, 150_000)
})
