import { BulkJob, ProblemDocument } from '@entra-share/contracts'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { callerOf } from '../platform/authenticate.js'
import { ProblemError } from '../platform/problem-error.js'
import type { BulkService } from './bulk-service.js'

export interface BulkRoutesOptions {
  bulk: BulkService
  /** Validates the token and sets `request.caller`. */
  authenticate: onRequestAsyncHookHandler
  /** Per-user and per-tenant rate limits, run after authentication (uploads only). */
  rateLimits: onRequestAsyncHookHandler[]
  /** Largest CSV accepted, bytes. */
  maxFileBytes: number
}

const problems = {
  400: ProblemDocument,
  401: ProblemDocument,
  403: ProblemDocument,
  404: ProblemDocument,
  413: ProblemDocument,
  415: ProblemDocument,
  429: ProblemDocument,
  503: ProblemDocument,
}
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const security = [{ bearer: [] }]
const tags = ['bulk invitations']

/**
 * `/api/bulk-invitations`: upload the portal's CSV template (202 with the job), read a job, cancel it, download
 * its results. Encapsulated: its `text/csv` body parser applies to these routes only.
 */
export async function bulkRoutes(app: FastifyInstance, options: BulkRoutesOptions): Promise<void> {
  const { bulk, maxFileBytes } = options
  // What a browser form sends: the file as one part of multipart/form-data, streamed like a text/csv body. The
  // byte limit is readBulkCsv's (one byte more here, so its catalogued answer is the one given).
  await app.register(multipart, { limits: { files: 1, fields: 10, parts: 20, fileSize: maxFileBytes + 1 } })
  // The raw stream goes to csv-parse: the file is never held in memory. The size limit is enforced while reading.
  app.addContentTypeParser(['text/csv', 'application/csv'], (request, payload, done) => {
    const declared = Number(request.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxFileBytes) {
      done(
        new ProblemError('payload_too_large', {
          detail: `The file is larger than ${Math.floor(maxFileBytes / 1024)} KiB.`,
        }),
        undefined,
      )
      return
    }
    done(null, payload)
  })
  // Every authenticated bulk call refreshes the inviter's in-memory token, which resumes a paused job.
  const refresh: onRequestAsyncHookHandler = async (request: FastifyRequest) => {
    await bulk.refreshInviter(callerOf(request))
  }
  const authenticated = [options.authenticate, refresh]

  app.post(
    '/api/bulk-invitations',
    {
      onRequest: [options.authenticate, ...options.rateLimits, refresh],
      schema: {
        summary: 'Invite guests from the Entra portal’s bulk-invite CSV',
        description:
          'Body: `text/csv` (or `multipart/form-data` with the file as its file part, as a browser form sends it), the portal template as it downloads (row 1 `version:v1.0`, row 2 the headers with ' +
          '`[inviteeEmail]`, `[inviteRedirectURL]`, `[sendEmail]`, `[customizedMessageBody]`; the example row is ' +
          'skipped), optionally with `[displayName]`, `[presetId]`, `[usageLocation]` columns. Bad rows are refused ' +
          'one by one (`rejectedRows`; a cell holding a NUL or an unpaired surrogate refuses its row as ' +
          '`invalid_value`); a broken file is one `invalid_request`. Answers 202 with the job and its Location.',
        tags,
        security,
        consumes: ['text/csv', 'multipart/form-data'],
        response: { 202: BulkJob, ...problems },
      },
    },
    async (request, reply) => {
      const file = request.isMultipart() ? await formFile(request) : request.body
      if (!file || typeof (file as NodeJS.ReadableStream).pipe !== 'function') {
        throw new ProblemError('invalid_request', {
          detail:
            'Send the CSV file as the request body with Content-Type: text/csv, or as a file in a multipart/form-data form.',
        })
      }
      const language = request.headers['accept-language']
      const job = await bulk.upload(callerOf(request), file as NodeJS.ReadableStream, {
        locale: typeof language === 'string' ? language.slice(0, 200) : null,
      })
      return reply.code(202).header('location', `/api/bulk-invitations/${job.id}`).send(job)
    },
  )

  app.get<{ Params: { id: string } }>(
    '/api/bulk-invitations/:id',
    {
      onRequest: authenticated,
      schema: {
        summary: 'Read a bulk job: counts by row status, rate and ETA',
        description: 'Polling with a fresh token also resumes a job paused for re-authentication.',
        tags,
        security,
        params: IdParams,
        response: { 200: BulkJob, ...problems },
      },
    },
    async (request) => bulk.get(callerOf(request), request.params.id),
  )

  app.post<{ Params: { id: string } }>(
    '/api/bulk-invitations/:id/cancel',
    {
      onRequest: authenticated,
      schema: {
        summary: 'Cancel a bulk job: pending rows are cancelled, rows in flight finish',
        tags,
        security,
        params: IdParams,
        response: { 200: BulkJob, ...problems },
      },
    },
    async (request) => bulk.cancel(callerOf(request), request.params.id),
  )

  app.get<{ Params: { id: string } }>(
    '/api/bulk-invitations/:id/results.csv',
    {
      onRequest: authenticated,
      schema: {
        summary: 'Download the results: every input row with status, reason, object id and redeem URL',
        description:
          'Cells holding a separator (`,` `;` tab `|`), a quote, CR or LF are quoted; cells that start with `=`, ' +
          "`+`, `-`, `@`, tab or CR, or hold one after a separator, are prefixed with `'`.",
        tags,
        security,
        params: IdParams,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'CSV (UTF-8 with BOM)' }), ...problems },
      },
    },
    async (request, reply) => {
      const csv = await bulk.results(callerOf(request), request.params.id)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="bulk-invitations-${request.params.id}.csv"`)
        .send(csv)
    },
  )
}

/** The form's file part (whatever its field name): the first one, as a stream. */
async function formFile(request: FastifyRequest): Promise<NodeJS.ReadableStream | undefined> {
  try {
    return (await request.file())?.file
  } catch (cause) {
    throw new ProblemError('invalid_request', {
      detail:
        'The multipart/form-data body could not be read; send the CSV file as one file field of the form.',
      cause,
    })
  }
}
