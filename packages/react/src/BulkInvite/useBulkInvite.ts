import { type BulkClient, createBulkClient, isShareError, ShareError } from '@entra-share/client'
import type { BulkJob } from '@entra-share/contracts'
import { type DragEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { useAccessToken } from '../useAccessToken.js'
import type { BulkInviteProps, BulkInviteState, BulkInviteStatus } from './BulkInvite.types.js'
import { type BulkPreview, previewBulkCsv } from './parse-bulk-preview.js'
import { type BulkStrings, errorText, formatString, mergeBulkStrings } from './strings.js'

interface ChosenFile {
  /** The file's text, read once for the preview and sent as is (jsdom's File is not fetch's Blob, a string is). */
  text: string
  name: string
  preview: BulkPreview
}

const activeStatuses: ReadonlySet<string> = new Set(['running', 'paused_reauth'])

function toShareError(error: unknown): ShareError {
  return isShareError(error)
    ? error
    : new ShareError('invalid_response', 'The bulk invitation failed unexpectedly.', { cause: error })
}

/**
 * The state of `<BulkInvite>`: the chosen file and its preview, the upload, the job polled with a fresh token,
 * sign-in when the job pauses, cancel and download, as prop bags for `renderBulkInvite`.
 */
export function useBulkInvite(props: BulkInviteProps): BulkInviteState {
  const { bffUrl, client: givenClient, scopes, onCompleted, onError } = props
  const pollIntervalMs = props.pollIntervalMs ?? 2000
  const previewRows = props.previewRows ?? 10
  const strings = useMemo(() => mergeBulkStrings(props.strings), [props.strings])
  const client: BulkClient = useMemo(() => {
    if (givenClient) return givenClient
    if (typeof bffUrl !== 'string' || bffUrl === '')
      throw new TypeError(
        '@entra-share/react: pass `bffUrl` (the BFF base URL) or `client` (from createBulkClient) to <BulkInvite>.',
      )
    return createBulkClient({ baseUrl: bffUrl })
  }, [bffUrl, givenClient])
  const acquireToken = useAccessToken(scopes)
  const id = useId()
  const ids = { title: `${id}-title`, hint: `${id}-hint`, progressText: `${id}-progress` }

  const [chosen, setChosen] = useState<ChosenFile | null>(null)
  const [uploading, setUploading] = useState(false)
  const [job, setJob] = useState<BulkJob | null>(null)
  const [error, setError] = useState<ShareError | null>(null)
  const [needsSignIn, setNeedsSignIn] = useState(false)
  const [cancelling, setCancelling] = useState(false)
  const [dragging, setDragging] = useState(false)
  const [downloaded, setDownloaded] = useState(false)
  const callbacks = useRef({ onCompleted, onError })
  callbacks.current = { onCompleted, onError }

  const fail = useCallback((cause: unknown) => {
    const shareError = toShareError(cause)
    setError(shareError)
    callbacks.current.onError?.(shareError)
  }, [])

  const choose = useCallback(
    async (file: File | undefined) => {
      if (!file) return
      const text = await file.text()
      setJob(null)
      setError(null)
      setNeedsSignIn(false)
      setChosen({ text, name: file.name, preview: previewBulkCsv(text, previewRows) })
    },
    [previewRows],
  )

  const start = useCallback(async () => {
    if (!chosen || uploading) return
    setUploading(true)
    setError(null)
    try {
      const token = await acquireToken()
      if (token === null) return
      const created = await client.uploadBulk(chosen.text, { accessToken: token })
      setJob(created)
    } catch (cause) {
      fail(cause)
    } finally {
      setUploading(false)
    }
  }, [acquireToken, chosen, client, fail, uploading])

  const jobId = job?.id
  const jobStatus = job?.status
  const pollingStopped = error !== null && !error.retryable
  // One poll per job update: a fresh token each time (its use also resumes a job paused for re-authentication).
  useEffect(() => {
    if (!job || !activeStatuses.has(job.status) || needsSignIn || pollingStopped) return
    let cancelled = false
    const timer = setTimeout(async () => {
      try {
        const token = await acquireToken({ interactive: false })
        if (cancelled) return
        if (token === null) return setNeedsSignIn(true)
        const next = await client.getBulkJob(job.id, { accessToken: token })
        if (cancelled) return
        setError(null)
        setJob(next)
      } catch (cause) {
        if (cancelled) return
        const shareError = toShareError(cause)
        if (shareError.code === 'sign_in_required' || shareError.code === 'unauthenticated')
          setNeedsSignIn(true)
        else fail(shareError)
      }
    }, pollIntervalMs)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [acquireToken, client, fail, job, needsSignIn, pollingStopped, pollIntervalMs])

  const paused = jobStatus === 'paused_reauth' || (needsSignIn && activeStatuses.has(jobStatus ?? ''))
  const finishedJob = jobStatus === 'completed' || jobStatus === 'cancelled' ? job : null
  // Once per finished job, however often it is read again.
  const reported = useRef('')
  useEffect(() => {
    const key = finishedJob ? `${finishedJob.id} ${finishedJob.status}` : ''
    if (!finishedJob || reported.current === key) return
    reported.current = key
    callbacks.current.onCompleted?.(finishedJob)
  }, [finishedJob])

  const signIn = useCallback(async () => {
    if (!jobId) return
    try {
      const token = await acquireToken({ interactive: true })
      if (token === null) return
      const next = await client.getBulkJob(jobId, { accessToken: token })
      setError(null)
      setNeedsSignIn(false)
      setJob(next)
    } catch (cause) {
      fail(cause)
    }
  }, [acquireToken, client, fail, jobId])

  const cancel = useCallback(async () => {
    if (!jobId) return
    setCancelling(true)
    try {
      const token = await acquireToken()
      if (token !== null) setJob(await client.cancelBulkJob(jobId, { accessToken: token }))
    } catch (cause) {
      fail(cause)
    } finally {
      setCancelling(false)
    }
  }, [acquireToken, client, fail, jobId])

  const download = useCallback(async () => {
    if (!jobId) return
    try {
      const token = await acquireToken()
      if (token === null) return
      const blob = await client.downloadBulkResults(jobId, { accessToken: token })
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = `bulk-invitations-${jobId}.csv`
      link.click()
      // Revoked after the click has been handled, so the browser can still read it.
      setTimeout(() => URL.revokeObjectURL(url), 0)
      setDownloaded(true)
    } catch (cause) {
      fail(cause)
    }
  }, [acquireToken, client, fail, jobId])

  const again = useCallback(() => {
    setChosen(null)
    setJob(null)
    setError(null)
    setNeedsSignIn(false)
    setDownloaded(false)
  }, [])

  const status: BulkInviteStatus = job
    ? job.status
    : uploading
      ? 'uploading'
      : error
        ? 'refused'
        : chosen
          ? 'ready'
          : 'idle'

  const dropZone: BulkInviteState['dropZone'] =
    job || uploading
      ? null
      : {
          props: {
            onDragOver: (event: DragEvent<HTMLDivElement>) => {
              event.preventDefault()
              setDragging(true)
            },
            onDragLeave: () => setDragging(false),
            onDrop: (event: DragEvent<HTMLDivElement>) => {
              event.preventDefault()
              setDragging(false)
              void choose(event.dataTransfer.files[0])
            },
            'data-dragging': dragging || undefined,
          },
          inputProps: {
            id: `${id}-file`,
            type: 'file',
            accept: '.csv,text/csv',
            'aria-describedby': ids.hint,
            onChange: (event) => {
              void choose(event.target.files?.[0])
            },
          },
        }

  return {
    status,
    strings,
    className: props.className,
    headingLevel: props.headingLevel ?? 2,
    rootRef: props.ref,
    ids,
    dropZone,
    preview: chosen && !job ? previewState(strings, chosen) : null,
    job,
    progress: job ? progressState(strings, job) : null,
    refusedRows: (job?.rejectedRows ?? []).map((row) => ({
      rowNumber: row.rowNumber,
      email: row.email ?? '',
      // A file check has a sentence of ours; a policy refusal is best told by the server's own sentence.
      reason: strings.rowReasons[row.code] ?? row.detail,
      detail: row.detail,
    })),
    alert: error
      ? {
          title: job ? strings.errorTitle : strings.refusedFileTitle,
          message: errorText(strings, error.code),
          detail: error.detail,
          requestId: error.requestId,
          code: error.code,
        }
      : null,
    paused,
    finished: finishedJob
      ? {
          title: finishedJob.status === 'completed' ? strings.completedTitle : strings.cancelledTitle,
          text: formatString(
            finishedJob.status === 'completed' ? strings.completedText : strings.cancelledText,
            countValues(finishedJob),
          ),
        }
      : null,
    start:
      chosen && !job
        ? {
            label: uploading ? strings.uploading : strings.start,
            onClick: () => void start(),
            disabled: uploading || chosen.preview.totalRows === 0,
            busy: uploading,
          }
        : null,
    signIn: paused ? { label: strings.signIn, onClick: () => void signIn() } : null,
    cancel:
      job && activeStatuses.has(job.status)
        ? {
            label: cancelling ? strings.cancelling : strings.cancel,
            onClick: () => void cancel(),
            disabled: cancelling,
            busy: cancelling,
          }
        : null,
    download: job ? { label: strings.download, onClick: () => void download() } : null,
    again: finishedJob ? { label: strings.again, onClick: again } : null,
    // Derived from the state, so the live region changes in the same render as what it announces.
    announcement: downloaded
      ? strings.downloaded
      : paused
        ? strings.announcePaused
        : finishedJob
          ? formatString(
              finishedJob.status === 'completed' ? strings.announceCompleted : strings.announceCancelled,
              countValues(finishedJob),
            )
          : job
            ? formatString(strings.announceStarted, { total: formatNumber(job.totalRows) })
            : '',
  }
}

function formatNumber(value: number): string {
  return new Intl.NumberFormat().format(value)
}

function countValues(job: BulkJob): Record<string, string> {
  return {
    invited: formatNumber(job.counts.invited),
    failed: formatNumber(job.counts.failed),
    cancelled: formatNumber(job.counts.cancelled),
    total: formatNumber(job.totalRows),
  }
}

function progressState(strings: BulkStrings, job: BulkJob): BulkInviteState['progress'] {
  const { invited, failed, cancelled } = job.counts
  const parts = [formatString(strings.progress, countValues(job))]
  const eta = job.status === 'running' ? job.etaSeconds : null
  if (eta !== null) {
    const minutes = Math.ceil(eta / 60)
    parts.push(
      eta < 60
        ? strings.etaSeconds
        : minutes < 60
          ? formatString(strings.etaMinutes, { minutes })
          : formatString(strings.etaHours, { hours: Math.floor(minutes / 60), minutes: minutes % 60 }),
    )
  }
  return { value: invited + failed + cancelled, max: Math.max(job.totalRows, 1), text: parts.join(' · ') }
}

function previewState(strings: BulkStrings, chosen: ChosenFile): BulkInviteState['preview'] {
  const { preview, name } = chosen
  const problem = preview.fileProblem
  return {
    totalRows: preview.totalRows,
    problemRows: preview.problemRows,
    exampleRowSkipped: preview.exampleRowSkipped,
    caption: formatString(strings.previewCaption, { count: preview.rows.length, fileName: name }),
    summary: formatString(strings.previewSummary, {
      total: formatNumber(preview.totalRows),
      problems: formatNumber(preview.problemRows),
    }),
    rows: preview.rows.map((row) => ({
      ...row,
      problemText: !row.problem
        ? null
        : row.problem.code === 'duplicate_in_file'
          ? formatString(strings.duplicateOf, { row: row.problem.duplicateOf ?? '' })
          : (strings.rowReasons[row.problem.code] ?? row.problem.code),
    })),
    fileProblemText: !problem
      ? null
      : problem.kind === 'version'
        ? formatString(strings.fileVersion, { row: problem.rowNumber, value: problem.value })
        : formatString(problem.kind === 'no_header' ? strings.fileNoHeader : strings.fileOpenQuote, {
            row: problem.rowNumber,
          }),
  }
}
