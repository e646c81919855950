import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppUserStore } from '../../src/invitations/app-user-store.js'
import { createInvitationStore } from '../../src/invitations/invitation-store.js'
import { openDatabase } from '../../src/platform/database.js'
import {
  applyMigrations,
  findMigrationsDirectory,
  type MigratableDatabase,
  readMigrations,
} from '../../src/platform/migrations.js'
import type { Database } from '../../src/platform/types.js'
import { makeGuest, makeInvitation } from '../invitations/fixtures.js'
import { createTestLocation, databaseKinds, postgresUrl, type TestDatabaseLocation } from './databases.js'

const migrationNames = async () =>
  (await readMigrations(findMigrationsDirectory())).map((migration) => migration.name)

describe.each(databaseKinds)('openDatabase on %s', (kind) => {
  let location: TestDatabaseLocation
  let db: Database

  beforeAll(async () => {
    location = await createTestLocation(kind, 'database')
    db = await location.open()
  })
  afterAll(async () => {
    await location?.cleanup()
  })

  it('opens the requested kind, answers ping and records every migration once', async () => {
    expect(db.kind).toBe(kind)
    await expect(db.ping()).resolves.toBeUndefined()
    const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version')
    expect(rows.map((row) => row.name)).toEqual(await migrationNames())
    expect(rows.map((row) => row.name)).toContain('001_initial')
  })

  it('reopening applies nothing again and keeps the data (state survives a restart)', async () => {
    const guest = makeGuest()
    const record = makeInvitation(guest, { status: 'partial', nextRetryAt: '2031-01-01T00:00:00.000Z' })
    await createInvitationStore(db).createWithGuest(record, guest)
    const before = await db.query<{ version: number; applied_at: Date }>(
      'SELECT version, applied_at FROM schema_migrations ORDER BY version',
    )

    await db.close()
    db = await location.open()

    expect(
      await db.query<{ version: number; applied_at: Date }>(
        'SELECT version, applied_at FROM schema_migrations ORDER BY version',
      ),
    ).toEqual(before)
    expect(await createInvitationStore(db).get(record.id)).toEqual(record)
    expect(await createAppUserStore(db).get(guest.objectId)).toEqual(guest)
  })

  it('applies a new migration once, and a failing one leaves nothing behind', async () => {
    // openDatabase hands out the migratable implementation; the public type just does not advertise `exec`.
    const migratable = db as MigratableDatabase
    const schema = location.options.schema
    const shipped = await readMigrations(findMigrationsDirectory())
    const broken = {
      version: 901,
      name: '901_broken',
      sql: 'CREATE TABLE half_done (a int); SELECT no_such_fn();',
    }
    await expect(applyMigrations(migratable, { schema, migrations: [...shipped, broken] })).rejects.toThrow(
      /no_such_fn/,
    )
    expect(await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`)).toEqual(
      [],
    )
    expect(await db.query('SELECT 1 FROM schema_migrations WHERE version = 901')).toEqual([])

    const extra = {
      version: 902,
      name: '902_extra',
      sql: 'CREATE TABLE extra (a int); CREATE TABLE extra_two (b int);',
    }
    expect(await applyMigrations(migratable, { schema, migrations: [...shipped, extra] })).toEqual([
      '902_extra',
    ])
    expect(await applyMigrations(migratable, { schema, migrations: [...shipped, extra] })).toEqual([])
    expect(await db.query('SELECT b FROM extra_two')).toEqual([])
  })

  it('commits a transaction and returns what its work returned', async () => {
    const guest = makeGuest()
    const result = await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO app_users (object_id, email, user_type, external_user_state, invited_by_tenant_id,
           invited_by_object_id, created_at, updated_at) VALUES ($1, $2, 'Guest', 'Unknown', 't', 'o', now(), now())`,
        [guest.objectId, guest.email],
      )
      return 'done'
    })
    expect(result).toBe('done')
    expect(await createAppUserStore(db).get(guest.objectId)).not.toBeNull()
  })

  it('rolls back on throw, and a concurrent caller never sees inside an open transaction', async () => {
    const guest = makeGuest()
    let inserted!: () => void
    const insertedSignal = new Promise<void>((resolve) => {
      inserted = resolve
    })
    const failing = db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO app_users (object_id, email, user_type, external_user_state, invited_by_tenant_id,
           invited_by_object_id, created_at, updated_at) VALUES ($1, $2, 'Guest', 'Unknown', 't', 'o', now(), now())`,
        [guest.objectId, guest.email],
      )
      inserted()
      await new Promise((resolve) => setTimeout(resolve, 100))
      throw new Error('saga step failed')
    })
    await insertedSignal
    // On PGlite's single connection this would run inside the open transaction and see the row, were it not queued.
    const seenMeanwhile = db.query('SELECT object_id FROM app_users WHERE object_id = $1', [guest.objectId])
    await expect(failing).rejects.toThrow('saga step failed')
    expect(await seenMeanwhile).toEqual([])
    expect(await createAppUserStore(db).get(guest.objectId)).toBeNull()
  })

  it("keeps concurrent transactions apart: one rolling back never takes the other one's writes with it", async () => {
    const [doomed, kept] = [makeGuest(), makeGuest()]
    const insertGuest = (tx: Pick<Database, 'query'>, guest: typeof doomed) =>
      tx.query(
        `INSERT INTO app_users (object_id, email, user_type, external_user_state, invited_by_tenant_id,
           invited_by_object_id, created_at, updated_at) VALUES ($1, $2, 'Guest', 'Unknown', 't', 'o', now(), now())`,
        [guest.objectId, guest.email],
      )
    // Interleaved on one connection, B's COMMIT would commit A's insert and A's ROLLBACK would undo nothing.
    const results = await Promise.allSettled([
      db.transaction(async (tx) => {
        await insertGuest(tx, doomed)
        await new Promise((resolve) => setTimeout(resolve, 50))
        throw new Error('A fails')
      }),
      db.transaction(async (tx) => {
        await insertGuest(tx, kept)
      }),
    ])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled'])
    const users = createAppUserStore(db)
    expect(await users.get(doomed.objectId)).toBeNull()
    expect(await users.get(kept.objectId)).not.toBeNull()
  })

  it('stores JSON given as UTF-8 bytes, answers a bad statement with its error, and waits for open transactions', async () => {
    const guests = [makeGuest(), makeGuest()]
    const names = ['Zoë Ñandú 🦋', `${'long '.repeat(30_000)}end`]
    const json = (rows: object[]) => new TextEncoder().encode(JSON.stringify(rows))
    const insertUsers = `INSERT INTO app_users (object_id, email, display_name, user_type, external_user_state,
        invited_by_tenant_id, invited_by_object_id, created_at, updated_at)
      SELECT r.id, r.email, r.name, 'Guest', 'Unknown', $1::text, 'o', now(), now()
        FROM json_to_recordset($2::json) AS r(id text, email text, name text)`
    // Held open past the call: the bytes must wait for it to end, not run inside it (PGlite has one session).
    let opened!: () => void
    const openSignal = new Promise<void>((resolve) => {
      opened = resolve
    })
    const failing = db.transaction(async (tx) => {
      await tx.query('SELECT 1')
      opened()
      await new Promise((resolve) => setTimeout(resolve, 100))
      throw new Error('rolled back')
    })
    await openSignal
    const stored = db.executeJsonBytes(
      insertUsers,
      ['tenant-bytes'],
      // A view into a larger buffer, as a batch in the worker's shared memory is.
      new Uint8Array([
        ...json(
          guests.map((guest, index) => ({ id: guest.objectId, email: guest.email, name: names[index] })),
        ),
        0,
        0,
      ]).subarray(0, -2),
    )
    await expect(failing).rejects.toThrow('rolled back')
    await stored
    const rows = await db.query<{ display_name: string; invited_by_tenant_id: string }>(
      'SELECT display_name, invited_by_tenant_id FROM app_users WHERE object_id = ANY($1) ORDER BY length(display_name)',
      [guests.map((guest) => guest.objectId)],
    )
    expect(rows).toEqual([
      { display_name: names[0], invited_by_tenant_id: 'tenant-bytes' },
      { display_name: names[1], invited_by_tenant_id: 'tenant-bytes' },
    ])
    // The same rows again: the primary key refuses them, with PostgreSQL's own message, and nothing is half stored.
    await expect(
      db.executeJsonBytes(
        insertUsers,
        ['tenant-bytes'],
        json([{ id: guests[0]?.objectId, email: 'x@y.example' }]),
      ),
    ).rejects.toThrow(/duplicate key value violates unique constraint/)
    await expect(
      db.executeJsonBytes(insertUsers, ['t'], new TextEncoder().encode('[{"id": ')),
    ).rejects.toThrow(/invalid input syntax for type json/)
    // The session is still usable afterwards.
    await expect(db.ping()).resolves.toBeUndefined()
  })

  it.runIf(kind === 'pglite')(
    'does not fill new WAL files with zeros first (garbage on the main thread)',
    async () => {
      expect(await db.query('SHOW wal_init_zero')).toEqual([{ wal_init_zero: 'off' }])
    },
  )

  it.runIf(kind === 'postgres')('puts every table in the requested schema and none in public', async () => {
    const schema = location.options.schema
    const rows = await db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_name IN ('app_users', 'invitations', 'idempotency_keys', 'schema_migrations')
         AND table_schema IN ($1, 'public')
       ORDER BY table_name`,
      [schema],
    )
    expect(rows).toEqual([
      { table_schema: schema, table_name: 'app_users' },
      { table_schema: schema, table_name: 'idempotency_keys' },
      { table_schema: schema, table_name: 'invitations' },
      { table_schema: schema, table_name: 'schema_migrations' },
    ])
  })

  it.runIf(kind === 'postgres')(
    'two instances starting together on a fresh schema migrate once (advisory lock)',
    async () => {
      const fresh = await createTestLocation('postgres', 'race')
      try {
        const [first, second] = await Promise.all([fresh.open(), fresh.open()])
        const rows = await first.query<{ version: number }>('SELECT version FROM schema_migrations')
        expect(rows).toHaveLength((await migrationNames()).length)
        await expect(second.ping()).resolves.toBeUndefined()
      } finally {
        await fresh.cleanup()
      }
    },
  )
})

describe('openDatabase options', () => {
  it('rejects a schema name that would need quoting, naming the option', async () => {
    await expect(openDatabase({ dataDir: '', databaseUrl: postgresUrl, schema: 'Bad-Name' })).rejects.toThrow(
      /schema must be a lowercase SQL identifier/,
    )
  })

  it('PGlite with a schema creates the folder, keeps tables in the schema and finds them after a restart', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'entra-share-store-schema-'))
    const dataDir = join(parent, 'nested', 'data')
    try {
      const guest = makeGuest()
      let db = await openDatabase({ dataDir, schema: 'tenant_a' })
      await createInvitationStore(db).createWithGuest(makeInvitation(guest), guest)
      const [where] = await db.query<{ table_schema: string }>(
        `SELECT table_schema FROM information_schema.tables WHERE table_name = 'app_users'`,
      )
      expect(where?.table_schema).toBe('tenant_a')
      await db.close()

      db = await openDatabase({ dataDir, schema: 'tenant_a' })
      expect(await createAppUserStore(db).get(guest.objectId)).toEqual(guest)
      await db.close()
    } finally {
      await rm(parent, { recursive: true, force: true })
    }
  })
})
