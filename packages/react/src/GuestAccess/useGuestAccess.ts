import { ShareError } from '@entra-share/client'
import type { Invitation, InvitationListQuery } from '@entra-share/contracts'
import { useCallback, useEffect, useReducer, useRef } from 'react'
import { useAccessToken } from '../access-token.js'
import { asShareError, callWithToken } from '../call-with-token.js'
import { type UseInviteExternalUserOptions, useBffClient } from '../useInviteExternalUser.js'

/**
 * Whose invitations: `mine` (the signed-in user's guests), `all` (every guest: administrators), `reviews` (guests
 * whose periodic review waits for the caller), `approvals` (requests the caller may approve or deny).
 */
export type GuestListScope = NonNullable<InvitationListQuery['scope']>

/**
 * What a row can do: `extend` the access once, `remove` it (`DELETE`), answer a periodic review with `keep` or
 * `reviewRemove`, or, for an approver, `approve` or `deny` a request.
 */
export type GuestActionName = 'extend' | 'remove' | 'keep' | 'reviewRemove' | 'approve' | 'deny'

/** One row's actions: the one in flight, and the last one's outcome. */
export interface GuestRowActivity {
  /** The action in flight, else `null`. */
  pending: GuestActionName | null
  /** The last action, once it has answered. */
  last: GuestActionName | null
  /** Its failure, else `null` (cleared when the next action starts). */
  error: ShareError | null
}

/** Options of {@link useGuestAccess}. */
export type UseGuestAccessOptions = UseInviteExternalUserOptions & {
  /** Whose invitations to list. @default 'mine' */
  scope?: GuestListScope | undefined
  /** Invitations per page ("Load more" asks for the next). @default 20 */
  pageSize?: number | undefined
  /** Called with the invitation as the BFF answered each action that succeeded. */
  onChanged?: ((invitation: Invitation, action: GuestActionName) => void) | undefined
  /** Called for every failure: loading the list, or an action. */
  onError?: ((error: ShareError) => void) | undefined
}

/** The last answer of an action, for the live region; `sequence` tells two equal answers apart. */
export interface GuestActionOutcome {
  id: string
  action: GuestActionName
  error: ShareError | null
  sequence: number
}

/** What {@link useGuestAccess} returns. */
export interface GuestAccessControls {
  /** The first page: `loading`, then `ready`, or `error` when it could not be read (`error` says why). */
  status: 'loading' | 'ready' | 'error'
  /** The invitations read so far, newest first, each replaced by the BFF's answer to an action on it. */
  items: Invitation[]
  /** Why the list (its first page, or the next) could not be read; `null` otherwise. */
  error: ShareError | null
  /** More pages wait: call `loadMore`. */
  hasMore: boolean
  loadingMore: boolean
  /** Reads the next page; never throws. */
  loadMore(): Promise<void>
  /** Reads the first page again, asking for a token interactively (the user pressed Try again); never throws. */
  reload(): Promise<void>
  /** Each row's activity by invitation id; a row never acted on has none. */
  rows: Readonly<Record<string, GuestRowActivity>>
  /** The last action's answer. */
  outcome: GuestActionOutcome | null
  /** `POST …/extend`: adds `days` (default: the preset's `accessDays`) to the access, once. */
  extend(id: string, days?: number): Promise<Invitation | null>
  /** `DELETE …`: removes the guest's access, as expiry does. */
  remove(id: string): Promise<Invitation | null>
  /** `POST …/review`: keeps or removes the guest in a periodic review. */
  review(id: string, decision: 'keep' | 'remove', comment?: string): Promise<Invitation | null>
  /** `POST …/approve`: the approver approves the request; the guest is invited. */
  approve(id: string, comment?: string): Promise<Invitation | null>
  /** `POST …/deny`: the approver denies the request. */
  deny(id: string, comment?: string): Promise<Invitation | null>
}

interface GuestAccessData {
  status: GuestAccessControls['status']
  items: Invitation[]
  nextCursor: string | undefined
  error: ShareError | null
  loadingMore: boolean
  rows: Record<string, GuestRowActivity>
  outcome: GuestActionOutcome | null
}

type GuestAccessAction =
  | { type: 'loading' }
  | { type: 'loaded'; items: Invitation[]; nextCursor: string | undefined; append: boolean }
  | { type: 'loadingMore' }
  | { type: 'listFailed'; error: ShareError | null }
  | { type: 'acting'; id: string; action: GuestActionName }
  | {
      type: 'acted'
      id: string
      action: GuestActionName
      invitation: Invitation | null
      error: ShareError | null
    }

const initialData: GuestAccessData = {
  status: 'loading',
  items: [],
  nextCursor: undefined,
  error: null,
  loadingMore: false,
  rows: {},
  outcome: null,
}

function guestAccessReducer(state: GuestAccessData, action: GuestAccessAction): GuestAccessData {
  switch (action.type) {
    case 'loading':
      return { ...state, status: 'loading', error: null }
    case 'loaded': {
      // A page read after an action may repeat a row: the newest answer wins, in the list's order.
      const items = action.append
        ? [
            ...state.items,
            ...action.items.filter((item) => !state.items.some((known) => known.id === item.id)),
          ]
        : action.items
      return {
        ...state,
        status: 'ready',
        items,
        nextCursor: action.nextCursor,
        loadingMore: false,
        error: null,
      }
    }
    case 'loadingMore':
      return { ...state, loadingMore: true, error: null }
    case 'listFailed':
      return {
        ...state,
        status: state.status === 'loading' ? 'error' : state.status,
        loadingMore: false,
        error: action.error,
      }
    case 'acting':
      return {
        ...state,
        rows: { ...state.rows, [action.id]: { pending: action.action, last: null, error: null } },
      }
    case 'acted': {
      const { id, invitation, error } = action
      return {
        ...state,
        items: invitation ? state.items.map((item) => (item.id === id ? invitation : item)) : state.items,
        rows: { ...state.rows, [id]: { pending: null, last: action.action, error } },
        outcome: { id, action: action.action, error, sequence: (state.outcome?.sequence ?? 0) + 1 },
      }
    }
  }
}

/**
 * The data behind `<GuestAccess>`, headless: the signed-in user's invitations (or every guest, the reviews due, or
 * the requests waiting for their approval) read page by page from `GET /api/invitations`, and the governance
 * actions on each — extend, remove, keep or remove in a review, approve, deny — each with its own in-flight and
 * failure state. Tokens come from the token seam: the first page silently (`interactive: false`), actions, "Load
 * more" and `reload` interactively, with one retry after a claims challenge. Nothing throws: failures are
 * `ShareError`s in `error` or in the row's activity.
 *
 * @example
 * const guests = useGuestAccess({ bffUrl: 'https://lob.contoso.com', scopes: ['api://<BFF client id>/Invitations.Send'] })
 * guests.items.map((guest) => (
 *   <button key={guest.id} disabled={guests.rows[guest.id]?.pending != null} onClick={() => guests.extend(guest.id)}>
 *     Extend {guest.invitedUserEmailAddress}
 *   </button>
 * ))
 */
export function useGuestAccess(options: UseGuestAccessOptions): GuestAccessControls {
  const client = useBffClient(options)
  const acquireToken = useAccessToken(options.scopes, options.getAccessToken)
  const scope = options.scope ?? 'mine'
  const limit = options.pageSize ?? 20
  const [state, dispatch] = useReducer(guestAccessReducer, initialData)
  // The latest callbacks and cursor, read when an answer arrives rather than when the request started.
  const callbacks = useRef(options)
  callbacks.current = options
  const cursor = useRef(state.nextCursor)
  cursor.current = state.nextCursor
  // One answer per list request: a late page of an earlier scope or client is dropped.
  const listRequest = useRef(0)
  const inFlight = useRef(new Set<string>())

  const readPage = useCallback(
    async (append: boolean, interactive: boolean) => {
      const request = ++listRequest.current
      dispatch(append ? { type: 'loadingMore' } : { type: 'loading' })
      try {
        const page = await callWithToken(
          acquireToken,
          (accessToken) =>
            client.listInvitations(
              { scope, limit, ...(append && cursor.current ? { cursor: cursor.current } : {}) },
              { accessToken },
            ),
          { interactive },
        )
        if (request !== listRequest.current) return
        if (page === null) {
          // No token (none silently, or the sign-in was cancelled): the first page waits for Try again, which may
          // ask the user to sign in; a next page simply is not read.
          dispatch({
            type: 'listFailed',
            error: append ? null : new ShareError('sign_in_required', 'No token for the BFF.'),
          })
          return
        }
        dispatch({ type: 'loaded', items: page.items, nextCursor: page.nextCursor, append })
      } catch (error) {
        if (request !== listRequest.current) return
        const shareError = asShareError(error, 'The invitations could not be read.')
        dispatch({ type: 'listFailed', error: shareError })
        callbacks.current.onError?.(shareError)
      }
    },
    [acquireToken, client, scope, limit],
  )

  useEffect(() => {
    void readPage(false, false)
  }, [readPage])

  const act = useCallback(
    async (
      id: string,
      action: GuestActionName,
      call: (accessToken: string) => Promise<Invitation>,
    ): Promise<Invitation | null> => {
      if (inFlight.current.has(id)) return null
      inFlight.current.add(id)
      dispatch({ type: 'acting', id, action })
      try {
        const invitation = await callWithToken(acquireToken, call)
        dispatch({ type: 'acted', id, action, invitation, error: null })
        if (invitation) callbacks.current.onChanged?.(invitation, action)
        return invitation
      } catch (error) {
        const shareError = asShareError(error, 'The action failed unexpectedly.')
        dispatch({ type: 'acted', id, action, invitation: null, error: shareError })
        callbacks.current.onError?.(shareError)
        return null
      } finally {
        inFlight.current.delete(id)
      }
    },
    [acquireToken],
  )

  return {
    status: state.status,
    items: state.items,
    error: state.error,
    hasMore: state.nextCursor !== undefined,
    loadingMore: state.loadingMore,
    loadMore: useCallback(() => readPage(true, true), [readPage]),
    reload: useCallback(() => readPage(false, true), [readPage]),
    rows: state.rows,
    outcome: state.outcome,
    extend: (id, days) =>
      act(id, 'extend', (accessToken) =>
        client.extendAccess(id, days === undefined ? {} : { days }, { accessToken }),
      ),
    remove: (id) => act(id, 'remove', (accessToken) => client.removeAccess(id, { accessToken })),
    review: (id, decision, comment) =>
      act(id, decision === 'keep' ? 'keep' : 'reviewRemove', (accessToken) =>
        client.reviewInvitation(id, { decision, ...(comment ? { comment } : {}) }, { accessToken }),
      ),
    approve: (id, comment) =>
      act(id, 'approve', (accessToken) =>
        client.approveInvitation(id, comment ? { comment } : {}, { accessToken }),
      ),
    deny: (id, comment) =>
      act(id, 'deny', (accessToken) =>
        client.denyInvitation(id, comment ? { comment } : {}, { accessToken }),
      ),
  }
}
