import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import type { BulkJob } from '@entra-share/contracts'
import { type BulkApi, createBulkApi } from './bulk-api.js'
import { CliError, ExitCode, FileError, isTransient } from './errors.js'
import { createProgressView, formatDuration, type ProgressOutput, rowsDone } from './progress.js'
import type { InviteSettings } from './settings.js'
import { createTokenSource, type TokenSource } from './token.js'

/** Where `runInvite` writes, and the signal that Ctrl-C aborts. */
export interface InviteIo {
  stdout: ProgressOutput
  stderr: { write(text: string): unknown }
  /** Aborted on Ctrl-C: the job is asked to cancel and the run ends with exit code 130. */
  signal: AbortSignal
  /**
   * Aborted on a second Ctrl-C: the wait for rows already sent to Graph ends; the counts so far are printed and the
   * results so far written all the same.
   */
  stopWaiting?: AbortSignal
}

/** Test seams: a token source or BFF client other than the real ones. */
export interface InviteDependencies {
  tokens?: TokenSource
  api?: BulkApi
}

// A few polls may fail in a row (BFF restarting, throttled) before the CLI gives up on the job.
const MAX_TRANSIENT_FAILURES = 10
const TERMINAL: ReadonlySet<BulkJob['status']> = new Set(['completed', 'cancelled'])

/**
 * `entra-share invite`: checks the files, signs in, uploads the CSV, reports the rows refused at upload, polls the
 * job with a progress view until it finishes, downloads the results and prints a summary.
 *
 * @returns the exit code: 0 every row invited, 1 a row failed or was cancelled (or the run failed), 2 usage,
 *   130 interrupted.
 * @example
 * const code = await runInvite(settings, { stdout: process.stdout, stderr: process.stderr, signal })
 */
export async function runInvite(
  settings: InviteSettings,
  io: InviteIo,
  dependencies: InviteDependencies = {},
): Promise<number> {
  const say = (line = '') => io.stdout.write(`${line}\n`)
  const tokens = dependencies.tokens ?? createTokenSource(settings.auth, (message) => say(message))
  const api = dependencies.api ?? createBulkApi(settings.bffUrl, () => tokens.token())
  try {
    await checkFiles(settings)
    // Sign in before reading the file, so the person is not left waiting on an upload that needs a token.
    const signedIn = await untilAborted(tokens.token(), io.signal)
    if (signedIn === ABORTED) {
      tokens.cancel()
      say('Interrupted before anything was uploaded.')
      return ExitCode.interrupted
    }
    const startedAt = Date.now()
    const created = await api.upload(settings.csvPath)
    reportUpload(created, settings, say)
    const outcome = await follow(created, api, settings, io)
    if (outcome === ABORTED) return await cancelJob(created.id, api, settings, say, io.stopWaiting)
    const job = outcome
    await api.downloadResults(job.id, settings.outPath)
    return summarize(job, settings, Date.now() - startedAt, say)
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`entra-share: ${error.message}\n`)
      return error.exitCode
    }
    throw error
  }
}

const ABORTED = Symbol('aborted')

/** Polls the job until it finishes, drawing progress; {@link ABORTED} on Ctrl-C. */
async function follow(
  created: BulkJob,
  api: BulkApi,
  settings: InviteSettings,
  io: InviteIo,
): Promise<BulkJob | typeof ABORTED> {
  if (TERMINAL.has(created.status)) return created
  const view = createProgressView(io.stdout, created.totalRows)
  view.update(created)
  let failures = 0
  try {
    for (;;) {
      if ((await untilAborted(sleep(settings.pollIntervalMs), io.signal)) === ABORTED) return ABORTED
      let job: BulkJob
      try {
        job = await api.job(created.id)
        failures = 0
      } catch (error) {
        if (!isTransient(error) || ++failures > MAX_TRANSIENT_FAILURES) throw error
        continue
      }
      view.update(job)
      if (TERMINAL.has(job.status)) return job
    }
  } finally {
    view.stop()
  }
}

async function cancelJob(
  id: string,
  api: BulkApi,
  settings: InviteSettings,
  say: (line?: string) => void,
  stopWaiting: AbortSignal | undefined,
): Promise<number> {
  say('Interrupted: asking the BFF to cancel the job…')
  let job = await api.cancel(id)
  if (job.counts.sending > 0) {
    say(`Waiting for the ${job.counts.sending} rows already sent to Graph (Ctrl-C again to stop waiting)…`)
    job = await settleInFlight(job, api, settings, stopWaiting)
  }
  say(
    `Cancelled: ${job.counts.cancelled} rows will not be sent; ${job.counts.invited} were invited and ${job.counts.failed} failed before the cancel.`,
  )
  if (job.counts.sending > 0) {
    say(
      `${job.counts.sending} rows were still in flight; the BFF finishes them and its results file shows how.`,
    )
  }
  try {
    await api.downloadResults(id, settings.outPath)
    say(`Results so far written to ${settings.outPath}.`)
  } catch {
    // The cancel is what matters here; the results stay downloadable from the BFF.
  }
  return ExitCode.interrupted
}

// How long a cancel waits for rows already sent to Graph to land, so its counts are final.
const IN_FLIGHT_WAIT_MS = 15_000

/**
 * Polls a cancelled job until no row is in flight (a throttled one is then cancelled), the wait runs out, or
 * `stopWaiting` aborts.
 */
async function settleInFlight(
  cancelled: BulkJob,
  api: BulkApi,
  settings: InviteSettings,
  stopWaiting: AbortSignal | undefined,
): Promise<BulkJob> {
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS
  let job = cancelled
  while (job.counts.sending > 0 && Date.now() < deadline) {
    if ((await untilAborted(sleep(settings.pollIntervalMs), stopWaiting)) === ABORTED) return job
    try {
      job = await api.job(job.id)
    } catch (error) {
      if (!isTransient(error)) return job
    }
  }
  return job
}

async function checkFiles(settings: InviteSettings): Promise<void> {
  const { csvPath, outPath } = settings
  try {
    const info = await stat(csvPath)
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' })
    await access(csvPath, constants.R_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read'
    throw new FileError(`Cannot read ${csvPath}: ${why}; check --csv.`, { cause: error })
  }
  if (resolve(outPath) === resolve(csvPath)) {
    throw new FileError(`--out ${outPath} is the input file; choose another name for the results.`)
  }
  try {
    await access(dirname(resolve(outPath)), constants.W_OK)
  } catch (error) {
    throw new FileError(
      `Cannot write ${outPath}: its folder is missing or read-only; choose another --out.`,
      {
        cause: error,
      },
    )
  }
}

function reportUpload(job: BulkJob, settings: InviteSettings, say: (line?: string) => void): void {
  const skipped = job.exampleRowSkipped ? " (the portal's example row was skipped)" : ''
  say(`Uploaded ${basename(settings.csvPath)}: ${job.totalRows} rows in job ${job.id}${skipped}.`)
  const refused = job.rejectedRows
  if (refused.length === 0) return
  const total = Math.max(job.counts.failed, refused.length)
  say(`${total} ${total === 1 ? 'row was' : 'rows were'} refused at upload:`)
  for (const row of refused) {
    say(`  Row ${row.rowNumber}${row.email ? ` (${row.email})` : ''}: ${row.code} - ${row.detail}`)
  }
  if (total > refused.length) say(`  …and ${total - refused.length} more; every row is in the results file.`)
}

function summarize(
  job: BulkJob,
  settings: InviteSettings,
  elapsedMs: number,
  say: (line?: string) => void,
): number {
  const { invited, failed, cancelled } = job.counts
  const parts = [`${invited} of ${job.totalRows} rows invited`, `${failed} failed`]
  if (cancelled) parts.push(`${cancelled} cancelled`)
  const verb = job.status === 'cancelled' ? 'Cancelled' : 'Done'
  say(`${verb} in ${formatDuration(elapsedMs / 1000)}: ${parts.join(', ')}.`)
  say(`Results written to ${settings.outPath}.`)
  const unfinished = failed + cancelled
  if (unfinished === 0) return ExitCode.ok
  say(
    `${unfinished} ${unfinished === 1 ? 'row was' : 'rows were'} not invited; the status, reason and detail columns of ${settings.outPath} say why.`,
  )
  if (rowsDone(job) < job.totalRows) say(`${job.totalRows - rowsDone(job)} rows were still in flight.`)
  return ExitCode.failed
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

/** Resolves with the promise's value, or {@link ABORTED} as soon as the signal fires (no signal: only the value). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return promise
  if (signal.aborted) return Promise.resolve(ABORTED)
  return new Promise((done, fail) => {
    const onAbort = () => done(ABORTED)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        done(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        fail(error)
      },
    )
  })
}
