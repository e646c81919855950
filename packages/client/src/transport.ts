import { isProblemCode, type Problem, parseRetryAfter } from '@entra-share/contracts'
import { ShareError } from './share-error.js'

/** Options of `createBffClient` and `createBulkClient`. */
export interface BffClientOptions {
  /** The BFF's base URL, e.g. `https://lob.contoso.com` (the API lives under `/api`). */
  baseUrl: string
  /**
   * Returns a bearer token for the BFF's API scope; called once per request, so it may refresh. Leave it out only
   * when every call passes its own `accessToken`.
   */
  getAccessToken?: () => Promise<string>
  /** The `fetch` to call. @default globalThis.fetch, looked up at call time */
  fetch?: typeof fetch
}

/** Per-call options of every client method. */
export interface CallOptions {
  /** A token for this call, instead of asking `getAccessToken` (a token just acquired with claims, for example). */
  accessToken?: string
  /** Aborts the request. */
  signal?: AbortSignal
}

/** A request's method, headers and body (headers as a plain object, so the defaults merge by spreading). */
type Request = Omit<RequestInit, 'headers'> & { headers?: Record<string, string>; duplex?: 'half' }

/** The one way both clients call the BFF: bearer token, network failures and problem answers as {@link ShareError}. */
export function createCaller(options: BffClientOptions, factory: string) {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '')
    throw new TypeError(`${factory}: pass \`baseUrl\`, the BFF base URL such as "https://lob.contoso.com".`)
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  return async function call<T>(
    path: string,
    init: Request = {},
    callOptions: CallOptions = {},
    /** Reads a successful answer that is not JSON; `undefined` when there is nothing to read. */
    read?: (response: Response) => T | undefined | Promise<T>,
  ): Promise<T> {
    // Without getAccessToken every call must bring its token; one that does not fails with "getAccessToken is not a
    // function" (a sentence of our own would cost the React bundle more than its budget has left).
    type TokenGetter = () => Promise<string>
    const token = callOptions.accessToken ?? (await (options.getAccessToken as TokenGetter)())
    const doFetch = options.fetch ?? globalThis.fetch
    let response: Response
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        ...init,
        signal: callOptions.signal,
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...init.headers },
      })
    } catch (cause) {
      throw new ShareError('network_error', 'The BFF could not be reached.', { cause })
    }
    const value = response.ok && read ? await read(response) : undefined
    if (value !== undefined) return value
    const body: unknown = await response.json().catch(() => undefined)
    if (response.ok && !read && body !== undefined) return body as T
    throw problemToShareError(response, body)
  }
}

/** Turns a failed answer into a {@link ShareError}: problem fields first, then the standard headers. */
function problemToShareError(response: Response, body: unknown): ShareError {
  const problem = (body ?? {}) as Partial<Problem>
  const headers = response.headers
  const requestId = problem.requestId ?? headers.get('request-id') ?? undefined
  if (!isProblemCode(problem.code))
    return new ShareError(
      'invalid_response',
      `The BFF answered ${response.status} without a problem document.`,
      { status: response.status, requestId },
    )
  const claims = problem.claims ?? challengeParameter(headers.get('WWW-Authenticate'), 'claims')
  return new ShareError(problem.code, problem.detail ?? problem.title ?? problem.code, {
    status: response.status,
    detail: problem.detail,
    fieldErrors: problem.errors,
    retryAfterSeconds: problem.retryAfterSeconds ?? parseRetryAfter(headers.get('Retry-After')),
    claims: claims === undefined ? undefined : decodeClaims(claims),
    requestId,
    adminConsentUrl: problem.adminConsentUrl,
    existingUserId: problem.existingUserId,
  })
}

/** Reads one `name="value"` parameter of a `WWW-Authenticate: Bearer …` header. */
function challengeParameter(header: string | null, name: string): string | undefined {
  const match = header?.match(new RegExp(`${name}="((?:[^"\\\\]|\\\\.)*)"`))
  return match?.[1]?.replace(/\\(.)/g, '$1')
}

/** Claims travel as base64 of the JSON that MSAL's `claims` request parameter takes; plain JSON passes through. */
function decodeClaims(claims: string): string {
  if (claims.trimStart().startsWith('{')) return claims
  try {
    const binary = atob(claims.replace(/-/g, '+').replace(/_/g, '/'))
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)))
  } catch {
    return claims
  }
}
