/** Types shared by every feature's store: the database connection and the idempotency claims. */
import type { PostgresConnection } from './postgres-connection.js'

/** A queryable connection: PGlite or a `pg` pool/client, behind one shape. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
}

/** The database: PGlite (embedded default) or PostgreSQL (`DATABASE_URL`), with the same SQL and migrations. */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /**
   * PostgreSQL: where it is, so that a worker thread can open a connection of its own. Absent on PGlite, which runs
   * inside this thread and can be reached only from it.
   */
  readonly connection?: PostgresConnection
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * Runs one statement whose parameters are `textParams` and then, last, `json`: JSON text as UTF-8 bytes, which
   * reach the database without becoming a string on this thread (issue 16: an upload's batches, from the worker
   * thread that judged them). On PGlite the wire messages are written into a buffer kept for the next call; on
   * PostgreSQL the bytes are bound as the parameter's binary form, which for `json` is its text.
   *
   * @example
   * await db.executeJsonBytes('INSERT INTO t (job, doc) SELECT $1::text, $2::json', ['job-1'], utf8Json)
   */
  executeJsonBytes(sql: string, textParams: readonly string[], json: Uint8Array): Promise<void>
  /** `SELECT 1`: for `/readyz`. */
  ping(): Promise<void>
  close(): Promise<void>
}

/** What {@link IdempotencyStore.begin} found for a key. */
export type IdempotencyBegin =
  /**
   * First use, or a claim taken over (`takenOver`: an earlier request with this key reached Graph, then died or
   * failed, so the work should look before it acts again): go ahead, then `complete` or `release`.
   */
  | { outcome: 'started'; takenOver: boolean }
  /** Completed before with the same request: send this answer again. */
  | { outcome: 'replay'; status: number; body: unknown }
  /** Used before with another request body. */
  | { outcome: 'conflict' }
  /** Another request with this key is running right now. */
  | { outcome: 'in_progress' }

export interface IdempotencyStore {
  /**
   * Claims `key` for `callerKey` (`tid:oid`) and a hash of the request; a claim older than `staleAfterSeconds`
   * that never completed (its instance died) is taken over.
   */
  begin(options: {
    callerKey: string
    key: string
    requestHash: string
    staleAfterSeconds: number
  }): Promise<IdempotencyBegin>
  /** Stores the final answer for replays. */
  complete(options: { callerKey: string; key: string; status: number; body: unknown }): Promise<void>
  /**
   * Forgets a claim whose request failed in a way worth retrying (401, 429, 5xx). A claim whose request reached
   * Graph ({@link IdempotencyStore.markGraphAttempt}) is kept, stale at once, so the retry takes it over as
   * `takenOver`.
   */
  release(options: { callerKey: string; key: string }): Promise<void>
  /** Notes that the request holding the claim is about to call Graph. */
  markGraphAttempt(options: { callerKey: string; key: string }): Promise<void>
}
