import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { CreatedInvitation, GuestEvent } from '@entra-share/contracts'
import type { RunningEmulator } from '@entra-share/emulator'
import { signInToSpa } from '@entra-share/emulator/testing'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAcceptanceCheck } from '../../src/invitations/acceptance-check.js'
import { entraShare } from '../../src/plugin.js'
import { emulatorConfig } from '../api/harness.js'
import { seeded, startTestEmulator } from '../support.js'
import { eventually } from './webhook-receiver.js'

/**
 * The seeds' step 8: "the application provisions the user to its own database using the object id as the immutable
 * id". A host mounts the BFF as a Fastify plugin and keeps its own `project_members` table (its own database, not
 * the BFF's) filled only by `onGuest`.
 */
describe('a host provisions each guest into its own table through onGuest', () => {
  let emulator: RunningEmulator
  let host: FastifyInstance
  const hostDb = new PGlite()

  /** The host's own handler: upsert by object id; a redemption marks the member accepted. */
  async function onGuest(event: GuestEvent): Promise<void> {
    const { invitation } = event.data
    if (event.type === 'invitation.created') {
      await hostDb.query(
        `INSERT INTO project_members (object_id, email, display_name, status)
         VALUES ($1, $2, $3, 'invited') ON CONFLICT (object_id) DO NOTHING`,
        [invitation.invitedUserId, invitation.invitedUserEmailAddress, invitation.invitedUserDisplayName],
      )
    } else if (event.type === 'guest.accepted') {
      await hostDb.query(`UPDATE project_members SET status = 'accepted' WHERE object_id = $1`, [
        invitation.invitedUserId,
      ])
    }
  }
  const members = async () =>
    (
      await hostDb.query<{ object_id: string; email: string; display_name: string | null; status: string }>(
        'SELECT object_id, email, display_name, status FROM project_members ORDER BY email',
      )
    ).rows

  beforeAll(async () => {
    await hostDb.exec(
      `CREATE TABLE project_members (object_id uuid PRIMARY KEY, email text NOT NULL, display_name text,
         status text NOT NULL)`,
    )
    emulator = await startTestEmulator()
    host = Fastify({ pluginTimeout: 60_000 })
    await host.register(entraShare, {
      config: emulatorConfig(emulator, { dataDir: mkdtempSync(join(tmpdir(), 'bff-on-guest-')) }),
      eventDelivery: { pollIntervalMs: 20, retryBaseSeconds: 0.05, retryMaxSeconds: 1 },
      onGuest,
    })
  })
  afterAll(async () => {
    await host.close()
    await emulator.close()
    await hostDb.close()
  })

  it('adds the guest by object id after sharing, and marks them accepted once they redeem', async () => {
    const token = (await signInToSpa(emulator, seeded.inviter.upn)).access_token
    const response = await host.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'provision-ada-0001' },
      payload: { email: 'ada.provisioned@fabrikam.example', displayName: 'Ada Lovelace', presetId: 'apollo' },
    })
    expect(response.statusCode, response.body).toBe(201)
    const invitation = response.json() as CreatedInvitation

    await eventually(async () => (await members()).length === 1)
    expect(await members()).toEqual([
      {
        object_id: invitation.invitedUserId,
        email: 'ada.provisioned@fabrikam.example',
        display_name: 'Ada Lovelace',
        status: 'invited',
      },
    ])

    const guest = emulator.context.directory.tenant(seeded.tenantId)?.users.get(invitation.invitedUserId)
    if (!guest) throw new Error('the guest is not in the directory')
    guest.externalUserState = 'Accepted'
    await createAcceptanceCheck({ ...host.entraShare }).run()

    await eventually(async () => (await members())[0]?.status === 'accepted')
    expect(await members()).toEqual([expect.objectContaining({ object_id: invitation.invitedUserId })])
  })
})
