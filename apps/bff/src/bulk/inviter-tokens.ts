import { type Caller, callerKey } from '../identity/caller.js'

/**
 * The latest validated bearer token of each inviter with a delegated bulk job, IN MEMORY ONLY: it is the
 * On-Behalf-Of assertion the worker acts with, and a bearer token must never reach the database. After a restart
 * it is gone, the job pauses as `paused_reauth`, and the inviter's next authenticated call brings a fresh one.
 */
export interface InviterTokens {
  /** Keeps `caller` as the inviter's latest token (the newest one presented wins). */
  remember(caller: Caller): void
  /** The inviter's latest caller, unless its token has expired. */
  get(inviter: { tenantId: string; objectId: string }): Caller | undefined
  /** Drops the inviter's token (On-Behalf-Of refused it). */
  forget(inviter: { tenantId: string; objectId: string }): void
}

/**
 * @example
 * const inviterTokens = createInviterTokens()
 * inviterTokens.remember(callerOf(request))
 * const caller = inviterTokens.get(job.invitedBy) // undefined: pause the job
 */
export function createInviterTokens(clock: () => Date = () => new Date()): InviterTokens {
  const callers = new Map<string, { caller: Caller; expiresAtMs: number }>()
  return {
    remember(caller) {
      callers.set(callerKey(caller), { caller, expiresAtMs: tokenExpiry(caller.accessToken) })
    },
    get(inviter) {
      const entry = callers.get(callerKey(inviter))
      if (!entry) return undefined
      if (entry.expiresAtMs <= clock().getTime()) {
        callers.delete(callerKey(inviter))
        return undefined
      }
      return entry.caller
    },
    forget(inviter) {
      callers.delete(callerKey(inviter))
    },
  }
}

/** `exp` of a JWT already validated by the caller's request, in milliseconds; far future when unreadable. */
function tokenExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown
    }
    return typeof payload.exp === 'number' ? payload.exp * 1000 : Number.POSITIVE_INFINITY
  } catch {
    return Number.POSITIVE_INFINITY
  }
}
