import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CreatedInvitation, EventPage, GuestEvent, Problem } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import Fastify from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { EventDeliveryTiming } from '../../src/events/event-delivery.js'
import { entraShare } from '../../src/plugin.js'
import { emulatorConfig, type Harness, startHarness } from '../api/harness.js'
import { seeded, startTestEmulator } from '../support.js'
import {
  eventually,
  startWebhookReceiver,
  TEST_WEBHOOK_SECRET,
  type WebhookReceiver,
} from './webhook-receiver.js'

const MEGAN = seeded.inviter.upn
const ADELE = seeded.admin.upn // holds Invitations.Admin
const FAST: Partial<EventDeliveryTiming> = {
  pollIntervalMs: 20,
  retryBaseSeconds: 0.05,
  retryMaxSeconds: 1,
  leaseSeconds: 5,
  attemptTimeoutMs: 2000,
}

let emulator: RunningEmulator
let receiver: WebhookReceiver
let harness: Harness

beforeAll(async () => {
  emulator = await startTestEmulator()
  receiver = await startWebhookReceiver(TEST_WEBHOOK_SECRET)
  harness = await startHarness({
    emulator,
    config: { webhook: { url: receiver.url, secret: TEST_WEBHOOK_SECRET } },
    app: { eventDelivery: FAST },
  })
})
afterAll(async () => {
  await harness?.close()
  await receiver?.close()
  await emulator?.close()
  expect(receiver.rejected, 'webhook requests whose signature did not verify').toEqual([])
})
beforeEach(async () => {
  await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' })
  receiver.respond = () => 204
})

/** The events the webhook received (answered 2xx) for one invitation, in order. */
function deliveredFor(invitationId: string): GuestEvent[] {
  return receiver.delivered().filter((event) => event.data.invitation.id === invitationId)
}

async function invite(body: Record<string, unknown>): Promise<CreatedInvitation> {
  const response = await harness.invite(MEGAN, body)
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as CreatedInvitation
}

describe('events of a single invitation, through the HTTP API, on the webhook', () => {
  it('an invitation with a preset: invitation.created, then invitation.completed with the invitation as answered', async () => {
    const invitation = await invite({ email: 'ada@fabrikam.example', displayName: 'Ada', presetId: 'apollo' })
    expect(invitation.status).toBe('completed')
    await eventually(() => deliveredFor(invitation.id).length === 2)

    const [created, completed] = deliveredFor(invitation.id)
    expect(created?.type).toBe('invitation.created')
    expect(created?.data.actor).toEqual({
      kind: 'inviter',
      tenantId: seeded.tenantId,
      objectId: seeded.inviter.id,
      name: invitation.invitedBy.name,
    })
    expect(completed?.type).toBe('invitation.completed')
    expect(completed?.data.invitation).toEqual(invitation)
    // Nothing more for it: no partial, no duplicate.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(deliveredFor(invitation.id).map((event) => event.type)).toEqual([
      'invitation.created',
      'invitation.completed',
    ])
  })

  it('a follow-up that fails: invitation.partial with the pending step and why, then completed by the retrier', async () => {
    emulator.context.faults.set({
      unavailable: [{ route: 'POST /v1.0/groups/*/members/$ref', next: 20, retryAfterSeconds: 1 }],
    })
    const invitation = await invite({ email: 'partial@fabrikam.example', presetId: 'apollo' })
    expect(invitation.status).toBe('partial')
    await eventually(() => deliveredFor(invitation.id).length === 2)
    const partial = deliveredFor(invitation.id)[1]
    expect(partial?.type).toBe('invitation.partial')
    expect(partial?.data.actor).toEqual({ kind: 'system' })
    expect(partial?.data.pendingSteps).toEqual([
      expect.objectContaining({
        name: 'addToGroup',
        target: seeded.apolloGroupId,
        status: 'pending',
        code: expect.any(String),
        detail: expect.any(String),
      }),
    ])
    expect(partial?.data.pendingSteps?.[0]?.code).toBe(
      invitation.steps.find((step) => step.name === 'addToGroup')?.code,
    )

    emulator.context.faults.set({})
    const stored = await harness.app.entraShare.invitations.get(invitation.id)
    if (!stored) throw new Error('the partial invitation was not stored')
    await harness.app.entraShare.invitations.save({
      ...stored,
      nextRetryAt: new Date(Date.now() - 1000).toISOString(),
    })
    expect((await harness.app.entraShare.invites.retryDueFollowUps()).completed).toBe(1)
    await eventually(() => deliveredFor(invitation.id).length === 3)
    expect(deliveredFor(invitation.id).map((event) => event.type)).toEqual([
      'invitation.created',
      'invitation.partial',
      'invitation.completed',
    ])
  })

  it('guest.accepted once the guest redeems and a read refreshes the state from Graph', async () => {
    const invitation = await invite({ email: 'accepts@fabrikam.example' })
    const guest = emulator.context.directory.tenant(seeded.tenantId)?.users.get(invitation.invitedUserId)
    if (!guest) throw new Error('no guest in the emulator')
    guest.externalUserState = 'Accepted'
    expect((await harness.get(MEGAN, `/api/invitations/${invitation.id}`)).statusCode).toBe(200)
    await eventually(() => deliveredFor(invitation.id).length === 3)
    const accepted = deliveredFor(invitation.id)[2]
    expect(accepted).toMatchObject({
      type: 'guest.accepted',
      data: {
        actor: { kind: 'guest', objectId: invitation.invitedUserId },
        invitation: { id: invitation.id, externalUserState: 'Accepted' },
      },
    })
  })

  it('a webhook answering 500 gets the event again until it answers 2xx', async () => {
    let failures = 0
    receiver.respond = (event) => {
      if (event.type === 'invitation.created' && failures < 2) {
        failures += 1
        return 500
      }
      return 204
    }
    const invitation = await invite({ email: 'flaky-receiver@fabrikam.example' })
    await eventually(() => deliveredFor(invitation.id).length === 2)
    const tries = receiver.received.filter((request) => request.event.data.invitation.id === invitation.id)
    expect(tries.map((request) => [request.event.type, request.status])).toEqual([
      ['invitation.created', 500],
      ['invitation.created', 500],
      ['invitation.created', 204],
      ['invitation.completed', 204],
    ])
    // Each attempt re-signs with its own timestamp; the id stays the event's.
    expect(new Set(tries.slice(0, 3).map((request) => request.headers['webhook-id'])).size).toBe(1)
  })
})

describe('GET /api/events', () => {
  it('pages an organization’s events newest first, each with its deliveries and attempts, for admins only', async () => {
    const first = await invite({ email: 'paged-1@fabrikam.example' })
    const second = await invite({ email: 'paged-2@fabrikam.example' })
    await eventually(() => deliveredFor(first.id).length === 2 && deliveredFor(second.id).length === 2)
    // The attempt is recorded just after the receiver answered.
    await eventually(async () => {
      const page = (await harness.get(ADELE, '/api/events?limit=4')).json() as EventPage
      return page.items.every((item) => item.deliveries.every((delivery) => delivery.state === 'delivered'))
    })

    const page1 = await harness.get(ADELE, '/api/events?limit=3')
    expect(page1.statusCode, page1.body).toBe(200)
    const one = page1.json() as EventPage
    expect(one.items.map((item) => [item.type, item.data.invitation.id])).toEqual([
      ['invitation.completed', second.id],
      ['invitation.created', second.id],
      ['invitation.completed', first.id],
    ])
    expect(one.items[0]?.seq).toBeGreaterThan(one.items[1]?.seq as number)
    expect(one.items[0]?.deliveries).toEqual([
      expect.objectContaining({
        destination: 'webhook',
        state: 'delivered',
        attempts: 1,
        nextAttemptAt: null,
      }),
    ])
    expect(one.items[0]?.attempts).toEqual([
      expect.objectContaining({ destination: 'webhook', outcome: 'delivered', statusCode: 204, error: null }),
    ])
    expect(one.nextCursor).toBeTruthy()

    const page2 = (
      await harness.get(ADELE, `/api/events?limit=3&cursor=${one.nextCursor}`)
    ).json() as EventPage
    expect(page2.items[0]).toMatchObject({
      type: 'invitation.created',
      data: { invitation: { id: first.id } },
    })
    expect(page2.items[0]?.seq).toBeLessThan(one.items[2]?.seq as number)

    // Every event of the log, once, across the pages.
    const seen: number[] = []
    let cursor: string | undefined
    do {
      const page = (
        await harness.get(ADELE, `/api/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json() as EventPage
      seen.push(...page.items.map((item) => item.seq))
      cursor = page.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort((a, b) => b - a)).toEqual(seen)
    const total = await harness.app.entraShare.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE tenant_id = $1',
      [seeded.tenantId],
    )
    expect(seen).toHaveLength(total[0]?.n as number)

    const notAdmin = await harness.get(MEGAN, '/api/events')
    expect(notAdmin.statusCode).toBe(403)
    expect((notAdmin.json() as Problem).code).toBe('forbidden')
    const anonymous = await harness.app.inject({ method: 'GET', url: '/api/events' })
    expect(anonymous.statusCode).toBe(401)
    const garbled = await harness.get(ADELE, '/api/events?cursor=garbage')
    expect(garbled.statusCode).toBe(400)
    expect((garbled.json() as Problem).code).toBe('invalid_request')
  })
})

describe('onGuest, when the BFF is mounted as a Fastify plugin', () => {
  it('receives every event in order, awaited, and gets an event again after it throws', async () => {
    const calls: { type: string; invitationId: string }[] = []
    let thrown = 0
    const host = Fastify({ pluginTimeout: 60_000 })
    await host.register(entraShare, {
      config: emulatorConfig(emulator, { dataDir: mkdtempSync(join(tmpdir(), 'bff-events-hook-')) }),
      eventDelivery: FAST,
      onGuest: async (event) => {
        calls.push({ type: event.type, invitationId: event.data.invitation.id })
        if (event.type === 'invitation.created' && thrown === 0) {
          thrown += 1
          throw new Error('the host database is not ready')
        }
      },
    })
    try {
      const token = (await signInToSpa(emulator, MEGAN)).access_token
      const response = await host.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'hook-0001' },
        payload: { email: 'hooked@fabrikam.example', presetId: 'apollo' },
      })
      expect(response.statusCode, response.body).toBe(201)
      const invitation = response.json() as CreatedInvitation
      await eventually(() => calls.length === 3)

      expect(calls).toEqual([
        { type: 'invitation.created', invitationId: invitation.id },
        { type: 'invitation.created', invitationId: invitation.id },
        { type: 'invitation.completed', invitationId: invitation.id },
      ])
      const attempts = await host.entraShare.database.query<{ outcome: string; error: string | null }>(
        `SELECT a.outcome, a.error FROM event_delivery_attempts a JOIN events e ON e.id = a.event_id
         WHERE e.invitation_id = $1 AND a.destination = 'hook' ORDER BY a.id`,
        [invitation.id],
      )
      expect(attempts).toEqual([
        { outcome: 'failed', error: 'the host database is not ready' },
        { outcome: 'delivered', error: null },
        { outcome: 'delivered', error: null },
      ])
    } finally {
      await host.close()
    }
  })
})
