import type { MessagePort } from 'node:worker_threads'
import type { FieldError, ProblemCode } from '@entra-share/contracts'
import type { JudgeBulkCsvOptions, JudgedItem } from './bulk-upload-judge.js'

/**
 * The messages between an upload (main thread) and the worker thread that reads its file. Each upload has a
 * `MessageChannel` of its own: the main thread sends one {@link StartUpload} to the worker with one end of it, and
 * everything else about that upload goes over that channel, so nothing of an abandoned upload can reach the next.
 */

/** Main → worker (its `parentPort`): read a file, talking over `port`. */
export interface StartUpload {
  type: 'upload'
  port: MessagePort
  options: JudgeBulkCsvOptions
}

/** Main → worker, on the upload's port. */
export type ToUploadWorker =
  /** The next bytes of the file, answering a `pull` (the buffer is transferred: its memory moves, not copied). */
  | { type: 'chunk'; bytes: ArrayBuffer }
  /** The file has no more bytes, answering a `pull`. */
  | { type: 'end' }
  /** A batch handed over is stored: the worker may send another. */
  | { type: 'ack' }
  /** The upload failed on the main thread (its source, an insert): stop reading. */
  | { type: 'abort' }

/** Worker → main, on the upload's port. */
export type FromUploadWorker =
  /** Wants the next bytes: the main thread reads its source only when asked, so a fast client waits (backpressure). */
  | { type: 'pull' }
  | { type: 'item'; item: JudgedItem }
  /** The file is refused: rethrown on the main thread as the same `ProblemError`. */
  | { type: 'problem'; code: ProblemCode; detail?: string; errors?: FieldError[] }
  /** An unexpected error (a bug): rethrown as an `Error` with this message. */
  | { type: 'crash'; message: string }

/** Batches handed over and not yet stored before the worker waits: one being stored while the next is made. */
export const BATCHES_IN_FLIGHT = 2
