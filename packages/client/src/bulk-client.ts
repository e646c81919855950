import type { BulkJob } from '@entra-share/contracts'
import { type BffClientOptions, type CallOptions, createCaller } from './transport.js'

/** The bulk-invitation calls of the entra-share BFF (`/api/bulk-invitations`). Failures throw `ShareError`. */
export interface BulkClient {
  /**
   * `POST /api/bulk-invitations`: uploads the Entra portal's bulk-invite CSV as `text/csv` (a string, a Blob, or a
   * stream, sent half duplex); resolves the new job, rows refused at upload included.
   */
  uploadBulk(csv: string | Blob | ReadableStream<Uint8Array>, options?: CallOptions): Promise<BulkJob>
  /** `GET /api/bulk-invitations/{id}`: the job's counts, rate and ETA (with a fresh token, resumes a paused job). */
  getBulkJob(id: string, options?: CallOptions): Promise<BulkJob>
  /** `POST /api/bulk-invitations/{id}/cancel`: pending rows are cancelled; rows in flight finish. */
  cancelBulkJob(id: string, options?: CallOptions): Promise<BulkJob>
  /** `GET /api/bulk-invitations/{id}/results.csv`: every input row with its status and reason, as a CSV blob. */
  downloadBulkResults(id: string, options?: CallOptions): Promise<Blob>
  /** The same results as {@link BulkClient.downloadBulkResults}, as a byte stream (to write a large file as it comes). */
  streamBulkResults(id: string, options?: CallOptions): Promise<ReadableStream<Uint8Array>>
}

/**
 * A client for the BFF's bulk-invitation API; apart from `createBffClient` so a bundle that only invites one guest
 * does not carry it.
 *
 * @example
 * const bulk = createBulkClient({ baseUrl: 'https://lob.contoso.com', getAccessToken })
 * const job = await bulk.uploadBulk(await file.text())
 * const { counts } = await bulk.getBulkJob(job.id)
 */
export function createBulkClient(options: BffClientOptions): BulkClient {
  const call = createCaller(options, 'createBulkClient')
  const jobPath = (id: string) => `/api/bulk-invitations/${encodeURIComponent(id)}`
  const results = <T>(
    id: string,
    callOptions: CallOptions | undefined,
    read: (response: Response) => T | undefined | Promise<T>,
  ) => call(`${jobPath(id)}/results.csv`, { headers: { Accept: 'text/csv' } }, callOptions, read)
  return {
    uploadBulk: (csv, callOptions) =>
      call(
        '/api/bulk-invitations',
        // A streamed request body needs half duplex (Node's fetch insists; browsers ignore it).
        { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv, duplex: 'half' },
        callOptions,
      ),
    getBulkJob: (id, callOptions) => call(jobPath(id), {}, callOptions),
    cancelBulkJob: (id, callOptions) => call(`${jobPath(id)}/cancel`, { method: 'POST' }, callOptions),
    downloadBulkResults: (id, callOptions) => results(id, callOptions, (response) => response.blob()),
    streamBulkResults: (id, callOptions) =>
      results(id, callOptions, (response) => response.body ?? undefined),
  }
}
