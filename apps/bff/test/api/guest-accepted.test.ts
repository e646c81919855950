import { randomUUID } from 'node:crypto'
import type { Invitation } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAcceptanceCheck } from '../../src/invitations/acceptance-check.js'
import { seeded, startTestEmulator } from '../support.js'
import { type Harness, startHarness } from './harness.js'

/**
 * The host hears that a guest redeemed: a scheduled, bounded check reads pending guests' externalUserState from Graph
 * (app token, $batch) and saves a change, which writes `guest.accepted` in the same transaction.
 */
describe('the acceptance check', () => {
  let emulator: RunningEmulator
  let harness: Harness
  const redeem = (invitation: Invitation) => {
    const user = emulator.context.directory.tenant(seeded.tenantId)?.users.get(invitation.invitedUserId)
    if (!user) throw new Error('the guest was not created')
    user.externalUserState = 'Accepted'
  }
  const eventTypes = async (invitationId: string) => {
    const page = await harness.app.entraShare.events.list({ tenantId: seeded.tenantId, limit: 200 })
    return page.items
      .filter((event) => event.data.invitation.id === invitationId)
      .map((event) => event.type)
      .reverse()
  }
  const invite = async () =>
    (
      await harness.invite(seeded.inviter.upn, {
        email: `redeem-${randomUUID().slice(0, 8)}@fabrikam.example`,
      })
    ).json() as Invitation

  beforeAll(async () => {
    emulator = await startTestEmulator()
    harness = await startHarness({ emulator })
  })
  afterAll(async () => {
    await harness.close()
    await emulator.close()
  })

  it('notices a redemption, records it on the invitation and the app user, and writes guest.accepted once', async () => {
    const waiting = await invite()
    const redeemed = await invite()
    redeem(redeemed)
    let now = new Date()
    const check = createAcceptanceCheck({ ...harness.app.entraShare, clock: () => now })

    const first = await check.run()

    expect(first.accepted).toBe(1)
    expect(first.checked).toBeGreaterThanOrEqual(2)
    expect((await harness.app.entraShare.invitations.get(redeemed.id))?.externalUserState).toBe('Accepted')
    expect((await harness.app.entraShare.appUsers.get(redeemed.invitedUserId))?.externalUserState).toBe(
      'Accepted',
    )
    expect((await harness.app.entraShare.invitations.get(waiting.id))?.externalUserState).toBe(
      'PendingAcceptance',
    )
    expect(await eventTypes(redeemed.id)).toEqual([
      'invitation.created',
      'invitation.completed',
      'guest.accepted',
    ])

    // Checked a moment ago: not again this hour; an accepted guest never again.
    expect((await check.run()).checked).toBe(0)
    redeem(waiting)
    now = new Date(now.getTime() + 3_601_000)
    const later = await check.run()
    expect(later).toMatchObject({ accepted: 1 })
    expect(await eventTypes(waiting.id)).toEqual([
      'invitation.created',
      'invitation.completed',
      'guest.accepted',
    ])
    expect(await eventTypes(redeemed.id)).toHaveLength(3)
  })

  it('is bounded per run: the least recently checked go first', async () => {
    for (let i = 0; i < 3; i += 1) await invite()
    const now = new Date(Date.now() + 7_200_000)
    const check = createAcceptanceCheck({
      ...harness.app.entraShare,
      clock: () => now,
      settings: { perRun: 2 },
    })

    // Three guests waiting (the first test's have accepted): two, then the third, then none until an hour passes.
    expect((await check.run()).checked).toBe(2)
    expect((await check.run()).checked).toBe(1)
    expect((await check.run()).checked).toBe(0)
  })
})
