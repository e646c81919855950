import type { MessagePort } from 'node:worker_threads'
import type { FieldError, ProblemCode } from '@entra-share/contracts'
import type { PostgresConnection } from '../platform/postgres-connection.js'
import type { JudgeBulkCsvOptions, JudgedFile } from './bulk-upload-judge.js'

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
  /** Store the batches here and now (PostgreSQL), instead of handing them over; the main thread gets the summary. */
  storeRows?: WorkerRowStore
}

/** Where an upload's worker thread stores its rows itself: the job's, over a connection of its own. */
export interface WorkerRowStore {
  connection: PostgresConnection
  jobId: string
}

/** Main → worker, on the upload's port. */
export type ToUploadWorker =
  /**
   * The next bytes of the file, answering a `pull`: a view of memory shared with the main thread, which writes the
   * following chunk there once asked for it, so the worker copies the bytes before it pulls again.
   */
  | { type: 'chunk'; bytes: Uint8Array }
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
  | { type: 'item'; item: UploadItem }
  /** The file is refused: rethrown on the main thread as the same `ProblemError`. */
  | { type: 'problem'; code: ProblemCode; detail?: string; errors?: FieldError[] }
  /** An unexpected error (a bug): rethrown as an `Error` with this message. */
  | { type: 'crash'; message: string }

/** Batches handed over and not yet stored before the worker waits: one being stored while the next is made. */
export const BATCHES_IN_FLIGHT = 2

/**
 * A batch of judged rows as the worker hands it over: one JSON array of the rows' `newBulkRowJson` objects, as UTF-8
 * in memory the worker shares with the main thread (a `SharedArrayBuffer`, one of `BATCHES_IN_FLIGHT` it takes in
 * turn). The main thread stores it from there without copying it into a string; the worker writes there again only
 * after the batch is acknowledged, so the bytes are valid until then (issue 16: a batch received as a string, then
 * serialised for the database, left tens of megabytes of garbage on the main thread over a 100,000-row upload).
 */
export interface SharedBatch {
  kind: 'rows'
  json: Uint8Array
}

/** What an upload's worker yields: batches, then the file's summary. */
export type UploadItem = SharedBatch | JudgedFile
