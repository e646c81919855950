import type { IdempotencyBegin, IdempotencyStore, Queryable } from './types.js'

interface KeyRow {
  request_hash: string
  state: 'in_progress' | 'completed'
  response_status: number | null
  response_body: unknown
  stale: boolean
  graph_attempted: boolean
}

// Each pass either decides or sees the row change under it (released, completed or taken over by another request);
// a handful of passes is plenty, and the bound keeps a bug from spinning forever.
const MAX_PASSES = 5

/**
 * `Idempotency-Key` claims and stored answers, safe when several requests (or BFF instances) race on one key: the
 * database decides who started, with an insert that ignores conflicts and a conditional update for stale claims.
 * Ages are measured on the database clock, so instances with skewed clocks agree.
 *
 * @example
 * const keys = createIdempotencyStore(db)
 * const claim = await keys.begin({ callerKey: 'tid:oid', key, requestHash, staleAfterSeconds: 60 })
 * if (claim.outcome === 'replay') return reply.code(claim.status).send(claim.body)
 * if (claim.outcome === 'started') {
 *   const answer = await runSaga()
 *   await keys.complete({ callerKey: 'tid:oid', key, status: 201, body: answer })
 * }
 */
export function createIdempotencyStore(db: Queryable): IdempotencyStore {
  return {
    async begin({ callerKey, key, requestHash, staleAfterSeconds }): Promise<IdempotencyBegin> {
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        const inserted = await db.query(
          `INSERT INTO idempotency_keys (caller_key, key, request_hash, state)
           VALUES ($1, $2, $3, 'in_progress')
           ON CONFLICT (caller_key, key) DO NOTHING
           RETURNING 1 AS claimed`,
          [callerKey, key, requestHash],
        )
        if (inserted.length > 0) return { outcome: 'started', takenOver: false }

        const [row] = await db.query<KeyRow>(
          `SELECT request_hash, state, response_status, response_body, graph_attempted,
                  updated_at <= now() - make_interval(secs => $3) AS stale
           FROM idempotency_keys WHERE caller_key = $1 AND key = $2`,
          [callerKey, key, staleAfterSeconds],
        )
        if (!row) continue // released between our insert and our read: try to claim it again
        if (row.request_hash !== requestHash) return { outcome: 'conflict' }
        if (row.state === 'completed') {
          return { outcome: 'replay', status: row.response_status ?? 500, body: row.response_body }
        }
        if (!row.stale) return { outcome: 'in_progress' }

        // The claimant died. Only one taker's update still sees the claim stale: the others wait on the row lock,
        // re-check the condition against the refreshed row, match nothing and go round again.
        const takenOver = await db.query(
          `UPDATE idempotency_keys SET updated_at = now()
           WHERE caller_key = $1 AND key = $2 AND request_hash = $3 AND state = 'in_progress'
             AND updated_at <= now() - make_interval(secs => $4)
           RETURNING 1 AS claimed`,
          [callerKey, key, requestHash, staleAfterSeconds],
        )
        // Only a claimant that reached Graph may have acted; one that died before can simply be run again.
        if (takenOver.length > 0) return { outcome: 'started', takenOver: row.graph_attempted }
      }
      throw new Error(
        `Idempotency key '${key}' kept changing while it was being claimed; try the request again.`,
      )
    },

    async complete({ callerKey, key, status, body }) {
      // No row means the claim was released meanwhile; the answer still goes to the caller, it just cannot replay.
      await db.query(
        `UPDATE idempotency_keys
         SET state = 'completed', response_status = $3, response_body = $4::jsonb, updated_at = now()
         WHERE caller_key = $1 AND key = $2`,
        [callerKey, key, status, body === undefined ? null : JSON.stringify(body)],
      )
    },

    async release({ callerKey, key }) {
      // Only an unfinished claim: a stored answer must keep replaying even if a late failure path calls release.
      await db.query(
        `DELETE FROM idempotency_keys
         WHERE caller_key = $1 AND key = $2 AND state = 'in_progress' AND NOT graph_attempted`,
        [callerKey, key],
      )
      // Graph may have acted: the claim stays, stale at once, so the retry takes it over and looks first.
      await db.query(
        `UPDATE idempotency_keys SET updated_at = 'epoch'::timestamptz
         WHERE caller_key = $1 AND key = $2 AND state = 'in_progress' AND graph_attempted`,
        [callerKey, key],
      )
    },

    async markGraphAttempt({ callerKey, key }) {
      await db.query(
        `UPDATE idempotency_keys SET graph_attempted = true
         WHERE caller_key = $1 AND key = $2 AND state = 'in_progress'`,
        [callerKey, key],
      )
    },
  }
}
