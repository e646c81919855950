import { servicePrincipalId } from '@entra-share/emulator'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { entraShare } from '../../src/plugin.js'
import { seeded, startTestEmulator } from '../support.js'
import { emulatorConfig } from './harness.js'

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>

/**
 * The Finance & Operations "provision B2B user" task: a host's own code (a workflow step) uses the engine without
 * HTTP, as the BFF's application, through the real msal-node client credentials and Graph SDK.
 */
describe('host.entraShare.provisioning: the invitation engine for a host workflow', () => {
  let emulator: Emulator
  let host: FastifyInstance
  const tenant = () => emulator.context.directory.tenant(seeded.tenantId)

  beforeAll(async () => {
    emulator = await startTestEmulator()
    host = Fastify({ pluginTimeout: 60_000 })
    await host.register(entraShare, { config: emulatorConfig(emulator) })
  })
  afterAll(async () => {
    await host.close()
    await emulator.close()
  })

  it('invites, reads and resends a guest from host code; the guest and its record are the engine’s own', async () => {
    const email = `workflow-${Date.now()}@fabrikam.example`
    const invitation = await host.entraShare.provisioning.inviteGuest({
      email,
      displayName: 'Wanda Workflow',
      presetId: 'apollo',
    })

    expect(invitation.status).toBe('completed')
    const guest = tenant()?.users.get(invitation.invitedUserId)
    expect(guest?.mail).toBe(email)
    expect(guest?.usageLocation).toBe('GB')
    expect(tenant()?.groups.get(seeded.apolloGroupId)?.members.has(invitation.invitedUserId)).toBe(true)
    // Invited by the BFF's own service principal (the app token's oid), not by a user.
    expect(invitation.invitedBy.objectId).toBe(servicePrincipalId(seeded.tenantId, seeded.bffClientId))
    // The same record the HTTP API and the retrier use.
    expect((await host.entraShare.invitations.get(invitation.id))?.invitedUserId).toBe(
      invitation.invitedUserId,
    )

    const read = await host.entraShare.provisioning.getInvitation(invitation.id, { refresh: true })
    expect(read).toMatchObject({ id: invitation.id, externalUserState: 'PendingAcceptance' })

    const resent = await host.entraShare.provisioning.resendInvitation(invitation.id)
    expect(resent.invitedUserId).toBe(invitation.invitedUserId)
    expect(resent.inviteRedeemUrl).not.toBe(invitation.inviteRedeemUrl)
  })

  it('applies the same pre-flight rules: a blocked domain is refused with its catalogued code', async () => {
    await expect(
      host.entraShare.provisioning.inviteGuest({ email: 'spy@competitor.example' }),
    ).rejects.toMatchObject({ code: 'domain_not_allowed' })
  })

  it('refuses a tenant outside ENTRA_SHARE_ALLOWED_TENANT_IDS before anything is sent', async () => {
    await expect(
      host.entraShare.provisioning.inviteGuest(
        { email: 'someone@fabrikam.example' },
        { tenantId: seeded.otherTenantId },
      ),
    ).rejects.toThrow(/not in ENTRA_SHARE_ALLOWED_TENANT_IDS/)
  })
})
