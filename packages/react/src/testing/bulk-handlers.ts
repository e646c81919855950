import type { BulkJob, BulkRowProblem, ProblemCode } from '@entra-share/contracts'
import { delay, HttpResponse, http, type RequestHandler } from 'msw'
import { testBffUrl, testProblem } from './bff-handlers.js'

/** What the bulk endpoints answer. */
export type BulkScenario =
  /** The job runs to `completed`, advancing on each poll. */
  | 'runs'
  /** The first `pausedPolls` polls answer `paused_reauth` (the BFF lost the inviter's token); later polls resume it. */
  | 'pausedReauth'
  /** The upload never answers (an uploading state to look at). */
  | 'uploadPending'
  /** The upload is refused as a broken file: `400 invalid_request` with the server's sentence. */
  | 'brokenFile'
  /** The upload is refused with this problem code. */
  | ProblemCode

/** One bulk request as the handlers saw it. */
export interface RecordedBulkCall {
  method: 'upload' | 'get' | 'cancel' | 'results'
  authorization: string | null
  /** The uploaded CSV (uploads only). */
  body?: string
  contentType?: string | null
}

/** Options of {@link bulkHandlers}. */
export interface BulkHandlersOptions {
  baseUrl?: string
  /** Data rows of the job. @default 2000 */
  totalRows?: number
  /** Rows that fail while the job runs. @default 3 */
  failedRows?: number
  /** Polls until the job completes. @default 4 */
  polls?: number
  /** Rows refused at upload (they count as failed from the start). @default none */
  rejectedRows?: BulkRowProblem[]
  /** `pausedReauth` only: how many polls answer `paused_reauth` before a poll resumes the job. @default 1 */
  pausedPolls?: number
  /** Called with each request (for assertions). */
  onCall?: (call: RecordedBulkCall) => void
}

/** The broken-file sentence the `brokenFile` scenario answers, as the BFF words it. */
export const testBrokenFileDetail =
  "Row 2 is not the bulk-invite template's header row: no column has '[inviteeEmail]' in its name. Keep the template's first two rows as they download."

/** A bulk job as the BFF answers it; override any field. */
export function testBulkJob(overrides: Partial<BulkJob> = {}): BulkJob {
  return {
    id: '5a1e0c1e-0000-4000-8000-00000000b01c',
    status: 'running',
    mode: 'delegated',
    invitedBy: { tenantId: 'tenant-0001', objectId: 'inviter-0001', name: 'Grace Hopper' },
    totalRows: 2000,
    counts: { pending: 2000, sending: 0, invited: 0, failed: 0, cancelled: 0 },
    ratePerSecond: 0,
    etaSeconds: null,
    rejectedRows: [],
    exampleRowSkipped: true,
    createdAt: '2025-01-01T12:00:00.000Z',
    updatedAt: '2025-01-01T12:00:00.000Z',
    finishedAt: null,
    ...overrides,
  }
}

/**
 * MSW handlers for `/api/bulk-invitations`: the upload creates a job that advances on each `GET` (a share of the rows
 * per poll, failures included) until it completes; cancel cancels the pending rows; `results.csv` answers a CSV.
 * Script the MSAL stand-in's silent outcomes to make the client need an interactive sign-in while it is paused.
 *
 * @example
 * server.use(...bulkHandlers('runs', { totalRows: 10, polls: 2 }))
 */
export function bulkHandlers(
  scenario: BulkScenario = 'runs',
  options: BulkHandlersOptions = {},
): RequestHandler[] {
  const baseUrl = `${options.baseUrl ?? testBffUrl}/api/bulk-invitations`
  const totalRows = options.totalRows ?? 2000
  const rejected = options.rejectedRows ?? []
  const failedRows = Math.max(options.failedRows ?? 3, rejected.length)
  const polls = Math.max(options.polls ?? 4, 1)
  let pausedPollsLeft = scenario === 'pausedReauth' ? (options.pausedPolls ?? 1) : 0
  let job: BulkJob | null = null
  let step = 0
  let cancelled = false

  const record = (call: RecordedBulkCall) => options.onCall?.(call)
  const current = (): BulkJob => {
    if (!job) throw new Error('bulkHandlers: no job was uploaded.')
    return job
  }
  // The job after `step` polls: invited and failed rows grow in proportion; cancel freezes them.
  function advance(): BulkJob {
    const base = current()
    const share = Math.min(step / polls, 1)
    const failed = Math.max(rejected.length, Math.round(failedRows * share))
    const invited = Math.round((totalRows - failedRows) * share)
    const done = invited + failed
    const finished = done >= totalRows
    const pendingLeft = totalRows - done
    const status: BulkJob['status'] = cancelled ? 'cancelled' : finished ? 'completed' : 'running'
    job = {
      ...base,
      status,
      counts: {
        pending: cancelled ? 0 : pendingLeft,
        sending: 0,
        invited,
        failed,
        cancelled: cancelled ? pendingLeft : 0,
      },
      ratePerSecond: finished || cancelled ? 0 : 12.5,
      etaSeconds: finished || cancelled ? null : Math.ceil(pendingLeft / 12.5),
      updatedAt: new Date().toISOString(),
      finishedAt: finished || cancelled ? new Date().toISOString() : null,
    }
    return job
  }

  return [
    http.post(baseUrl, async ({ request }) => {
      const body = await request.text()
      record({
        method: 'upload',
        authorization: request.headers.get('Authorization'),
        body,
        contentType: request.headers.get('Content-Type'),
      })
      if (scenario === 'uploadPending') {
        await delay('infinite')
      }
      if (scenario === 'brokenFile') {
        const problem = {
          ...testProblem('invalid_request'),
          detail: testBrokenFileDetail,
          errors: [{ field: 'file', message: testBrokenFileDetail }],
        }
        return HttpResponse.json(problem, {
          status: 400,
          headers: { 'Content-Type': 'application/problem+json' },
        })
      }
      if (scenario !== 'runs' && scenario !== 'pausedReauth' && scenario !== 'uploadPending') {
        const problem = testProblem(scenario)
        return HttpResponse.json(problem, {
          status: problem.status,
          headers: { 'Content-Type': 'application/problem+json' },
        })
      }
      step = 0
      cancelled = false
      job = testBulkJob({ totalRows, rejectedRows: rejected })
      advance()
      return HttpResponse.json(current(), {
        status: 202,
        headers: { Location: `/api/bulk-invitations/${current().id}` },
      })
    }),
    http.get(`${baseUrl}/:id`, ({ request }) => {
      record({ method: 'get', authorization: request.headers.get('Authorization') })
      if (!job) return HttpResponse.json(testProblem('not_found'), { status: 404 })
      if (pausedPollsLeft > 0 && !cancelled) {
        pausedPollsLeft -= 1
        job = { ...current(), status: 'paused_reauth', etaSeconds: null, ratePerSecond: 0 }
        return HttpResponse.json(job)
      }
      if (current().status === 'running' || current().status === 'paused_reauth') step += 1
      return HttpResponse.json(advance())
    }),
    http.post(`${baseUrl}/:id/cancel`, ({ request }) => {
      record({ method: 'cancel', authorization: request.headers.get('Authorization') })
      if (!job) return HttpResponse.json(testProblem('not_found'), { status: 404 })
      if (current().status !== 'completed') cancelled = true
      pausedPollsLeft = 0
      return HttpResponse.json(advance())
    }),
    http.get(`${baseUrl}/:id/results.csv`, ({ request }) => {
      record({ method: 'results', authorization: request.headers.get('Authorization') })
      return new HttpResponse(
        '\uFEFFEmail address to invite [inviteeEmail] Required,status,reason\nada@fabrikam.example,invited,\n',
        { headers: { 'Content-Type': 'text/csv; charset=utf-8' } },
      )
    }),
  ]
}
