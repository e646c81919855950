import type { Invitation } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { followUpIdentitiesAll } from '../../src/invitations/follow-up-steps.js'
import { seeded, startTestEmulator } from '../support.js'
import { type Harness, startHarness } from './harness.js'

/**
 * The default seed models a real tenant: Megan is a Guest Inviter only, the preset group is owned by the BFF's
 * service principal, and a custom "guest profile writer" role over a dynamic administrative unit of guests is
 * assigned to it. Graph decides a delegated call as scope ∩ the user's own privileges, so only the app identity
 * finishes Megan's invitations.
 */
describe('follow-up steps under the identity Entra allows', () => {
  let emulator: RunningEmulator
  let appSteps: Harness
  let delegatedSteps: Harness
  let counter = 0
  const guest = () => {
    counter += 1
    return `partner-${Date.now()}-${counter}@fabrikam.example`
  }
  const guestById = (id: string) =>
    emulator.context.directory.tenant(seeded.tenantId)?.users.get(id.toLowerCase())
  const apolloMembers = () =>
    emulator.context.directory.tenant(seeded.tenantId)?.groups.get(seeded.apolloGroupId)?.members ??
    new Set<string>()

  beforeAll(async () => {
    emulator = await startTestEmulator()
    appSteps = await startHarness({ emulator })
    delegatedSteps = await startHarness({
      emulator,
      config: { followUpIdentities: followUpIdentitiesAll('delegated') },
    })
  })
  beforeEach(() => emulator.context.faults.set({}))
  afterAll(async () => {
    await appSteps.close()
    await delegatedSteps.close()
    await emulator.close()
  })

  it("completes a Guest Inviter's invitation with the app's identity (group ownership, a role over the guests' unit)", async () => {
    const response = await appSteps.invite(seeded.inviter.upn, { email: guest(), presetId: 'apollo' })

    expect(response.statusCode).toBe(201)
    const invitation = response.json() as Invitation
    expect(invitation.status).toBe('completed')
    expect(invitation.steps.map((step) => [step.name, step.status])).toEqual([
      ['invite', 'succeeded'],
      ['updateAttributes', 'succeeded'],
      ['addToGroup', 'succeeded'],
    ])
    expect(guestById(invitation.invitedUserId)?.usageLocation).toBe('GB')
    expect(apolloMembers().has(invitation.invitedUserId)).toBe(true)
  })

  it('leaves the invitation partial with follow_up_forbidden when the steps run as the Guest Inviter: Graph refuses her', async () => {
    const response = await delegatedSteps.invite(seeded.inviter.upn, { email: guest(), presetId: 'apollo' })

    expect(response.statusCode).toBe(201)
    const invitation = response.json() as Invitation
    expect(invitation.status).toBe('partial')
    const [, attributes, group] = invitation.steps
    expect(attributes).toMatchObject({
      name: 'updateAttributes',
      status: 'pending',
      code: 'follow_up_forbidden',
    })
    expect(attributes?.detail).toMatch(
      /^The signed-in inviter may not set the attributes .*User Administrator/,
    )
    expect(group).toMatchObject({
      name: 'addToGroup',
      status: 'pending',
      code: 'follow_up_forbidden',
      target: seeded.apolloGroupId,
    })
    expect(group?.detail).toMatch(/must own the group or hold Groups Administrator/)
    // Nothing was changed by the refused calls; the guest itself exists (the invitation was Megan's to send).
    expect(guestById(invitation.invitedUserId)?.usageLocation ?? null).toBeNull()
    expect(apolloMembers().has(invitation.invitedUserId)).toBe(false)
  })

  it('completes delegated steps for a User Administrator, whose own role allows them', async () => {
    const response = await delegatedSteps.invite(seeded.admin.upn, { email: guest(), presetId: 'apollo' })

    expect(response.statusCode).toBe(201)
    expect((response.json() as Invitation).status).toBe('completed')
  })

  it('retries a guest who has not joined the dynamic unit yet, and completes once they have', async () => {
    emulator.context.faults.set({ dynamicMembershipDelayMs: 1500 })

    const response = await appSteps.invite(seeded.inviter.upn, { email: guest(), presetId: 'apollo' })

    const invitation = response.json() as Invitation
    expect(invitation.status).toBe('partial')
    expect(invitation.steps[1]).toMatchObject({ name: 'updateAttributes', code: 'follow_up_forbidden' })
    expect(invitation.steps[1]?.detail).toMatch(/^The BFF's app identity may not set the attributes/)
    // Ownership of the group does not depend on the unit: that step is done.
    expect(invitation.steps[2]).toMatchObject({ name: 'addToGroup', status: 'succeeded' })

    await new Promise((resolve) => setTimeout(resolve, 1600))
    const stored = await appSteps.app.entraShare.invitations.get(invitation.id)
    if (!stored) throw new Error('the partial invitation was not stored')
    await appSteps.app.entraShare.invitations.save({
      ...stored,
      nextRetryAt: new Date(Date.now() - 1000).toISOString(),
    })
    const run = await appSteps.app.entraShare.invites.retryDueFollowUps()

    expect(run).toMatchObject({ completed: 1, stillPending: 0 })
    expect(guestById(invitation.invitedUserId)?.usageLocation).toBe('GB')
    expect((await appSteps.app.entraShare.invitations.get(invitation.id))?.status).toBe('completed')
  })

  it('keeps an invitation partial with follow_up_forbidden until an administrator grants the missing piece', async () => {
    const group = emulator.context.directory.tenant(seeded.tenantId)?.groups.get(seeded.apolloGroupId)
    if (!group) throw new Error('no preset group')
    const owners = [...group.owners]
    group.owners.clear() // the service principal is not (yet) an owner of the preset group
    try {
      const response = await appSteps.invite(seeded.inviter.upn, { email: guest(), presetId: 'apollo' })
      const invitation = response.json() as Invitation
      expect(invitation.status).toBe('partial')
      expect(invitation.steps[2]).toMatchObject({
        name: 'addToGroup',
        status: 'pending',
        code: 'follow_up_forbidden',
      })
      expect(invitation.steps[2]?.detail).toContain("make the BFF's service principal an owner of the group")

      const due = async () => {
        const stored = await appSteps.app.entraShare.invitations.get(invitation.id)
        if (!stored) throw new Error('the partial invitation was not stored')
        await appSteps.app.entraShare.invitations.save({ ...stored, nextRetryAt: new Date(0).toISOString() })
      }
      // Still not allowed: the retrier tries and the reason stays.
      await due()
      expect(await appSteps.app.entraShare.invites.retryDueFollowUps()).toMatchObject({ stillPending: 1 })
      expect((await appSteps.app.entraShare.invitations.get(invitation.id))?.steps[2]?.code).toBe(
        'follow_up_forbidden',
      )

      // The administrator makes the service principal an owner: the next run completes the invitation.
      for (const owner of owners) group.owners.add(owner)
      await due()
      expect(await appSteps.app.entraShare.invites.retryDueFollowUps()).toMatchObject({ completed: 1 })
      expect(apolloMembers().has(invitation.invitedUserId)).toBe(true)
    } finally {
      for (const owner of owners) group.owners.add(owner)
    }
  })
})
