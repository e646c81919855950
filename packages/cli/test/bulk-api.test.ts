import { afterEach, describe, expect, it, vi } from 'vitest'
import { createBulkApi } from '../src/bulk-api.js'
import { BffError, isTransient, SignInError } from '../src/errors.js'

const bffUrl = new URL('http://127.0.0.1:1/')
const token = async () => 'tok'

function answer(body: string, status: number, headers: Record<string, string> = {}) {
  vi.stubGlobal('fetch', async () => new Response(body, { status, headers }))
}

async function refused(promise: Promise<unknown>): Promise<BffError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof BffError)) throw new Error(`expected a BffError, got ${String(error)}`)
  return error
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('createBulkApi', () => {
  it('says what the BFF refused, and polls again only when the catalogue says the code is retryable', async () => {
    const problem = (code: string, status: number) =>
      JSON.stringify({ type: 'x', title: 'x', status, code, detail: `${code} happened.`, requestId: 'req-1' })
    const api = createBulkApi(bffUrl, token)

    answer(problem('not_found', 404), 404)
    const notFound = await refused(api.job('job-1'))
    expect(notFound.message).toBe('Reading the job failed: not_found happened (not_found, HTTP 404).')
    expect(notFound.problem).toEqual({
      status: 404,
      problemCode: 'not_found',
      detail: 'not_found happened.',
      requestId: 'req-1',
      retryAfterSeconds: null,
      retryable: false,
    })
    expect(isTransient(notFound)).toBe(false)

    answer(problem('rate_limited', 429), 429, { 'Retry-After': '4' })
    const throttled = await refused(api.job('job-1'))
    expect(throttled.problem).toMatchObject({ retryAfterSeconds: 4, retryable: true })
    expect(isTransient(throttled)).toBe(true)
  })

  it('tells a server that is not the BFF apart from a refusal', async () => {
    const api = createBulkApi(bffUrl, token)
    answer('<h1>Not here</h1>', 404)
    const error = await refused(api.cancel('job-1'))
    expect(error.message).toBe(
      'Cancelling the job failed with HTTP 404: http://127.0.0.1:1/ does not answer as the entra-share BFF; check --bff.',
    )
    expect(error.problem.problemCode).toBeNull()
  })

  it('lets a sign-in failure through as it is', async () => {
    const signIn = new SignInError('Sign in again.')
    const api = createBulkApi(bffUrl, () => Promise.reject(signIn))
    await expect(api.job('job-1')).rejects.toBe(signIn)
  })
})
