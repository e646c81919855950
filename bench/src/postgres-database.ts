import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'

/** The PostgreSQL server benchmarks compare PGlite with: DATABASE_URL, or the machine's local one. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** The few members of `pg` used here (the bench has no types for it). */
interface PgClient {
  connect(): Promise<void>
  query(sql: string): Promise<unknown>
  end(): Promise<void>
}

/**
 * A new, empty database on the PostgreSQL server of DATABASE_URL (dropped afterwards), so that the fresh start runs
 * every migration, as on PGlite; made with the BFF's own `pg`. A string says why PostgreSQL is left out.
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | string> {
  const pg = createRequire(import.meta.resolve('@entra-share/bff'))('pg') as {
    Client: new (options: { connectionString: string; connectionTimeoutMillis: number }) => PgClient
  }
  const name = `entra_share_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5_000 })
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
  } catch (error) {
    await admin.end().catch(() => undefined)
    return `left out: PostgreSQL at ${POSTGRES_URL} unavailable (${(error as Error).message})`
  }
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    },
  }
}
