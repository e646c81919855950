import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { server } from '../test/setup.js'
import { createBffClient, isShareError, type ShareError } from './index.js'
import { bffHandlers, type RecordedInvite, testBffUrl, testClaims } from './testing/bff-handlers.js'

const bff = createBffClient({ baseUrl: `${testBffUrl}/` })

async function failure(promise: Promise<unknown>): Promise<ShareError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!isShareError(error)) throw new Error(`expected a ShareError, got ${String(error)}`)
  return error
}

describe('createBffClient', () => {
  it('posts the invitation with the bearer token and the Idempotency-Key', async () => {
    const seen: RecordedInvite[] = []
    server.use(...bffHandlers('emailSent', { onInvite: (request) => seen.push(request) }))
    const invitation = await bff.invite(
      { email: 'ada@fabrikam.example' },
      { accessToken: 'tok', idempotencyKey: 'key-00000001' },
    )
    expect(invitation.invitedUserEmailAddress).toBe('ada@fabrikam.example')
    expect(seen).toEqual([
      {
        authorization: 'Bearer tok',
        idempotencyKey: 'key-00000001',
        body: { email: 'ada@fabrikam.example' },
      },
    ])
  })

  it('reads the configuration', async () => {
    server.use(...bffHandlers())
    expect((await bff.getConfig({ accessToken: 'tok' })).presets).toHaveLength(2)
  })

  it('turns problem+json into a typed ShareError with field errors and the request id', async () => {
    server.use(...bffHandlers('invalid_request'))
    const error = await failure(
      bff.invite({ email: 'x@y.example' }, { accessToken: 'tok', idempotencyKey: 'key-00000001' }),
    )
    expect(error).toMatchObject({
      code: 'invalid_request',
      status: 400,
      requestId: 'req-invalid_request',
      fieldErrors: [{ field: 'email', message: 'email must be a valid address.' }],
      retryable: false,
    })
  })

  it('reads the wait from Retry-After when the body has none', async () => {
    server.use(...bffHandlers('throttled', { retryAfterSeconds: 7 }))
    const error = await failure(
      bff.invite({ email: 'x@y.example' }, { accessToken: 'tok', idempotencyKey: 'key-00000001' }),
    )
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 7, retryable: true })
  })

  it('decodes the claims of a WWW-Authenticate challenge when the body has none', async () => {
    server.use(
      http.post(`${testBffUrl}/api/invitations`, () =>
        HttpResponse.json(
          { type: 'x', title: 'x', status: 401, code: 'claims_challenge' },
          {
            status: 401,
            headers: {
              'WWW-Authenticate': `Bearer realm="", error="insufficient_claims", claims="${btoa(testClaims)}"`,
              'request-id': 'req-header',
            },
          },
        ),
      ),
    )
    const error = await failure(
      bff.invite({ email: 'x@y.example' }, { accessToken: 'tok', idempotencyKey: 'key-00000001' }),
    )
    expect(error).toMatchObject({ code: 'claims_challenge', claims: testClaims, requestId: 'req-header' })
  })

  it('reports an unreachable BFF as network_error', async () => {
    server.use(...bffHandlers('networkError'))
    const error = await failure(
      bff.invite({ email: 'x@y.example' }, { accessToken: 'tok', idempotencyKey: 'key-00000001' }),
    )
    expect(error).toMatchObject({ code: 'network_error', status: null, retryable: true })
  })

  it('reports an answer that is not a problem document as invalid_response', async () => {
    server.use(
      http.get(`${testBffUrl}/api/config`, () => new HttpResponse('<h1>Bad gateway</h1>', { status: 502 })),
    )
    expect(await failure(bff.getConfig({ accessToken: 'tok' }))).toMatchObject({
      code: 'invalid_response',
      status: 502,
    })
  })

  it('fails loudly without a base URL', () => {
    expect(() => createBffClient({ baseUrl: '' })).toThrow(/pass `baseUrl`/)
  })
})
