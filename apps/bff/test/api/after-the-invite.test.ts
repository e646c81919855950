import { randomUUID } from 'node:crypto'
import type { Invitation } from '@entra-share/contracts'
import { type RunningEmulator, servicePrincipalId } from '@entra-share/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import type { GroupPreset } from '../../src/config.js'
import { ConfigError } from '../../src/load-config.js'
import { seeded, startTestEmulator } from '../support.js'
import { emulatorConfig, type Harness, startHarness } from './harness.js'

const LICENSE_ADMINISTRATOR = '4d6ac14f-3453-41d0-bef9-a3e0c569773a'

/** Dynamics 365's flow as a preset: name, usage location, an extension attribute, a group, a licence, an app role. */
const projectsPreset: GroupPreset = {
  id: 'projects',
  label: 'Contoso Projects partners',
  groupIds: [seeded.apolloGroupId],
  attributes: { usageLocation: 'gb' },
  splitDisplayName: true,
  extensionAttributes: { [seeded.partnerIdExtension]: 'APOLLO-7' },
  licenses: [{ skuPartNumber: seeded.teamMembersSku.skuPartNumber }],
  appRoles: [{ resourceAppId: seeded.projects.clientId, value: 'Project.Contributor' }],
}

/** Power BI Pro has one unit, already Adele's: no licence is free. */
const powerBiPreset: GroupPreset = {
  id: 'power-bi',
  label: 'Reports readers',
  groupIds: [],
  attributes: { usageLocation: 'NO' },
  licenses: [{ skuId: seeded.powerBiProSku.skuId }],
}

/**
 * Everything after the invite, with the real msal-node and Graph SDK against the emulator's permission rules: the
 * BFF's service principal holds License Administrator (granted below, as an administrator would), owns the preset
 * group and writes guests' profiles through its role over the guests' unit; the app role is granted On-Behalf-Of
 * Megan, who owns the Contoso Projects enterprise application (least privilege: no AppRoleAssignment.ReadWrite.All).
 */
describe('after the invite: attributes, group, licence, app role and sponsor', () => {
  let emulator: RunningEmulator
  let harness: Harness
  const tenant = () => {
    const found = emulator.context.directory.tenant(seeded.tenantId)
    if (!found) throw new Error('no Contoso tenant')
    return found
  }
  const guest = () => `after-${Date.now()}-${randomUUID().slice(0, 6)}@fabrikam.example`
  /** GET on Graph with the BFF's app token (it holds Directory.Read.All). */
  const graphGet = async (path: string) => {
    const token = await harness.app.entraShare.tokens.appToken(seeded.tenantId, 'followUp')
    const response = await fetch(`${harness.config.graphBaseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
    return (await response.json()) as { value: Array<Record<string, unknown>> }
  }
  const makeDue = async (id: string) => {
    const stored = await harness.app.entraShare.invitations.get(id)
    if (!stored) throw new Error(`invitation ${id} was not stored`)
    await harness.app.entraShare.invitations.save({ ...stored, nextRetryAt: new Date(0).toISOString() })
  }

  beforeAll(async () => {
    emulator = await startTestEmulator()
    tenant().roleAssignments.push({
      id: randomUUID(),
      principalId: servicePrincipalId(seeded.tenantId, seeded.bffClientId),
      roleDefinitionId: LICENSE_ADMINISTRATOR,
      directoryScopeId: '/',
    })
    harness = await startHarness({
      emulator,
      config: {
        presets: [projectsPreset, powerBiPreset],
        followUpIdentities: {
          updateAttributes: 'app',
          addToGroup: 'app',
          assignLicense: 'app',
          assignAppRole: 'delegated',
        },
      },
    })
  })
  beforeEach(() => emulator.context.faults.set({}))
  afterAll(async () => {
    await harness.close()
    await emulator.close()
  })

  it('completes every step of the preset, and the inviter is the guest’s sponsor', async () => {
    const response = await harness.invite(seeded.inviter.upn, {
      email: guest(),
      displayName: 'Ada King Lovelace',
      presetId: 'projects',
    })

    expect(response.statusCode).toBe(201)
    const invitation = response.json() as Invitation
    expect(invitation.steps.map((step) => [step.name, step.status, step.target])).toEqual([
      ['invite', 'succeeded', undefined],
      ['updateAttributes', 'succeeded', undefined],
      ['addToGroup', 'succeeded', seeded.apolloGroupId],
      ['assignLicense', 'succeeded', seeded.teamMembersSku.skuId],
      ['assignAppRole', 'succeeded', seeded.projects.contributorRoleId],
    ])
    expect(invitation.status).toBe('completed')
    const user = tenant().users.get(invitation.invitedUserId)
    expect(user).toMatchObject({ givenName: 'Ada', surname: 'King Lovelace', usageLocation: 'GB' })
    expect(user?.directoryExtensions[seeded.partnerIdExtension]).toBe('APOLLO-7')
    expect(user?.assignedLicenses.map((license) => license.skuId)).toEqual([seeded.teamMembersSku.skuId])
    expect(tenant().groups.get(seeded.apolloGroupId)?.members.has(invitation.invitedUserId)).toBe(true)

    const roles = await graphGet(`/users/${invitation.invitedUserId}/appRoleAssignments`)
    expect(roles.value).toEqual([
      expect.objectContaining({
        appRoleId: seeded.projects.contributorRoleId,
        resourceId: servicePrincipalId(seeded.tenantId, seeded.projects.clientId),
        principalId: invitation.invitedUserId,
      }),
    ])
    const sponsors = await graphGet(`/users/${invitation.invitedUserId}/sponsors`)
    expect(sponsors.value.map((sponsor) => sponsor.id)).toEqual([seeded.inviter.id])
  })

  it('re-inviting the same guest counts a held licence and app role as done (Graph says "already exists")', async () => {
    const email = guest()
    const first = (
      await harness.invite(seeded.inviter.upn, { email, presetId: 'projects' })
    ).json() as Invitation
    const again = (
      await harness.invite(seeded.inviter.upn, { email, presetId: 'projects' })
    ).json() as Invitation

    expect(again.invitedUserId).toBe(first.invitedUserId)
    expect(again.status).toBe('completed')
    const roles = await graphGet(`/users/${first.invitedUserId}/appRoleAssignments`)
    expect(roles.value).toHaveLength(1)
  })

  it('leaves the licence pending with license_unavailable while no unit is free, and assigns it once units are added', async () => {
    const response = await harness.invite(seeded.inviter.upn, { email: guest(), presetId: 'power-bi' })

    expect(response.statusCode).toBe(201)
    const invitation = response.json() as Invitation
    expect(invitation.status).toBe('partial')
    const license = invitation.steps.find((step) => step.name === 'assignLicense')
    expect(license).toMatchObject({ status: 'pending', code: 'license_unavailable' })
    expect(license?.detail).toMatch(/does not have any available licenses.*add units/)
    expect(invitation.steps.find((step) => step.name === 'updateAttributes')?.status).toBe('succeeded')

    // Still none free: the retrier tries, the reason stays.
    await makeDue(invitation.id)
    expect(await harness.app.entraShare.invites.retryDueFollowUps()).toMatchObject({ stillPending: 1 })

    emulator.context.directory.setPrepaidUnits(seeded.tenantId, seeded.powerBiProSku.skuId, 2)
    await makeDue(invitation.id)
    expect(await harness.app.entraShare.invites.retryDueFollowUps()).toMatchObject({ completed: 1 })
    expect(
      tenant()
        .users.get(invitation.invitedUserId)
        ?.assignedLicenses.map((l) => l.skuId),
    ).toEqual([seeded.powerBiProSku.skuId])
    emulator.context.directory.setPrepaidUnits(seeded.tenantId, seeded.powerBiProSku.skuId, 1)
  })

  it('sends a redeemed guest a reset redemption when the invitation is resent', async () => {
    const invitation = (
      await harness.invite(seeded.admin.upn, { email: guest(), presetId: 'power-bi' })
    ).json() as Invitation
    const user = tenant().users.get(invitation.invitedUserId)
    if (!user) throw new Error('the guest was not created')
    user.externalUserState = 'Accepted'

    const resent = await harness.app.inject({
      method: 'POST',
      url: `/api/invitations/${invitation.id}/resend`,
      headers: { authorization: `Bearer ${await harness.tokenFor(seeded.admin.upn)}` },
    })

    expect(resent.statusCode).toBe(200)
    expect(resent.json()).toMatchObject({ invitedUserId: invitation.invitedUserId, reinvited: true })
    // Graph reset the redemption: the same guest must redeem again.
    expect(tenant().users.get(invitation.invitedUserId)?.externalUserState).toBe('PendingAcceptance')
  })

  it('stops start-up with a line naming an unknown SKU or app role', async () => {
    const config = emulatorConfig(emulator, {
      presets: [
        { ...powerBiPreset, id: 'bad-licence', licenses: [{ skuPartNumber: 'POWER_BI_PREMIUM' }] },
        {
          ...projectsPreset,
          id: 'bad-role',
          licenses: [],
          appRoles: [{ resourceAppId: seeded.projects.clientId, value: 'Project.Owner' }],
        },
      ],
    })
    const failure = await buildApp(config).then(
      async (app) => {
        await app.close()
        return undefined
      },
      (error: unknown) => error,
    )

    expect(failure).toBeInstanceOf(ConfigError)
    const problems = (failure as ConfigError).problems
    expect(problems).toEqual([
      expect.stringMatching(
        /^ENTRA_SHARE_PRESETS_FILE: preset 'bad-licence': licence 'POWER_BI_PREMIUM' is not one of tenant .* subscribed SKUs \(.*POWER_BI_PRO/,
      ),
      expect.stringMatching(
        /^ENTRA_SHARE_PRESETS_FILE: preset 'bad-role': app role 'Project.Owner' is not an enabled role for users of Contoso Projects \(Project.Contributor/,
      ),
    ])
  })
})
