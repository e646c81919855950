import {
  type ClientConfig,
  type CreateInvitationRequest,
  type Invitation,
  isProblemCode,
  type Problem,
} from '@entra-share/contracts'
import { ShareError } from './share-error.js'

/** Options of {@link createBffClient}. */
export interface BffClientOptions {
  /** The BFF's base URL, e.g. `https://lob.contoso.com` (the API lives under `/api`). */
  baseUrl: string
  /** The `fetch` to call. @default globalThis.fetch, looked up at call time */
  fetch?: typeof fetch
}

/** The typed calls of the entra-share BFF. Every failure is thrown as a {@link ShareError}. */
export interface BffClient {
  /** `POST /api/invitations`: invites the guest; the same `idempotencyKey` and body never invite twice. */
  invite(token: string, body: CreateInvitationRequest, idempotencyKey: string): Promise<Invitation>
  /** `GET /api/config`: presets the caller may use, domain rules, limits and the email mode. */
  getConfig(token: string): Promise<ClientConfig>
}

/**
 * A client for the entra-share BFF API.
 *
 * @example
 * const bff = createBffClient({ baseUrl: 'https://lob.contoso.com' })
 * const invitation = await bff.invite(token, { email: 'ada@fabrikam.example' }, crypto.randomUUID())
 * console.log(invitation.inviteRedeemUrl)
 */
export function createBffClient(options: BffClientOptions): BffClient {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '')
    throw new TypeError(
      'createBffClient: pass `baseUrl`, the BFF base URL such as "https://lob.contoso.com".',
    )
  const baseUrl = options.baseUrl.replace(/\/+$/, '')

  async function call<T>(path: string, token: string, init: RequestInit): Promise<T> {
    const doFetch = options.fetch ?? globalThis.fetch
    let response: Response
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        ...init,
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...init.headers },
      })
    } catch (cause) {
      throw new ShareError('network_error', 'The BFF could not be reached.', { cause })
    }
    const body: unknown = await response.json().catch(() => undefined)
    if (response.ok && body !== undefined) return body as T
    throw problemToShareError(response, body)
  }

  return {
    invite: (token, body, idempotencyKey) =>
      call<Invitation>('/api/invitations', token, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
        body: JSON.stringify(body),
      }),
    getConfig: (token) => call<ClientConfig>('/api/config', token, { method: 'GET' }),
  }
}

/** Turns a failed answer into a {@link ShareError}: problem fields first, then the standard headers. */
function problemToShareError(response: Response, body: unknown): ShareError {
  const problem = (body ?? {}) as Partial<Problem>
  const headers = response.headers
  if (!isProblemCode(problem.code))
    return new ShareError(
      'invalid_response',
      `The BFF answered ${response.status} without a problem document.`,
      {
        status: response.status,
        requestId: headers.get('request-id') ?? undefined,
      },
    )
  const claims = problem.claims ?? challengeParameter(headers.get('WWW-Authenticate'), 'claims')
  return new ShareError(problem.code, problem.detail ?? problem.title ?? problem.code, {
    status: response.status,
    detail: problem.detail,
    fieldErrors: problem.errors,
    retryAfterSeconds: problem.retryAfterSeconds ?? retryAfterSeconds(headers.get('Retry-After')),
    claims: claims === undefined ? undefined : decodeClaims(claims),
    requestId: problem.requestId ?? headers.get('request-id') ?? undefined,
    adminConsentUrl: problem.adminConsentUrl,
    existingUserId: problem.existingUserId,
  })
}

/** Reads one `name="value"` parameter of a `WWW-Authenticate: Bearer …` header. */
function challengeParameter(header: string | null, name: string): string | undefined {
  const match = header?.match(new RegExp(`${name}="((?:[^"\\\\]|\\\\.)*)"`))
  return match?.[1]?.replace(/\\(.)/g, '$1')
}

/** `Retry-After` as whole seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined
  if (/^\d+$/.test(header.trim())) return Number(header)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
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
