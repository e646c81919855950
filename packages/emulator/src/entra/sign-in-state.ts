import { randomBytes, randomUUID } from 'node:crypto'
import type { AuthorizeRequest } from './authorize-request.js'

/** Name of the emulator's sign-in session cookie (Entra's own is `ESTSAUTH`). */
export const SESSION_COOKIE = 'ESTSAUTH'

/** A browser's sign-in at the emulator: the user, and whether they completed multi-factor authentication. */
export interface SignInSession {
  /** Also the `sid` claim of id_tokens and the `session_state` of authorize responses. */
  id: string
  tenantId: string
  userId: string
  mfa: boolean
}

/** An authorize request waiting on the sign-in page: for an account to be picked, then for MFA approval. */
export interface PendingSignIn {
  id: string
  request: AuthorizeRequest
  /** The picked account, once known. */
  userId: string | null
  expiresAtMs: number
}

// Entra gives up on an unfinished sign-in page after a while; 15 minutes is ample for a test run.
const PENDING_LIFETIME_MS = 15 * 60 * 1000

/**
 * Browser sign-in sessions (for SSO and `prompt=none`) and sign-in pages in progress, kept in memory like the
 * rest of the emulator's state.
 */
export class SignInState {
  private readonly sessions = new Map<string, SignInSession>()
  private readonly pending = new Map<string, PendingSignIn>()

  constructor(private readonly clock: () => number) {}

  /** The session a browser's `ESTSAUTH` cookie names, if it is still signed in. */
  session(id: string | undefined): SignInSession | undefined {
    return id ? this.sessions.get(id) : undefined
  }

  /** Signs the user in: keeps the browser's session (and its `sid`) when the same user signs in again. */
  signIn(current: SignInSession | undefined, tenantId: string, userId: string, mfa: boolean): SignInSession {
    if (current && current.tenantId === tenantId && current.userId === userId) {
      current.mfa = current.mfa || mfa
      return current
    }
    if (current) this.sessions.delete(current.id)
    const session: SignInSession = { id: randomUUID(), tenantId, userId, mfa }
    this.sessions.set(session.id, session)
    return session
  }

  /** Ends the session (sign-out). */
  signOut(id: string | undefined): void {
    if (id) this.sessions.delete(id)
  }

  /** Parks an authorize request while the sign-in page is shown; the returned id travels in the page's forms. */
  park(request: AuthorizeRequest, userId: string | null): PendingSignIn {
    const entry: PendingSignIn = {
      id: randomBytes(24).toString('base64url'),
      request,
      userId,
      expiresAtMs: this.clock() + PENDING_LIFETIME_MS,
    }
    this.pending.set(entry.id, entry)
    return entry
  }

  /** The parked request for a page's `ctx`, if it exists and has not expired. */
  parked(id: string | undefined): PendingSignIn | undefined {
    const entry = id ? this.pending.get(id) : undefined
    if (!entry) return undefined
    if (entry.expiresAtMs <= this.clock()) {
      this.pending.delete(entry.id)
      return undefined
    }
    return entry
  }

  /** Ends a parked request once it is answered. */
  release(id: string): void {
    this.pending.delete(id)
  }
}
