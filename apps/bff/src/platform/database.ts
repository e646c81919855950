import { PGlite, type Transaction } from '@electric-sql/pglite'
import pg from 'pg'
import { ExtendedQueryWriter } from './extended-query-message.js'
import { applyMigrations, type MigratableDatabase, type ScriptQueryable } from './migrations.js'
import { ensurePgliteCluster, PGLITE_START_PARAMS } from './pglite-cluster.js'
import { postgresClientConfig } from './postgres-connection.js'
import type { Database } from './types.js'

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string; absent: embedded PGlite in `dataDir`. */
  databaseUrl?: string
  /** PGlite's folder (created if missing); unused with `databaseUrl`. */
  dataDir: string
  /** Puts every table in this schema (created if missing), e.g. to isolate test runs on one database. */
  schema?: string
}

// Lowercase only, so the name needs no quoting in SQL or in the connection's `-c search_path=` option.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Opens the BFF's database and brings its schema up to date: PGlite persisted in `dataDir` by default, PostgreSQL
 * through a `pg` pool when `databaseUrl` is set. PGlite is one connection, so its transactions are serialised: a
 * caller's statements never land inside another caller's BEGIN … COMMIT. Inside `transaction(work)` use only the
 * `tx` handed to `work`; calling the database itself from there waits for the transaction and, on PGlite, never ends.
 *
 * @example
 * const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '.data/bff' })
 * const invitations = createInvitationStore(db)
 * // …
 * await db.close()
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { databaseUrl, dataDir, schema } = options
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new TypeError(
      `openDatabase: schema must be a lowercase SQL identifier (a-z, 0-9, _; at most 63 characters), got '${schema}'.`,
    )
  }
  const db = databaseUrl ? openPostgres(databaseUrl, schema) : await openPglite(dataDir, schema)
  try {
    await applyMigrations(db, schema === undefined ? {} : { schema })
  } catch (error) {
    await db.close().catch(() => undefined)
    throw error
  }
  return db
}

async function openPglite(dataDir: string, schema: string | undefined): Promise<MigratableDatabase> {
  // A new folder gets its cluster from outside this process, so this PGlite only opens one (no initdb here).
  await ensurePgliteCluster(dataDir)
  const pglite = await PGlite.create(dataDir, { startParams: [...PGLITE_START_PARAMS] })
  // One session for the life of the instance, so a session-level search_path covers every later statement.
  if (schema) await pglite.exec(`SET search_path TO ${schema}`)
  // New WAL files are not filled with zeros first (PostgreSQL offers this for file systems where it does not help):
  // through PGlite's file layer that is 16 MB of zeros a file in 256 KB writes, each gathered into a new JavaScript
  // buffer on the main thread, 48 MB of garbage over a 100,000-row upload (issue 16). The session is the only one
  // that writes WAL once started, so setting it here is enough; start-up (and the template's initdb) stay as they were.
  await pglite.exec('SET wal_init_zero = off')
  const wrap = (target: PGlite | Transaction): ScriptQueryable => ({
    query: async <Row>(sql: string, params?: unknown[]) => (await target.query<Row>(sql, params)).rows,
    exec: async (sql: string) => {
      await target.exec(sql)
    },
  })
  const session = wrap(pglite)
  const messages = new ExtendedQueryWriter()
  return {
    kind: 'pglite',
    query: session.query,
    // execProtocol takes neither of PGlite's locks: inside a transaction of its own (the transaction lock, so it
    // cannot land in another caller's BEGIN … COMMIT) and runExclusive (the query lock).
    executeJsonBytes: (sql, textParams, json) =>
      pglite.transaction(async () => {
        await pglite.runExclusive(() => pglite.execProtocol(messages.write(sql, textParams, json)))
      }),
    // PGlite's own transaction() holds its mutex until COMMIT/ROLLBACK; plain queries wait on the same mutex.
    transaction: (work) => pglite.transaction((tx) => work(wrap(tx))),
    ping: async () => {
      await pglite.query('SELECT 1')
    },
    close: () => pglite.close(),
  }
}

function openPostgres(connectionString: string, schema: string | undefined): MigratableDatabase {
  const location = { connectionString, ...(schema ? { schema } : {}) }
  const pool = new pg.Pool(postgresClientConfig(location))
  // An idle client dropped by the server (restart, failover) must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined)
  const wrap = (client: pg.PoolClient): ScriptQueryable => ({
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    // Without parameters pg uses the simple query protocol, which accepts several statements.
    exec: async (sql: string) => {
      await client.query(sql)
    },
  })
  return {
    kind: 'postgres',
    connection: location,
    query: async <Row>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as Row[],
    // A Buffer parameter goes in binary format; pg copies it into its message before the query's answer comes.
    executeJsonBytes: async (sql, textParams, json) => {
      await pool.query(sql, [...textParams, Buffer.from(json.buffer, json.byteOffset, json.byteLength)])
    },
    transaction: async (work) => {
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        const result = await work(wrap(client))
        await client.query('COMMIT')
        return result
      } catch (error) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          // A connection that cannot roll back is in an unknown state: destroy it rather than reuse it.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
        }
        throw error
      } finally {
        client.release(broken)
      }
    },
    ping: async () => {
      await pool.query('SELECT 1')
    },
    close: () => pool.end(),
  }
}
