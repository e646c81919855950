import type { BulkClient, ShareError } from '@entra-share/client'
import type { BulkJob } from '@entra-share/contracts'
import type {
  ChangeEventHandler,
  DragEventHandler,
  HTMLAttributes,
  InputHTMLAttributes,
  MouseEventHandler,
  Ref,
} from 'react'
import type { GetAccessToken } from '../access-token.js'
import type { LocaleRequest } from '../locales/EntraShareLocaleProvider.js'
import type { BulkPreview, BulkPreviewRow } from './parse-bulk-preview.js'
import type { BulkStrings, BulkStringsOverride } from './strings.js'

/** Where the BFF is: its base URL, or a ready client from `createBulkClient`. */
export type BulkTarget = { bffUrl: string; client?: undefined } | { client: BulkClient; bffUrl?: undefined }

/** Props of `<BulkInvite>`. */
export type BulkInviteProps = BulkTarget & {
  /** The scopes to request for the BFF, e.g. `['api://<BFF client id>/Invitations.Send']`. */
  scopes: readonly string[]
  /**
   * Gets the BFF token for this component, over the nearest `<EntraShareTokenProvider>` (or
   * `<MsalEntraShareProvider>`): resolve the token, or `null` to stop quietly; a rejection shows `sign_in_required`.
   */
  getAccessToken?: GetAccessToken | undefined
  /** A partial override of any user-facing text, merged onto the language's strings (`defaultBulkStrings`). */
  strings?: BulkStringsOverride
  /**
   * The language: a BCP 47 tag (`de-AT`) or several in order of preference, matched among the packs of
   * `<EntraShareLocaleProvider>` (which this needs) and the built-in English.
   * @default the provider's `locale`, else the browser's languages (`navigator.languages`)
   */
  locale?: LocaleRequest | undefined
  /** Called once when the job finishes: `job.status` is `completed`, or `cancelled` after Cancel. */
  onCompleted?: (job: BulkJob) => void
  /** Called for every failure shown. */
  onError?: (error: ShareError) => void
  /** Added to the root element's class (`es-Bulk`). */
  className?: string
  /** Level of the title and result headings. @default 2 */
  headingLevel?: 2 | 3 | 4 | 5 | 6
  /** How often the job is read while it runs, in milliseconds. @default 2000 */
  pollIntervalMs?: number
  /** How many rows the preview shows. @default 10 */
  previewRows?: number
  /**
   * A ref to the root element, the `<section class="es-Bulk">` (React 19 passes `ref` as a prop; React 18 drops it).
   *
   * @example
   * const root = useRef<HTMLElement>(null)
   * <BulkInvite ref={root} bffUrl="https://lob.contoso.com" scopes={scopes} />
   */
  ref?: Ref<HTMLElement>
}

/**
 * Where the component is: `idle` (no file), `ready` (a file previewed), `uploading`, `refused` (the upload was
 * refused), then the job's own status.
 */
export type BulkInviteStatus = 'idle' | 'ready' | 'uploading' | 'refused' | BulkJob['status']

/** A button's label and state. */
export interface BulkButton {
  label: string
  onClick: MouseEventHandler<HTMLButtonElement>
  disabled?: boolean
  busy?: boolean
}

/** Everything `renderBulkInvite` needs: state, strings and prop bags. */
export interface BulkInviteState {
  status: BulkInviteStatus
  strings: BulkStrings
  className: string | undefined
  /** The root's `lang` and `dir`: the language's, under `<EntraShareLocaleProvider>`; else left to the page. */
  lang: string | undefined
  dir: 'ltr' | 'rtl' | undefined
  headingLevel: 2 | 3 | 4 | 5 | 6
  /** The `ref` prop, for the root element. */
  rootRef?: Ref<HTMLElement>
  ids: { title: string; hint: string; progressText: string }
  /** The drop zone: a drag-and-drop enhancement around the real file input. */
  dropZone: {
    props: HTMLAttributes<HTMLDivElement> & {
      onDragOver: DragEventHandler<HTMLDivElement>
      onDragLeave: DragEventHandler<HTMLDivElement>
      onDrop: DragEventHandler<HTMLDivElement>
      'data-dragging': true | undefined
    }
    inputProps: InputHTMLAttributes<HTMLInputElement> & {
      id: string
      type: 'file'
      onChange: ChangeEventHandler<HTMLInputElement>
    }
  } | null
  /** The file's preview, until the upload is accepted. */
  preview:
    | (Pick<BulkPreview, 'totalRows' | 'problemRows' | 'exampleRowSkipped'> & {
        caption: string
        summary: string
        rows: (BulkPreviewRow & { problemText: string | null })[]
        fileProblemText: string | null
      })
    | null
  job: BulkJob | null
  progress: { value: number; max: number; text: string } | null
  /** Rows refused while reading the file, with their sentence. */
  refusedRows: { rowNumber: number; email: string; reason: string; detail: string }[]
  /** The failure shown in the error summary. */
  alert: { title: string; message: string; detail?: string; requestId?: string; code: string } | null
  /** The paused notice: the job waits for the inviter to sign in again. */
  paused: boolean
  /** The finished view's title and sentence (`completed` or `cancelled`). */
  finished: { title: string; text: string } | null
  start: BulkButton | null
  signIn: BulkButton | null
  cancel: BulkButton | null
  download: BulkButton | null
  again: BulkButton | null
  /** The text of the polite live region. */
  announcement: string
}
