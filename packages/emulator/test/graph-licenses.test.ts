import type { Client } from '@microsoft/microsoft-graph-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../src/index.js'
import { adminClient, graphClient, graphFailure, graphToken, invitationFor } from './graph-support.js'
import { seeded, startTestEmulator } from './support.js'

/** Microsoft 365 E3's SKU id; the emulator accepts any SKU id. */
const SKU_ID = '05e9a617-0261-4cee-bb44-138d3ef5d965'
const PLAN_ID = '57ff2da0-773e-42df-b2af-ffb7a2317929'

describe('POST /users/{id}/assignLicense (Graph JS SDK)', () => {
  let emulator: RunningEmulator
  let adele: Client

  beforeAll(async () => {
    emulator = await startTestEmulator()
  })
  afterAll(() => emulator.close())
  beforeEach(async () => {
    emulator.context.directory.reset()
    adele = await adminClient(emulator)
  })

  const assignment = { addLicenses: [{ skuId: SKU_ID, disabledPlans: [PLAN_ID] }], removeLicenses: [] }

  it('fails for a new guest without usageLocation, then succeeds once usageLocation is set', async () => {
    const invitation = await adele.api('/invitations').post(invitationFor('ada@fabrikam.example'))
    const guestId: string = invitation.invitedUser.id

    const error = await graphFailure(adele.api(`/users/${guestId}/assignLicense`).post(assignment))
    expect(error.statusCode).toBe(400)
    expect(error.code).toBe('Request_BadRequest')
    expect(error.message).toBe('License assignment cannot be done for user with invalid usage location.')

    await adele.api(`/users/${guestId}`).patch({ usageLocation: 'GB' })
    const user = await adele.api(`/users/${guestId}/assignLicense`).post(assignment)

    expect(user).toMatchObject({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: guestId,
      mail: 'ada@fabrikam.example',
    })
    const licensed = await adele.api(`/users/${guestId}`).select('assignedLicenses').get()
    expect(licensed.assignedLicenses).toEqual([{ skuId: SKU_ID, disabledPlans: [PLAN_ID] }])
  })

  it('removes a licence listed in removeLicenses', async () => {
    await adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(assignment)
    await adele
      .api(`/users/${seeded.nonInviter.id}/assignLicense`)
      .post({ addLicenses: [], removeLicenses: [SKU_ID] })

    const user = await adele.api(`/users/${seeded.nonInviter.id}`).select('assignedLicenses').get()
    expect(user.assignedLicenses).toEqual([])
  })

  it('refuses a body without removeLicenses and an unknown user', async () => {
    const noRemove = await graphFailure(
      adele.api(`/users/${seeded.nonInviter.id}/assignLicense`).post({ addLicenses: [] }),
    )
    const unknown = await graphFailure(
      adele.api('/users/00000000-0000-4000-8000-00000000dead/assignLicense').post(assignment),
    )

    expect([noRemove.statusCode, noRemove.code]).toEqual([400, 'Request_BadRequest'])
    expect([unknown.statusCode, unknown.code]).toEqual([404, 'Request_ResourceNotFound'])
  })

  it('needs User.ReadWrite.All, Directory.ReadWrite.All or LicenseAssignment.ReadWrite.All', async () => {
    const inviteOnly = graphClient(
      emulator,
      await graphToken(emulator, { user: seeded.inviter.upn, scopes: ['User.Invite.All'] }),
    )

    const error = await graphFailure(
      inviteOnly.api(`/users/${seeded.nonInviter.id}/assignLicense`).post(assignment),
    )

    expect([error.statusCode, error.code]).toEqual([403, 'Authorization_RequestDenied'])
  })
})
