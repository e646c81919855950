import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Invitation } from '@entra-share/contracts'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/platform/database.js'
import type { Database } from '../../src/platform/types.js'
import { seeded, startTestEmulator } from '../support.js'
import { startHarness } from './harness.js'

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())

describe.each(['pglite', 'postgres'] as const)('on %s, a restarted BFF', (kind) => {
  const schema = `bff_restart_${process.pid}_${Date.now()}`
  const dataDir = mkdtempSync(join(tmpdir(), `bff-restart-${kind}-`))
  const open = (): Promise<Database | undefined> =>
    kind === 'postgres'
      ? openDatabase({ databaseUrl: DATABASE_URL, dataDir, schema })
      : Promise.resolve(undefined)

  afterAll(async () => {
    if (kind !== 'postgres') return
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  })

  it('still knows the invitations and guests it recorded, and their idempotent answers', async () => {
    const database = await open()
    const before = await startHarness({ emulator, config: { dataDir }, app: database ? { database } : {} })
    const created = await before.invite(
      seeded.inviter.upn,
      { email: `restart-${kind}@fabrikam.example` },
      { idempotencyKey: `restart-${kind}-key` },
    )
    expect(created.statusCode).toBe(201)
    const invitation = created.json() as Invitation
    await before.close()
    await database?.close()

    const reopened = await open()
    const after = await startHarness({
      emulator,
      config: { dataDir },
      app: reopened ? { database: reopened } : {},
    })
    try {
      expect(after.app.entraShare.database.kind).toBe(kind)
      const read = await after.get(seeded.inviter.upn, `/api/invitations/${invitation.id}`)
      expect(read.statusCode).toBe(200)
      expect((read.json() as Invitation).invitedUserId).toBe(invitation.invitedUserId)
      expect(await after.app.entraShare.appUsers.get(invitation.invitedUserId)).toMatchObject({
        email: `restart-${kind}@fabrikam.example`,
      })
      const replay = await after.invite(
        seeded.inviter.upn,
        { email: `restart-${kind}@fabrikam.example` },
        { idempotencyKey: `restart-${kind}-key` },
      )
      expect(replay.headers['idempotent-replayed']).toBe('true')
      expect((replay.json() as Invitation).id).toBe(invitation.id)
    } finally {
      await after.close()
      await reopened?.close()
    }
  })
})
