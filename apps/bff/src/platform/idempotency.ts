import { createHash } from 'node:crypto'
import { constraints, isRetryable } from '@entra-share/contracts'
import { isProblemError, ProblemError } from './problem-error.js'
import type { IdempotencyStore } from './types.js'

/** The answer of an idempotent operation: a status and a JSON body, stored for replays. */
export interface StoredAnswer {
  status: number
  body: unknown
  /** `true` when this answer is a replay of an earlier one. */
  replayed: boolean
}

const keyPattern = new RegExp(constraints.idempotencyKeyPattern)

/** Reads and checks the `Idempotency-Key` header; a missing or malformed key is `invalid_request`. */
export function readIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header
  if (key === undefined || key === '')
    throw new ProblemError('invalid_request', {
      detail: 'Send an Idempotency-Key header (for example a UUID) so a retried request never invites twice.',
      errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key is required.' }],
    })
  if (!keyPattern.test(key))
    throw new ProblemError('invalid_request', {
      detail: 'The Idempotency-Key must be 8 to 128 visible ASCII characters.',
      errors: [
        { field: 'Idempotency-Key', message: 'Idempotency-Key must be 8 to 128 visible ASCII characters.' },
      ],
    })
  return key
}

/** A stable hash of a JSON body: the same fields in any order hash the same. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  return JSON.stringify(value) ?? 'null'
}

/** Problems worth retrying with the same key: nothing final happened, so the key is released, not stored. */
function releasesKey(error: ProblemError): boolean {
  // Retryable per the catalogue (429, 5xx), or a 401 the client fixes by signing in again before it retries.
  return isRetryable(error.code) || error.status === 401
}

/**
 * Runs `work` at most once per caller and key: the same key with the same body replays the stored answer (final
 * refusals included), another body is `idempotency_conflict`, a request still running is `idempotency_in_progress`.
 * Retryable failures (401, 429, 5xx) release the key so the client's retry runs the work again.
 *
 * @example
 * const answer = await runIdempotently({ store, callerKey: 'tid:oid', key, body, status: 201, work: () => saga() })
 * reply.code(answer.status).send(answer.body)
 */
export async function runIdempotently(options: {
  store: IdempotencyStore
  callerKey: string
  key: string
  body: unknown
  /** The success status to store with the work's result (or the status of that result). */
  status: number | ((result: unknown) => number)
  /**
   * `takenOver`: an earlier request with this key reached Graph, then died or failed: it may have acted. The work
   * calls `beforeGraph` before it acts on Graph, so a retry after a failure from then on knows to look first.
   */
  work: (context: { takenOver: boolean; beforeGraph: () => Promise<void> }) => Promise<unknown>
  /** Seconds after which a claim that never completed (its instance died) is taken over. @default 120 */
  staleAfterSeconds?: number
}): Promise<StoredAnswer> {
  const { store, callerKey, key } = options
  const begun = await store.begin({
    callerKey,
    key,
    requestHash: requestHash(options.body),
    staleAfterSeconds: options.staleAfterSeconds ?? 120,
  })
  if (begun.outcome === 'replay') return { status: begun.status, body: begun.body, replayed: true }
  if (begun.outcome === 'conflict')
    throw new ProblemError('idempotency_conflict', {
      detail:
        'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
    })
  if (begun.outcome === 'in_progress')
    throw new ProblemError('idempotency_in_progress', {
      detail: 'A request with this Idempotency-Key is still running; retry in a moment to get its answer.',
      retryAfterSeconds: 1,
    })
  try {
    const result = await options.work({
      takenOver: begun.takenOver,
      beforeGraph: () => store.markGraphAttempt({ callerKey, key }),
    })
    const status = typeof options.status === 'function' ? options.status(result) : options.status
    await store.complete({ callerKey, key, status, body: result })
    return { status, body: result, replayed: false }
  } catch (error) {
    if (isProblemError(error) && !releasesKey(error)) {
      try {
        await store.complete({ callerKey, key, status: error.status, body: { problem: error.toProblem() } })
      } catch (storeError) {
        // A refusal that cannot be stored must not leave the key locked until its lease ends.
        await store.release({ callerKey, key })
        throw storeError
      }
    } else {
      await store.release({ callerKey, key })
    }
    throw error
  }
}
