import type pg from 'pg'

/**
 * Where a PostgreSQL database is, as plain data: what another thread needs to open a connection of its own (issue 16:
 * an upload's worker thread stores the rows it judged itself, so they never pass through the main thread).
 */
export interface PostgresConnection {
  connectionString: string
  /** Every table lives in this schema (see `openDatabase`'s `schema`); absent: the connection's default. */
  schema?: string
}

/**
 * The `pg` settings for a connection to `location`: its connection string and, with a schema, the search path set at
 * start-up, so every statement of the connection sees only that schema. The BFF's pool and an upload worker's own
 * connection use the same settings.
 *
 * @example
 * const client = new pg.Client(postgresClientConfig({ connectionString: process.env.DATABASE_URL, schema: 'bff' }))
 */
export function postgresClientConfig(location: PostgresConnection): pg.ClientConfig {
  return {
    connectionString: location.connectionString,
    ...(location.schema ? { options: `-c search_path=${location.schema}` } : {}),
  }
}
