import {
  AuthError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node'
import { parseRetryAfter } from '@entra-share/contracts'

// msal-node's own client has no timeout on POST; a hung token endpoint must not hang an invitation.
const REQUEST_TIMEOUT_MS = 10_000

/**
 * The token service answered 429 or 5xx, or could not be reached. Thrown from inside msal-node's network module,
 * with what msal would otherwise lose: the status and `Retry-After`.
 */
export class TokenServiceUnavailableError extends AuthError {
  /** HTTP status, or `null` when no answer arrived (connection refused, reset, timeout). */
  readonly status: number | null
  /** Seconds from `Retry-After` when the service sent one (delta-seconds or an HTTP date). */
  readonly retryAfterSeconds: number | null

  constructor(status: number | null, retryAfterSeconds: number | null, cause?: unknown) {
    super(
      'token_service_unavailable',
      '',
      status === null ? 'The token service could not be reached.' : `The token service answered ${status}.`,
    )
    Object.setPrototypeOf(this, TokenServiceUnavailableError.prototype)
    this.name = 'TokenServiceUnavailableError'
    this.status = status
    this.retryAfterSeconds = retryAfterSeconds
    if (cause !== undefined) this.cause = cause
  }
}

/**
 * An msal-node network module (`system.networkClient`) that turns 429 and 5xx answers into a thrown
 * {@link TokenServiceUnavailableError} instead of returning them.
 *
 * Why (PROTOCOL.md finding 1, read from msal-common 16's `network/RequestThumbprint.ts` and `protocol/Token.ts`):
 * `sendPostRequest` calls `ThrottlingUtils.postProcess` on every answer the network module *returns*; for a 429/5xx
 * it stores a throttle entry keyed by clientId + authority + scopes + claims — not by the OBO assertion — and
 * `preProcess` then refuses every later request with that key, i.e. every user, for `Retry-After` (60 s by
 * default). An `AuthError` thrown by the network module is re-thrown untouched and `postProcess` never runs, so no
 * shared entry is written, and the BFF still learns the status and `Retry-After` (msal's own client reports
 * Entra's plain-text 429 body as a parse error without either).
 *
 * @example
 * new ConfidentialClientApplication({ auth, system: { networkClient: createTokenServiceClient() } })
 */
export function createTokenServiceClient(fetchImpl: typeof fetch = fetch): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeoutMs: number,
  ): Promise<NetworkResponse<T>> => {
    let response: Response
    try {
      response = await fetchImpl(url, {
        method,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      throw new TokenServiceUnavailableError(null, null, error)
    }
    if (response.status === 429 || response.status >= 500) {
      // Drain the body so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined)
      throw new TokenServiceUnavailableError(response.status, retryAfterSeconds(response.headers))
    }
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      headers[name] = value
    })
    let body: T
    try {
      body = (await response.json()) as T
    } catch (error) {
      throw new TokenServiceUnavailableError(response.status, null, error)
    }
    return { headers, body, status: response.status }
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout ?? REQUEST_TIMEOUT_MS),
    sendPostRequestAsync: (url, options) => send('POST', url, options, REQUEST_TIMEOUT_MS),
  }
}

/**
 * `Retry-After` as whole seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); `null` when absent or unreadable.
 *
 * @example
 * retryAfterSeconds(new Headers({ 'retry-after': '7' })) // 7
 */
export function retryAfterSeconds(headers: Headers): number | null {
  return parseRetryAfter(headers.get('retry-after')) ?? null
}
