import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type OpenDatabaseOptions, openDatabase } from '../../src/platform/database.js'
import type { Database } from '../../src/platform/types.js'

export type DatabaseKind = Database['kind']

/** Every store test runs on both: the embedded default and the scale-out database. */
export const databaseKinds: DatabaseKind[] = ['pglite', 'postgres']

export const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** An isolated place for one test file's data: a fresh PGlite folder, or a fresh schema on the shared database. */
export interface TestDatabaseLocation {
  kind: DatabaseKind
  options: OpenDatabaseOptions
  /** Opens (and migrates) a new instance on this location; PostgreSQL allows several at once. */
  open(): Promise<Database>
  /** Closes every instance opened here (closing one twice is harmless) and removes the folder or drops the schema. */
  cleanup(): Promise<void>
}

export async function createTestLocation(kind: DatabaseKind, label: string): Promise<TestDatabaseLocation> {
  const opened: Database[] = []
  const track = async (db: Promise<Database>) => {
    const instance = await db
    opened.push(instance)
    return instance
  }
  const closeAll = async () => {
    for (const db of opened.splice(0)) await db.close().catch(() => undefined)
  }

  if (kind === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), `entra-share-store-${label}-`))
    const options: OpenDatabaseOptions = { dataDir }
    return {
      kind,
      options,
      open: () => track(openDatabase(options)),
      async cleanup() {
        await closeAll()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  }

  await assertPostgresReachable()
  const schema = `bff_test_${label}_${randomBytes(4).toString('hex')}`
  const options: OpenDatabaseOptions = { databaseUrl: postgresUrl, dataDir: '', schema }
  return {
    kind,
    options,
    open: () => track(openDatabase(options)),
    async cleanup() {
      await closeAll()
      const admin = new pg.Client({ connectionString: postgresUrl })
      await admin.connect()
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      } finally {
        await admin.end()
      }
    },
  }
}

/** Fails the suite with what to do when PostgreSQL is down, instead of skipping half the tests silently. */
async function assertPostgresReachable(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${postgresUrl.replace(/\/\/[^@/]*@/, '//…@')} (${(error as Error).message}); ` +
        'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` ' +
        'or set DATABASE_URL to a reachable database.',
    )
  } finally {
    await client.end().catch(() => undefined)
  }
}
