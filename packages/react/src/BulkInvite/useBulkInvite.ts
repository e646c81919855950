import { type BulkClient, createBulkClient } from '@entra-share/client'
import type { BulkJob } from '@entra-share/contracts'
import { type DragEvent, useCallback, useId, useMemo, useReducer } from 'react'
import { useAccessToken } from '../access-token.js'
import { formatNumber, formatPlural, formatString } from '../format.js'
import { useLocale } from '../locales/EntraShareLocaleProvider.js'
import type { BulkInviteProps, BulkInviteState, BulkInviteStatus } from './BulkInvite.types.js'
import { type BulkPreview, previewBulkCsv } from './parse-bulk-preview.js'
import { type BulkStrings, errorText, mergeBulkStrings } from './strings.js'
import { isActiveJob, useBulkJob } from './useBulkJob.js'

interface ChosenFile {
  /** The file's text, read once for the preview and sent as is (jsdom's File is not fetch's Blob, a string is). */
  text: string
  name: string
  preview: BulkPreview
}

/** What the user did with the view: the file chosen, a drag over the drop zone, the results downloaded. */
interface BulkViewState {
  chosen: ChosenFile | null
  dragging: boolean
  downloaded: boolean
}

type BulkViewAction =
  | { type: 'chosen'; chosen: ChosenFile }
  | { type: 'dragging'; dragging: boolean }
  | { type: 'downloaded' }
  | { type: 'again' }

function bulkViewReducer(state: BulkViewState, action: BulkViewAction): BulkViewState {
  switch (action.type) {
    case 'chosen':
      return { ...state, chosen: action.chosen }
    case 'dragging':
      return { ...state, dragging: action.dragging }
    case 'downloaded':
      return { ...state, downloaded: true }
    case 'again':
      return { ...state, chosen: null, downloaded: false }
  }
}

const initialView: BulkViewState = { chosen: null, dragging: false, downloaded: false }

/**
 * The state of `<BulkInvite>`: the chosen file and its preview, the upload, the job polled with a fresh token,
 * sign-in when the job pauses, cancel and download, as prop bags for `renderBulkInvite`. The job itself lives in
 * `useBulkJob`; this hook keeps what the user did and derives the view from both.
 */
export function useBulkInvite(props: BulkInviteProps): BulkInviteState {
  const { bffUrl, client: givenClient, scopes, getAccessToken, onCompleted, onError } = props
  const previewRows = props.previewRows ?? 10
  const { pack, formatLocale: locale, lang, dir } = useLocale(props.locale)
  const strings = useMemo(() => mergeBulkStrings(props.strings, pack?.bulk), [props.strings, pack])
  const client: BulkClient = useMemo(() => {
    if (givenClient) return givenClient
    if (typeof bffUrl !== 'string' || bffUrl === '')
      throw new TypeError(
        '@entra-share/react: pass `bffUrl` (the BFF base URL) or `client` (from createBulkClient) to <BulkInvite>.',
      )
    return createBulkClient({ baseUrl: bffUrl })
  }, [bffUrl, givenClient])
  const acquireToken = useAccessToken(scopes, getAccessToken)
  const bulkJob = useBulkJob(client, acquireToken, {
    pollIntervalMs: props.pollIntervalMs ?? 2000,
    onCompleted,
    onError,
  })
  const { job, error, uploading, cancelling, needsSignIn, clear } = bulkJob
  const id = useId()
  const ids = { title: `${id}-title`, hint: `${id}-hint`, progressText: `${id}-progress` }
  const [{ chosen, dragging, downloaded }, dispatch] = useReducer(bulkViewReducer, initialView)

  const choose = useCallback(
    async (file: File | undefined) => {
      if (!file) return
      const text = await file.text()
      clear()
      dispatch({
        type: 'chosen',
        chosen: { text, name: file.name, preview: previewBulkCsv(text, previewRows) },
      })
    },
    [clear, previewRows],
  )

  const start = () => (chosen ? bulkJob.upload(chosen.text) : undefined)
  const download = async () => {
    if (await bulkJob.download()) dispatch({ type: 'downloaded' })
  }
  const again = useCallback(() => {
    clear()
    dispatch({ type: 'again' })
  }, [clear])

  const jobStatus = job?.status
  const paused = jobStatus === 'paused_reauth' || (needsSignIn && isActiveJob(job))
  const finishedJob = jobStatus === 'completed' || jobStatus === 'cancelled' ? job : null

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
              dispatch({ type: 'dragging', dragging: true })
            },
            onDragLeave: () => dispatch({ type: 'dragging', dragging: false }),
            onDrop: (event: DragEvent<HTMLDivElement>) => {
              event.preventDefault()
              dispatch({ type: 'dragging', dragging: false })
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
    lang,
    dir,
    headingLevel: props.headingLevel ?? 2,
    rootRef: props.ref,
    ids,
    dropZone,
    preview: chosen && !job ? previewState(strings, chosen, locale) : null,
    job,
    progress: job ? progressState(strings, job, locale) : null,
    refusedRows: (job?.rejectedRows ?? []).map((row) => ({
      rowNumber: row.rowNumber,
      email: row.email ?? '',
      // One sentence: the server's detail says what is wrong and where; the code's sentence only stands in for none.
      reason: row.detail || (strings.rowReasons[row.code] ?? row.code),
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
            countValues(finishedJob, locale),
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
    signIn: paused ? { label: strings.signIn, onClick: () => void bulkJob.signIn() } : null,
    cancel: isActiveJob(job)
      ? {
          label: cancelling ? strings.cancelling : strings.cancel,
          onClick: () => void bulkJob.cancel(),
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
              countValues(finishedJob, locale),
            )
          : job
            ? formatPlural(strings.announceStarted, job.totalRows, locale, countValues(job, locale))
            : '',
  }
}

/** A cell as a row problem quotes it: at most 60 characters, an ellipsis marking the cut (as the BFF's details). */
function cutShort(value: string): string {
  const characters = Array.from(value)
  return characters.length <= 60 ? value : `${characters.slice(0, 59).join('')}…`
}

function countValues(job: BulkJob, locale: string): Record<string, string> {
  return {
    invited: formatNumber(job.counts.invited, locale),
    failed: formatNumber(job.counts.failed, locale),
    cancelled: formatNumber(job.counts.cancelled, locale),
    total: formatNumber(job.totalRows, locale),
  }
}

function progressState(strings: BulkStrings, job: BulkJob, locale: string): BulkInviteState['progress'] {
  const { invited, failed, cancelled } = job.counts
  const parts = [formatString(strings.progress, countValues(job, locale))]
  const eta = job.status === 'running' ? job.etaSeconds : null
  if (eta !== null) {
    const minutes = Math.ceil(eta / 60)
    const hours = Math.floor(minutes / 60)
    parts.push(
      eta < 60
        ? strings.etaSeconds
        : minutes < 60
          ? formatPlural(strings.etaMinutes, minutes, locale, { minutes: formatNumber(minutes, locale) })
          : formatPlural(strings.etaHours, hours, locale, {
              hours: formatNumber(hours, locale),
              minutes: formatNumber(minutes % 60, locale),
            }),
    )
  }
  return { value: invited + failed + cancelled, max: Math.max(job.totalRows, 1), text: parts.join(' · ') }
}

function previewState(strings: BulkStrings, chosen: ChosenFile, locale: string): BulkInviteState['preview'] {
  const { preview, name } = chosen
  const problem = preview.fileProblem
  return {
    totalRows: preview.totalRows,
    problemRows: preview.problemRows,
    exampleRowSkipped: preview.exampleRowSkipped,
    caption: formatPlural(strings.previewCaption, preview.rows.length, locale, {
      count: formatNumber(preview.rows.length, locale),
      fileName: name,
    }),
    summary: formatPlural(strings.previewSummary, preview.totalRows, locale, {
      total: formatNumber(preview.totalRows, locale),
      problems: formatNumber(preview.problemRows, locale),
    }),
    rows: preview.rows.map((row) => ({
      ...row,
      problemText: row.problem
        ? formatString(strings.rowProblems[row.problem.check], {
            column: row.problem.column,
            row: row.rowNumber,
            value: cutShort(row.problem.value),
            max: formatNumber(row.problem.max ?? 0, locale),
            first: row.problem.duplicateOf ?? '',
          })
        : null,
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
