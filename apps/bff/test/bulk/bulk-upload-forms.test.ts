import type { BulkJob, Problem } from '@entra-share/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from '../api/harness.js'
import { seeded } from '../support.js'
import { addresses, portalCsv } from './bulk-support.js'

/** A multipart/form-data body as a browser form builds it: one text field, then the file. */
function formBody(file: string | undefined, boundary = `----entra-share-${Date.now()}`) {
  const parts = [
    `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nfrom the admin page\r\n`,
    ...(file === undefined
      ? []
      : [
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="guests.csv"\r\n` +
            `Content-Type: application/vnd.ms-excel\r\n\r\n${file}\r\n`,
        ]),
    `--${boundary}--\r\n`,
  ]
  return { payload: parts.join(''), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** Issue 16: uploads as a browser form sends them. */
describe('bulk upload as multipart/form-data (issue 16)', () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ app: { bulk: { workerEnabled: false } } })
  })
  afterAll(() => harness.close())

  const post = async (body: { payload: string; contentType: string }) =>
    harness.app.inject({
      method: 'POST',
      url: '/api/bulk-invitations',
      headers: {
        authorization: `Bearer ${await harness.tokenFor(seeded.inviter.upn)}`,
        'content-type': body.contentType,
      },
      payload: body.payload,
    })

  it('reads the file part of a form like a text/csv body', async () => {
    const emails = addresses(3, 'form')
    const response = await post(formBody(portalCsv(emails.map((email) => [email, '', 'false', '']))))
    expect(response.statusCode).toBe(202)
    const job = response.json() as BulkJob
    expect(job).toMatchObject({ totalRows: 3, exampleRowSkipped: true, rejectedRows: [] })
  })

  it('refuses a form without a file, saying how to send one', async () => {
    const response = await post(formBody(undefined))
    expect(response.statusCode).toBe(400)
    expect((response.json() as Problem).code).toBe('invalid_request')
    expect((response.json() as Problem).detail).toContain('multipart/form-data')
  })

  it('refuses a form whose file is not the template with the same catalogued answer as a text/csv body', async () => {
    const response = await post(formBody('name,mail\nAda,ada@fabrikam.example\n'))
    expect(response.statusCode).toBe(400)
    expect((response.json() as Problem).detail).toContain("no column has '[inviteeEmail]'")
  })
})

describe('the row limit of one file (issue 16)', () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ app: { bulk: { workerEnabled: false, maxRows: 5 } } })
  })
  afterAll(() => harness.close())

  it('refuses a file over the row limit with its row count, and keeps none of it', async () => {
    const emails = addresses(12, 'row-limit')
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/bulk-invitations',
      headers: {
        authorization: `Bearer ${await harness.tokenFor(seeded.inviter.upn)}`,
        'content-type': 'text/csv',
      },
      payload: portalCsv(emails.map((email) => [email, '', 'false', ''])),
    })
    expect(response.statusCode).toBe(413)
    expect(response.json()).toMatchObject({
      code: 'payload_too_large',
      detail:
        'The file has 12 rows; at most 5 are accepted in one file. Split it into files of 5 rows or fewer.',
    })
    const [left] = await harness.app.entraShare.database.query<{ count: number | string }>(
      'SELECT count(*) AS count FROM bulk_rows',
    )
    expect(Number(left?.count)).toBe(0)
  })
})
