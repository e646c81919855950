import { randomUUID } from 'node:crypto'
import type { Invitation } from '@entra-share/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestHash } from '../../src/platform/idempotency.js'
import { seeded } from '../support.js'
import { type Harness, startHarness } from './harness.js'

/**
 * Issue 16: a single invite whose instance died mid-request is reconciled as bulk rows are. The client retries with
 * the same Idempotency-Key; once the dead claim is stale the retry takes it over and looks before inviting again,
 * so no guest gets a second invitation email.
 */
describe('a retry that takes over a dead attempt (issue 16)', () => {
  let harness: Harness
  const callerKey = `${seeded.tenantId}:${seeded.inviter.id}`
  const db = () => harness.app.entraShare.database
  const directory = () => harness.emulator.context.directory
  const graphInvitationsOf = (email: string) =>
    [...directory().invitations.values()].filter((item) => item.invitedUserEmailAddress === email).length
  const emailsTo = (email: string) => directory().outbox.filter((message) => message.to === email).length

  /** What an attempt that died after calling Graph leaves behind: its claim, in progress and older than the lease. */
  async function deadClaim(key: string, body: object) {
    await db().query(
      `INSERT INTO idempotency_keys (caller_key, key, request_hash, state, graph_attempted, created_at, updated_at)
       VALUES ($1, $2, $3, 'in_progress', true, now() - interval '1 hour', now() - interval '1 hour')`,
      [callerKey, key, requestHash(body)],
    )
  }

  beforeAll(async () => {
    harness = await startHarness()
  })
  afterAll(() => harness.close())

  it('answers with the record the dead attempt made, finishing it, without inviting again', async () => {
    const body = { email: `takeover-recorded-${randomUUID()}@fabrikam.example`, presetId: 'apollo' }
    // The dead attempt got as far as Graph and the record, then died before answering.
    const first = (await harness.invite(seeded.inviter.upn, body)).json() as Invitation
    const key = randomUUID()
    await deadClaim(key, body)

    const retried = await harness.invite(seeded.inviter.upn, body, { idempotencyKey: key })
    expect(retried.statusCode).toBe(201)
    expect(retried.json()).toMatchObject({ id: first.id, inviteRedeemUrl: first.inviteRedeemUrl })
    expect(graphInvitationsOf(body.email)).toBe(1)
    expect(emailsTo(body.email)).toBe(1)
    // The key now replays that answer.
    const replayed = await harness.invite(seeded.inviter.upn, body, { idempotencyKey: key })
    expect(replayed.headers['idempotent-replayed']).toBe('true')
    expect((replayed.json() as Invitation).id).toBe(first.id)
  })

  it('invites again without an email when the dead attempt reached Graph but recorded nothing', async () => {
    const body = { email: `takeover-unrecorded-${randomUUID()}@fabrikam.example` }
    const first = (await harness.invite(seeded.inviter.upn, body)).json() as Invitation
    // As if the attempt had died between Graph's answer and its record.
    await db().query('DELETE FROM invitations WHERE id = $1', [first.id])
    expect(emailsTo(body.email)).toBe(1)
    const key = randomUUID()
    await deadClaim(key, body)

    const retried = await harness.invite(seeded.inviter.upn, body, { idempotencyKey: key })
    expect(retried.statusCode).toBe(201)
    const invitation = retried.json() as Invitation
    expect(invitation).toMatchObject({ invitedUserId: first.invitedUserId, emailSentByMicrosoft: false })
    expect(invitation.inviteRedeemUrl).toMatch(/^https:\/\//)
    expect(emailsTo(body.email)).toBe(1) // no second email
    expect(await harness.app.entraShare.invitations.get(invitation.id)).not.toBeNull()
  })

  it('still re-invites with an email on a new request for an existing guest (not a takeover)', async () => {
    const body = { email: `takeover-none-${randomUUID()}@fabrikam.example` }
    await harness.invite(seeded.inviter.upn, body)
    const again = (await harness.invite(seeded.inviter.upn, body)).json() as Invitation
    expect(again).toMatchObject({ reinvited: true, emailSentByMicrosoft: true })
    expect(emailsTo(body.email)).toBe(2)
  })
})
