import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { BulkJob } from '@entra-share/contracts'
import type { BffConfig } from '../config.js'
import type { Caller } from '../identity/caller.js'
import type { InvitationQuota } from '../invitations/invitation-quota.js'
import { ProblemError } from '../platform/problem-error.js'
import type { BulkJobRecord, BulkStore } from './bulk-store.js'
import type { BulkJudgeConfig } from './bulk-upload-judge.js'
import { type BulkUploadThreads, createBulkUploadThreads } from './bulk-upload-threads.js'
import type { InviterTokens } from './inviter-tokens.js'
import { resultsCsv } from './results-csv.js'

export interface BulkServiceOptions {
  config: Pick<
    BffConfig,
    | 'redirectOrigins'
    | 'defaultRedirectUrl'
    | 'allowedDomains'
    | 'blockedDomains'
    | 'presets'
    | 'emailMode'
    | 'graphMode'
    | 'messageLinks'
  >
  store: BulkStore
  inviterTokens: InviterTokens
  instanceId: string
  /** Largest file accepted, bytes. */
  maxFileBytes: number
  /** Most data rows in one file. @default 50000 */
  maxRows?: number
  /** The hourly invitation quota: a file whose rows do not fit is refused whole; absent: no quota. */
  quota?: InvitationQuota
  clock?: () => Date
  /** Where uploads are read; default: worker threads of this service's own, ended by {@link BulkService.close}. */
  uploadThreads?: BulkUploadThreads
}

export interface BulkService {
  /** Reads the CSV as a stream into a new job that starts running at once; `invalid_request` for a broken file. */
  /** `locale`: the uploader's `Accept-Language`, for the BFF's own emails to the file's guests. */
  upload(caller: Caller, file: NodeJS.ReadableStream, options?: { locale?: string | null }): Promise<BulkJob>
  get(caller: Caller, id: string): Promise<BulkJob>
  cancel(caller: Caller, id: string): Promise<BulkJob>
  results(caller: Caller, id: string): Promise<Readable>
  /**
   * Keeps the caller's token in memory for their delegated jobs and resumes those paused for re-authentication.
   * Every authenticated bulk request calls it.
   */
  refreshInviter(caller: Caller): Promise<void>
  /**
   * Calls `listener` each time an upload has made a job with rows to invite (the bulk worker's `wake`, so that the
   * job starts at once on the instance that took it).
   */
  onJobReady(listener: () => void): void
  /** Ends the worker threads that read uploads (graceful shutdown). */
  close(): Promise<void>
}

const REJECTED_ROWS_SHOWN = 100
const RATE_WINDOW_SECONDS = 60

/**
 * Bulk jobs as the routes see them: upload, status with rate and ETA, cancel, results. The worker does the sending.
 *
 * @example
 * const job = await bulk.upload(caller, request.body)
 * reply.code(202).header('location', `/api/bulk-invitations/${job.id}`).send(job)
 */
export function createBulkService(options: BulkServiceOptions): BulkService {
  const { config, store, inviterTokens, instanceId, maxFileBytes } = options
  const maxRows = options.maxRows ?? 50_000
  const clock = options.clock ?? (() => new Date())
  const uploadThreads = options.uploadThreads ?? createBulkUploadThreads()
  const jobReadyListeners: (() => void)[] = []
  // What judging a row needs of the configuration, as plain data for the worker thread.
  const judgeConfig: BulkJudgeConfig = {
    redirectOrigins: config.redirectOrigins,
    defaultRedirectUrl: config.defaultRedirectUrl,
    allowedDomains: config.allowedDomains,
    blockedDomains: config.blockedDomains,
    presets: config.presets,
    emailMode: config.emailMode,
    ...(config.messageLinks !== undefined ? { messageLinks: config.messageLinks } : {}),
  }

  async function visibleJob(caller: Caller, id: string): Promise<BulkJobRecord> {
    const job = await store.getJob(id)
    const own = job?.invitedBy.tenantId === caller.tenantId && job.invitedBy.objectId === caller.objectId
    if (!job || job.status === 'uploading' || !(own || caller.isAdmin)) {
      throw new ProblemError('not_found', { detail: `There is no bulk invitation job '${id}'.` })
    }
    return job
  }

  async function describe(job: BulkJobRecord): Promise<BulkJob> {
    const now = clock()
    const counts = await store.counts(job.id)
    const windowStart = Math.max(Date.parse(job.createdAt), now.getTime() - RATE_WINDOW_SECONDS * 1000)
    const seconds = Math.max(1, (now.getTime() - windowStart) / 1000)
    const finished = job.status === 'completed' || job.status === 'cancelled'
    const ratePerSecond = finished ? 0 : (await store.finishedSince(job.id, new Date(windowStart))) / seconds
    const remaining = counts.pending + counts.sending
    const rejected = await store.rejectedRows(job.id, REJECTED_ROWS_SHOWN)
    return {
      id: job.id,
      status: job.status === 'uploading' ? 'running' : job.status,
      mode: job.mode,
      invitedBy: job.invitedBy,
      totalRows: job.totalRows,
      counts,
      ratePerSecond: Math.round(ratePerSecond * 100) / 100,
      etaSeconds: !finished && ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null,
      rejectedRows: rejected.map((row) => ({
        rowNumber: row.rowNumber,
        email: row.email,
        code: row.reason as BulkJob['rejectedRows'][number]['code'],
        detail: row.detail,
      })),
      exampleRowSkipped: job.exampleRowSkipped,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      finishedAt: job.finishedAt,
    }
  }

  return {
    async upload(caller, file, uploadOptions = {}) {
      const now = clock()
      const job: BulkJobRecord = {
        id: randomUUID(),
        invitedBy: { tenantId: caller.tenantId, objectId: caller.objectId, name: caller.name },
        inviterUsername: caller.appOnly ? null : caller.username,
        locale: uploadOptions.locale ?? null,
        mode: config.graphMode,
        status: 'uploading',
        totalRows: 0,
        rejectedRows: 0,
        exampleRowSkipped: false,
        columns: [],
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        finishedAt: null,
      }
      await store.createJob(job)
      try {
        // Read, judged and de-duplicated on a worker thread (issue 16), which also stores the batches on PostgreSQL;
        // on PGlite this thread stores them, from the worker's shared memory.
        const judged = uploadThreads.judge(
          file,
          { config: judgeConfig, caller, maxBytes: maxFileBytes, maxRows },
          store.uploadConnection ? { connection: store.uploadConnection, jobId: job.id } : undefined,
        )
        let rowsBeyondLimit = 0
        for await (const item of judged) {
          if (item.kind === 'rows') await store.insertRowsJson(job.id, item.json)
          else {
            job.columns = item.columns
            job.totalRows = item.totalRows
            job.rejectedRows = item.rejectedRows
            job.exampleRowSkipped = item.exampleRowSkipped
            rowsBeyondLimit = item.rowsBeyondLimit
          }
        }
        if (rowsBeyondLimit > 0) {
          const rows = job.totalRows + rowsBeyondLimit
          throw new ProblemError('payload_too_large', {
            detail: `The file has ${rows.toLocaleString('en-US')} rows; at most ${maxRows.toLocaleString('en-US')} are accepted in one file. Split it into files of ${maxRows.toLocaleString('en-US')} rows or fewer.`,
          })
        }
        // Rows count as the invitations they become: all of the file fits in the hour's quota, or none of it goes.
        await options.quota?.check(caller, job.totalRows - job.rejectedRows)
        await store.finishUpload(job.id, job, clock())
      } catch (error) {
        await store.deleteJob(job.id)
        throw error
      }
      if (job.mode === 'delegated') {
        inviterTokens.remember(caller)
        await store.holdToken(caller, instanceId, clock())
      }
      if (job.totalRows > job.rejectedRows) for (const listener of jobReadyListeners) listener()
      return describe((await store.getJob(job.id)) as BulkJobRecord)
    },

    async get(caller, id) {
      return describe(await visibleJob(caller, id))
    },

    async cancel(caller, id) {
      const job = await visibleJob(caller, id)
      await store.cancel(job.id, clock())
      return describe((await store.getJob(job.id)) as BulkJobRecord)
    },

    async results(caller, id) {
      const job = await visibleJob(caller, id)
      return resultsCsv(job.columns, store.resultRows(job.id))
    },

    async refreshInviter(caller) {
      if (config.graphMode !== 'delegated' || caller.appOnly) return
      inviterTokens.remember(caller)
      await store.holdToken(caller, instanceId, clock())
    },

    onJobReady(listener) {
      jobReadyListeners.push(listener)
    },

    async close() {
      // Only the threads this service started: threads passed in are their owner's to close.
      if (!options.uploadThreads) await uploadThreads.close()
    },
  }
}
