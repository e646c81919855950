import { createReadStream, createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { createBulkClient, isShareError, type ShareError } from '@entra-share/client'
import { type BulkJob, isProblemCode } from '@entra-share/contracts'
import { BffError, type BffProblem, FileError } from './errors.js'

/** The BFF's bulk-invitation API, as the CLI uses it. Every call asks `token()` for a fresh bearer token. */
export interface BulkApi {
  /** Streams the CSV file to `POST /api/bulk-invitations`; resolves with the created job. */
  upload(csvPath: string): Promise<BulkJob>
  /** `GET /api/bulk-invitations/{id}`: counts, rate, ETA (polling with a fresh token also resumes a paused job). */
  job(id: string): Promise<BulkJob>
  /** `POST /api/bulk-invitations/{id}/cancel`: pending rows are cancelled, rows in flight finish. */
  cancel(id: string): Promise<BulkJob>
  /** Streams `GET /api/bulk-invitations/{id}/results.csv` into `outPath`. */
  downloadResults(id: string, outPath: string): Promise<void>
}

/**
 * The bulk API of the entra-share BFF at `baseUrl`, over `@entra-share/client`: files in and out, and every
 * failure as a {@link BffError} whose sentence names the step and what to check.
 *
 * @example
 * const api = createBulkApi(new URL('https://invite.contoso.com'), () => tokens.token())
 * const job = await api.upload('partners.csv')
 */
export function createBulkApi(baseUrl: URL, token: () => Promise<string>): BulkApi {
  const base = baseUrl.href.endsWith('/') ? baseUrl.href : `${baseUrl.href}/`
  const client = createBulkClient({ baseUrl: base, getAccessToken: token })

  async function step<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw isShareError(error) ? refusal(action, base, error) : error
    }
  }

  return {
    async upload(csvPath) {
      const file = createReadStream(csvPath)
      // Open the file before sending, so a missing file is reported as such and not as a failed request.
      await new Promise<void>((resolve, reject) => {
        file.once('open', () => resolve())
        file.once('error', (error) => reject(fileProblem(csvPath, error)))
      })
      return step('Uploading the file', () =>
        client.uploadBulk(Readable.toWeb(file) as ReadableStream<Uint8Array>),
      )
    },
    job: (id) => step('Reading the job', () => client.getBulkJob(id)),
    cancel: (id) => step('Cancelling the job', () => client.cancelBulkJob(id)),
    async downloadResults(id, outPath) {
      const results = await step('Downloading the results', () => client.streamBulkResults(id))
      try {
        await pipeline(Readable.fromWeb(results as WebReadableStream), createWriteStream(outPath))
      } catch (error) {
        throw fileProblem(outPath, error, 'write')
      }
    },
  }
}

/** A failed call in the CLI's words: the BFF's problem (`detail`, `code`) when it sent one, else what to check. */
function refusal(action: string, base: string, error: ShareError): BffError {
  const problemCode = isProblemCode(error.code) ? error.code : null
  const problem: BffProblem = {
    status: error.status,
    problemCode,
    detail: error.detail ?? null,
    requestId: error.requestId ?? null,
    retryAfterSeconds: error.retryAfterSeconds ?? null,
    retryable: error.retryable,
  }
  const options = { cause: error }
  if (error.code === 'network_error') {
    const cause = (error.cause as { cause?: { code?: string; message?: string } } | undefined)?.cause
    const reason = cause?.code ?? cause?.message ?? (error.cause as Error | undefined)?.message
    return new BffError(
      `${action} failed: the BFF at ${base} could not be reached (${reason}); check --bff and that it is running.`,
      problem,
      options,
    )
  }
  if (problemCode)
    return new BffError(
      `${action} failed: ${withoutFullStop(error.message)} (${problemCode}, HTTP ${error.status}).`,
      problem,
      options,
    )
  if (error.status === 404)
    return new BffError(
      `${action} failed with HTTP 404: ${base} does not answer as the entra-share BFF; check --bff.`,
      problem,
      options,
    )
  return new BffError(`${action} failed with HTTP ${error.status}; check --bff.`, problem, options)
}

function fileProblem(path: string, error: unknown, verb: 'read' | 'write' = 'read'): FileError {
  const code = (error as NodeJS.ErrnoException).code
  const why =
    code === 'ENOENT'
      ? verb === 'read'
        ? 'there is no such file'
        : 'its folder does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (code ?? (error as Error).message)
  const fix = verb === 'read' ? 'check --csv' : 'choose another --out'
  return new FileError(`Cannot ${verb} ${path}: ${why}; ${fix}.`, { cause: error })
}

function withoutFullStop(text: string): string {
  return text.trim().replace(/\.$/, '')
}
