import { createReadStream, createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { BulkJob } from '@entra-share/contracts'
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
 * A client for the entra-share BFF at `baseUrl`.
 *
 * @example
 * const api = createBulkApi(new URL('https://invite.contoso.com'), () => tokens.token())
 * const job = await api.upload('partners.csv')
 */
export function createBulkApi(baseUrl: URL, token: () => Promise<string>): BulkApi {
  const base = baseUrl.href.endsWith('/') ? baseUrl.href : `${baseUrl.href}/`
  const url = (path: string) => new URL(path, base).href

  async function send(action: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${await token()}`)
    let response: Response
    try {
      response = await fetch(url(path), { ...init, headers })
    } catch (error) {
      throw unreachable(action, base, error)
    }
    if (!response.ok) throw await refusal(action, base, response)
    return response
  }

  return {
    async upload(csvPath) {
      const file = createReadStream(csvPath)
      // Open the file before sending, so a missing file is reported as such and not as a failed request.
      await new Promise<void>((resolve, reject) => {
        file.once('open', () => resolve())
        file.once('error', (error) => reject(fileProblem(csvPath, error)))
      })
      const response = await send('Uploading the file', 'api/bulk-invitations', {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'application/json' },
        body: Readable.toWeb(file) as ReadableStream,
        // Streaming a request body needs half duplex in Node's fetch.
        duplex: 'half',
      } as RequestInit)
      return (await response.json()) as BulkJob
    },
    async job(id) {
      const response = await send('Reading the job', `api/bulk-invitations/${encodeURIComponent(id)}`)
      return (await response.json()) as BulkJob
    },
    async cancel(id) {
      const response = await send(
        'Cancelling the job',
        `api/bulk-invitations/${encodeURIComponent(id)}/cancel`,
        {
          method: 'POST',
        },
      )
      return (await response.json()) as BulkJob
    },
    async downloadResults(id, outPath) {
      const response = await send(
        'Downloading the results',
        `api/bulk-invitations/${encodeURIComponent(id)}/results.csv`,
      )
      if (!response.body)
        throw new BffError('The BFF sent an empty results file; download it again.', emptyProblem())
      try {
        await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(outPath))
      } catch (error) {
        throw fileProblem(outPath, error, 'write')
      }
    },
  }
}

/** A refusal from the BFF: its problem+json (`detail`, `code`) when it sent one, else the status. */
async function refusal(action: string, base: string, response: Response): Promise<BffError> {
  const text = await response.text().catch(() => '')
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    // Not JSON: a proxy's error page, or not the BFF at all.
  }
  const problem: BffProblem = {
    status: response.status,
    problemCode: typeof body.code === 'string' ? body.code : null,
    detail: typeof body.detail === 'string' ? body.detail : null,
    requestId: typeof body.requestId === 'string' ? body.requestId : response.headers.get('x-request-id'),
    retryAfterSeconds: retryAfter(body, response),
  }
  if (problem.problemCode) {
    const detail = problem.detail ?? (typeof body.title === 'string' ? body.title : 'no detail given')
    return new BffError(
      `${action} failed: ${withoutFullStop(detail)} (${problem.problemCode}, HTTP ${response.status}).`,
      problem,
    )
  }
  if (response.status === 404) {
    return new BffError(
      `${action} failed with HTTP 404: ${base} does not answer as the entra-share BFF; check --bff.`,
      problem,
    )
  }
  return new BffError(
    `${action} failed with HTTP ${response.status} ${response.statusText}; check --bff.`,
    problem,
  )
}

function unreachable(action: string, base: string, error: unknown): BffError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const reason = cause?.code ?? cause?.message ?? (error as Error).message
  return new BffError(
    `${action} failed: the BFF at ${base} could not be reached (${reason}); check --bff and that it is running.`,
    { ...emptyProblem(), status: null },
    { cause: error },
  )
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

function retryAfter(body: Record<string, unknown>, response: Response): number | null {
  if (typeof body.retryAfterSeconds === 'number') return body.retryAfterSeconds
  const header = Number(response.headers.get('retry-after'))
  return Number.isFinite(header) && header > 0 ? header : null
}

function emptyProblem(): BffProblem {
  return { status: null, problemCode: null, detail: null, requestId: null, retryAfterSeconds: null }
}

function withoutFullStop(text: string): string {
  return text.trim().replace(/\.$/, '')
}
