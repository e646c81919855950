import { type BulkClient, isShareError, ShareError } from '@entra-share/client'
import type { BulkJob } from '@entra-share/contracts'
import { useCallback, useEffect, useReducer, useRef } from 'react'
import type { AcquireToken } from '../access-token.js'

/** The server side of one bulk invitation: the job as last read, the failure, and the calls in progress. */
export interface BulkJobState {
  job: BulkJob | null
  error: ShareError | null
  uploading: boolean
  cancelling: boolean
  /** The job is active but no token comes silently: the user must sign in again. */
  needsSignIn: boolean
}

type BulkJobAction =
  | { type: 'clear' }
  | { type: 'uploadStarted' }
  | { type: 'uploaded'; job: BulkJob }
  | { type: 'uploadEnded' }
  | { type: 'read'; job: BulkJob }
  | { type: 'signedIn'; job: BulkJob }
  | { type: 'cancelling'; cancelling: boolean }
  | { type: 'cancelled'; job: BulkJob }
  | { type: 'needsSignIn' }
  | { type: 'failed'; error: ShareError }

const initialState: BulkJobState = {
  job: null,
  error: null,
  uploading: false,
  cancelling: false,
  needsSignIn: false,
}

function bulkJobReducer(state: BulkJobState, action: BulkJobAction): BulkJobState {
  switch (action.type) {
    case 'clear':
      return { ...state, job: null, error: null, needsSignIn: false }
    case 'uploadStarted':
      return { ...state, uploading: true, error: null }
    case 'uploaded':
    case 'cancelled':
      return { ...state, job: action.job }
    case 'uploadEnded':
      return { ...state, uploading: false }
    case 'read':
      return { ...state, job: action.job, error: null }
    case 'signedIn':
      return { ...state, job: action.job, error: null, needsSignIn: false }
    case 'cancelling':
      return { ...state, cancelling: action.cancelling }
    case 'needsSignIn':
      return { ...state, needsSignIn: true }
    case 'failed':
      return { ...state, error: action.error }
  }
}

const activeStatuses: ReadonlySet<string> = new Set(['running', 'paused_reauth'])

/** Whether a job still runs (or waits for a sign-in), so it is polled and can be cancelled. */
export const isActiveJob = (job: BulkJob | null | undefined): boolean => activeStatuses.has(job?.status ?? '')

function toShareError(error: unknown): ShareError {
  return isShareError(error)
    ? error
    : new ShareError('invalid_response', 'The bulk invitation failed unexpectedly.', { cause: error })
}

/** What {@link useBulkJob} returns: its state and the calls that change it. */
export interface BulkJobControls extends BulkJobState {
  /** Uploads the file's text and starts the job. */
  upload(text: string): Promise<void>
  /** Signs in interactively and reads the paused job again, which resumes it. */
  signIn(): Promise<void>
  cancel(): Promise<void>
  /** Downloads the results file; resolves whether it was handed to the browser. */
  download(): Promise<boolean>
  /** Forgets the job and its failure. */
  clear(): void
}

/**
 * The data half of `<BulkInvite>`: upload, one poll per job update with a fresh token (its use also resumes a job
 * paused for re-authentication), sign-in when paused, cancel and download; `onError` for every failure and
 * `onCompleted` once per finished job.
 * @internal
 */
export function useBulkJob(
  client: BulkClient,
  acquireToken: AcquireToken,
  options: {
    pollIntervalMs: number
    onCompleted?: ((job: BulkJob) => void) | undefined
    onError?: ((error: ShareError) => void) | undefined
  },
): BulkJobControls {
  const { pollIntervalMs, onCompleted, onError } = options
  const [state, dispatch] = useReducer(bulkJobReducer, initialState)
  const { job, error, uploading, needsSignIn } = state
  const callbacks = useRef({ onCompleted, onError })
  callbacks.current = { onCompleted, onError }

  const fail = useCallback((cause: unknown) => {
    const shareError = toShareError(cause)
    dispatch({ type: 'failed', error: shareError })
    callbacks.current.onError?.(shareError)
  }, [])

  const upload = useCallback(
    async (text: string) => {
      if (uploading) return
      dispatch({ type: 'uploadStarted' })
      try {
        const token = await acquireToken()
        if (token === null) return
        dispatch({ type: 'uploaded', job: await client.uploadBulk(text, { accessToken: token }) })
      } catch (cause) {
        fail(cause)
      } finally {
        dispatch({ type: 'uploadEnded' })
      }
    },
    [acquireToken, client, fail, uploading],
  )

  const pollingStopped = error !== null && !error.retryable
  useEffect(() => {
    if (!job || !isActiveJob(job) || needsSignIn || pollingStopped) return
    let cancelled = false
    const timer = setTimeout(async () => {
      try {
        const token = await acquireToken({ interactive: false })
        if (cancelled) return
        if (token === null) return dispatch({ type: 'needsSignIn' })
        const next = await client.getBulkJob(job.id, { accessToken: token })
        if (cancelled) return
        dispatch({ type: 'read', job: next })
      } catch (cause) {
        if (cancelled) return
        const shareError = toShareError(cause)
        if (shareError.code === 'sign_in_required' || shareError.code === 'unauthenticated')
          dispatch({ type: 'needsSignIn' })
        else fail(shareError)
      }
    }, pollIntervalMs)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [acquireToken, client, fail, job, needsSignIn, pollingStopped, pollIntervalMs])

  const finishedJob = job?.status === 'completed' || job?.status === 'cancelled' ? job : null
  // Once per finished job, however often it is read again.
  const reported = useRef('')
  useEffect(() => {
    const key = finishedJob ? `${finishedJob.id} ${finishedJob.status}` : ''
    if (!finishedJob || reported.current === key) return
    reported.current = key
    callbacks.current.onCompleted?.(finishedJob)
  }, [finishedJob])

  const jobId = job?.id
  const signIn = useCallback(async () => {
    if (!jobId) return
    try {
      const token = await acquireToken({ interactive: true })
      if (token === null) return
      dispatch({ type: 'signedIn', job: await client.getBulkJob(jobId, { accessToken: token }) })
    } catch (cause) {
      fail(cause)
    }
  }, [acquireToken, client, fail, jobId])

  const cancel = useCallback(async () => {
    if (!jobId) return
    dispatch({ type: 'cancelling', cancelling: true })
    try {
      const token = await acquireToken()
      if (token !== null)
        dispatch({ type: 'cancelled', job: await client.cancelBulkJob(jobId, { accessToken: token }) })
    } catch (cause) {
      fail(cause)
    } finally {
      dispatch({ type: 'cancelling', cancelling: false })
    }
  }, [acquireToken, client, fail, jobId])

  const download = useCallback(async () => {
    if (!jobId) return false
    try {
      const token = await acquireToken()
      if (token === null) return false
      const blob = await client.downloadBulkResults(jobId, { accessToken: token })
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = `bulk-invitations-${jobId}.csv`
      link.click()
      // Revoked after the click has been handled, so the browser can still read it.
      setTimeout(() => URL.revokeObjectURL(url), 0)
      return true
    } catch (cause) {
      fail(cause)
      return false
    }
  }, [acquireToken, client, fail, jobId])

  const clear = useCallback(() => dispatch({ type: 'clear' }), [])

  return { ...state, upload, signIn, cancel, download, clear }
}
