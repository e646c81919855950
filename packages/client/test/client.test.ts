import { describe, expect, it } from 'vitest'
import { createBffClient, createBulkClient, isShareError, type ShareError } from '../src/index.js'

interface Sent {
  url: string
  method: string
  headers: Record<string, string>
  body: unknown
}

/** A `fetch` that records each request and answers with `answer(request)`. */
function fakeFetch(answer: (request: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = []
  const fetch = async (url: string | URL | Request, init: RequestInit = {}) => {
    const request: Sent = {
      url: String(url),
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body,
    }
    sent.push(request)
    return answer(request)
  }
  return { fetch: fetch as typeof globalThis.fetch, sent }
}

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  })

const problem = (code: string, status: number, extra: Record<string, unknown> = {}, headers = {}) =>
  json(
    { type: `https://entra-share.dev/problems/${code}`, title: code, status, code, ...extra },
    { status, headers },
  )

async function failure(promise: Promise<unknown>): Promise<ShareError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!isShareError(error)) throw new Error(`expected a ShareError, got ${String(error)}`)
  return error
}

const getAccessToken = async () => 'tok'

describe('createBffClient', () => {
  it('invites with a bearer token from getAccessToken and a generated Idempotency-Key', async () => {
    const { fetch, sent } = fakeFetch(() => json({ id: 'inv-1' }, { status: 201 }))
    const bff = createBffClient({ baseUrl: 'https://bff.example/', getAccessToken, fetch })
    expect(await bff.invite({ email: 'ada@fabrikam.example' })).toEqual({ id: 'inv-1' })
    await bff.invite({ email: 'ada@fabrikam.example' })
    expect(sent[0]).toMatchObject({
      url: 'https://bff.example/api/invitations',
      method: 'POST',
      headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json' },
      body: '{"email":"ada@fabrikam.example"}',
    })
    const keys = sent.map((request) => request.headers['Idempotency-Key'])
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/)
    expect(keys[1]).not.toBe(keys[0])
  })

  it('sends the given Idempotency-Key and a per-call token', async () => {
    const { fetch, sent } = fakeFetch(() => json({ id: 'inv-1' }, { status: 201 }))
    const bff = createBffClient({ baseUrl: 'https://bff.example', fetch })
    await bff.invite({ email: 'ada@fabrikam.example' }, { idempotencyKey: 'key-1', accessToken: 'fresh' })
    expect(sent[0]?.headers).toMatchObject({ Authorization: 'Bearer fresh', 'Idempotency-Key': 'key-1' })
  })

  it('lists, reads, resends and reads the configuration at the BFF routes', async () => {
    const { fetch, sent } = fakeFetch(() => json({}))
    const bff = createBffClient({ baseUrl: 'https://bff.example/app', getAccessToken, fetch })
    await bff.listInvitations()
    await bff.listInvitations({ limit: 20, cursor: 'c/1', scope: 'all' })
    await bff.getInvitation('a b')
    await bff.resendInvitation('inv-1')
    await bff.getConfig()
    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET https://bff.example/app/api/invitations',
      'GET https://bff.example/app/api/invitations?limit=20&cursor=c%2F1&scope=all',
      'GET https://bff.example/app/api/invitations/a%20b',
      'POST https://bff.example/app/api/invitations/inv-1/resend',
      'GET https://bff.example/app/api/config',
    ])
  })

  it('approves, denies, extends, reviews and removes at the governance routes, with JSON bodies', async () => {
    const { fetch, sent } = fakeFetch(() => json({}))
    const bff = createBffClient({ baseUrl: 'https://bff.example', getAccessToken, fetch })
    await bff.approveInvitation('inv-1', { comment: 'Known partner' })
    await bff.denyInvitation('inv 2')
    await bff.extendAccess('inv-1', { days: 30 })
    await bff.reviewInvitation('inv-1', { decision: 'keep' })
    await bff.removeAccess('inv-1')
    await bff.listInvitations({ scope: 'approvals' })
    expect(sent.map(({ method, url, body }) => `${method} ${url} ${body ?? ''}`.trim())).toEqual([
      'POST https://bff.example/api/invitations/inv-1/approve {"comment":"Known partner"}',
      'POST https://bff.example/api/invitations/inv%202/deny {}',
      'POST https://bff.example/api/invitations/inv-1/extend {"days":30}',
      'POST https://bff.example/api/invitations/inv-1/review {"decision":"keep"}',
      'DELETE https://bff.example/api/invitations/inv-1',
      'GET https://bff.example/api/invitations?scope=approvals',
    ])
    expect(sent.slice(0, 4).every((request) => request.headers['Content-Type'] === 'application/json')).toBe(
      true,
    )
  })

  it('turns problem+json into a ShareError with everything the problem carries', async () => {
    const { fetch } = fakeFetch(() =>
      problem('invalid_request', 400, {
        detail: 'email must be a valid address.',
        errors: [{ field: 'email', message: 'email must be a valid address.' }],
        requestId: 'req-1',
      }),
    )
    const error = await failure(createBffClient({ baseUrl: 'https://b', getAccessToken, fetch }).getConfig())
    expect(error).toMatchObject({
      code: 'invalid_request',
      status: 400,
      detail: 'email must be a valid address.',
      fieldErrors: [{ field: 'email', message: 'email must be a valid address.' }],
      requestId: 'req-1',
      retryable: false,
      message: 'email must be a valid address.',
    })
  })

  it('reads consent and member fields, and the request id header', async () => {
    const { fetch } = fakeFetch(({ url }) =>
      url.endsWith('config')
        ? problem('consent_required', 403, { adminConsentUrl: 'https://consent' }, { 'request-id': 'req-h' })
        : problem('already_member', 409, { existingUserId: 'oid-1' }),
    )
    const bff = createBffClient({ baseUrl: 'https://b', getAccessToken, fetch })
    expect(await failure(bff.getConfig())).toMatchObject({
      adminConsentUrl: 'https://consent',
      requestId: 'req-h',
    })
    expect(await failure(bff.invite({ email: 'a@b.example' }))).toMatchObject({ existingUserId: 'oid-1' })
  })

  it('takes the wait from the body, else from Retry-After (seconds or an HTTP date)', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString()
    const answers = [
      problem('rate_limited', 429, { retryAfterSeconds: 3 }, { 'Retry-After': '9' }),
      problem('rate_limited', 429, {}, { 'Retry-After': '7' }),
      problem('graph_throttled', 503, {}, { 'Retry-After': inTenSeconds }),
    ]
    const { fetch } = fakeFetch(() => answers.shift() as Response)
    const bff = createBffClient({ baseUrl: 'https://b', getAccessToken, fetch })
    expect(await failure(bff.getConfig())).toMatchObject({ retryAfterSeconds: 3, retryable: true })
    expect(await failure(bff.getConfig())).toMatchObject({ retryAfterSeconds: 7 })
    const throttled = await failure(bff.getConfig())
    expect(throttled.retryAfterSeconds).toBeGreaterThanOrEqual(9)
    expect(throttled.retryAfterSeconds).toBeLessThanOrEqual(10)
  })

  it('decodes claims from the body or from the WWW-Authenticate challenge', async () => {
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}'
    const answers = [
      problem('claims_challenge', 401, { claims: btoa(claims) }),
      problem(
        'claims_challenge',
        401,
        {},
        { 'WWW-Authenticate': `Bearer error="insufficient_claims", claims="${btoa(claims)}"` },
      ),
      problem('claims_challenge', 401, { claims }),
    ]
    const { fetch } = fakeFetch(() => answers.shift() as Response)
    const bff = createBffClient({ baseUrl: 'https://b', getAccessToken, fetch })
    for (let i = 0; i < 3; i++)
      expect(await failure(bff.getConfig())).toMatchObject({ code: 'claims_challenge', claims })
  })

  it('reports an unreachable BFF as network_error, with the cause', async () => {
    const cause = new TypeError('fetch failed')
    const bff = createBffClient({ baseUrl: 'https://b', getAccessToken, fetch: () => Promise.reject(cause) })
    expect(await failure(bff.getConfig())).toMatchObject({
      code: 'network_error',
      status: null,
      fieldErrors: [],
      retryable: true,
      cause,
    })
  })

  it('reports an answer that is not the API as invalid_response: no problem code, an unknown code, no JSON', async () => {
    const answers = [
      new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'request-id': 'req-p' } }),
      problem('not_a_code', 400),
      new Response('not json', { status: 200 }),
    ]
    const { fetch } = fakeFetch(() => answers.shift() as Response)
    const bff = createBffClient({ baseUrl: 'https://b', getAccessToken, fetch })
    expect(await failure(bff.getConfig())).toMatchObject({
      code: 'invalid_response',
      status: 502,
      requestId: 'req-p',
      retryable: true,
    })
    expect(await failure(bff.getConfig())).toMatchObject({ code: 'invalid_response', status: 400 })
    expect(await failure(bff.getConfig())).toMatchObject({ code: 'invalid_response', status: 200 })
  })

  it('fails loudly without a base URL or a token', async () => {
    expect(() => createBffClient({ baseUrl: '' })).toThrow(/pass `baseUrl`/)
    const bff = createBffClient({ baseUrl: 'https://b', fetch: fakeFetch(() => json({})).fetch })
    await expect(bff.getConfig()).rejects.toThrow(/getAccessToken/)
  })
})

describe('createBulkClient', () => {
  it('uploads text/csv, reads, cancels and downloads the results', async () => {
    const { fetch, sent } = fakeFetch(({ url }) =>
      url.endsWith('.csv')
        ? new Response('email,status\n', { headers: { 'content-type': 'text/csv' } })
        : json({ id: 'job-1' }),
    )
    const bulk = createBulkClient({ baseUrl: 'https://b', getAccessToken, fetch })
    expect(await bulk.uploadBulk('version:v1.0\n')).toEqual({ id: 'job-1' })
    await bulk.getBulkJob('job-1')
    await bulk.cancelBulkJob('job-1')
    expect(await (await bulk.downloadBulkResults('job-1')).text()).toBe('email,status\n')
    const stream = await bulk.streamBulkResults('job-1')
    expect(await new Response(stream).text()).toBe('email,status\n')
    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'POST https://b/api/bulk-invitations',
      'GET https://b/api/bulk-invitations/job-1',
      'POST https://b/api/bulk-invitations/job-1/cancel',
      'GET https://b/api/bulk-invitations/job-1/results.csv',
      'GET https://b/api/bulk-invitations/job-1/results.csv',
    ])
    expect(sent[0]).toMatchObject({ headers: { 'Content-Type': 'text/csv' }, body: 'version:v1.0\n' })
    expect(sent[3]?.headers.Accept).toBe('text/csv')
  })

  it('throws a ShareError for a refused download', async () => {
    const { fetch } = fakeFetch(() => problem('not_found', 404))
    const bulk = createBulkClient({ baseUrl: 'https://b', getAccessToken, fetch })
    expect(await failure(bulk.downloadBulkResults('nope'))).toMatchObject({
      code: 'not_found',
      status: 404,
      retryable: false,
    })
  })
})
