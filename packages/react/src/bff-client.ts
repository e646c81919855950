import type {
  BulkJob,
  ClientConfig,
  CreateInvitationRequest,
  Invitation,
  Problem,
  ProblemCode,
} from '@entra-share/contracts'
import { defaultShareStrings } from './ShareWithExternalUser/strings.js'
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
  // A code is known when the component has a sentence for it (every catalogued code has one, as the strings' type
  // requires); the catalogue itself, with its server titles, stays out of the bundle.
  const call = jsonCaller(
    options,
    'createBffClient',
    (code): code is ProblemCode =>
      typeof code === 'string' && Object.hasOwn(defaultShareStrings.errors, code),
  )

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

/** The bulk-invitation calls of the entra-share BFF (`/api/bulk-invitations`). Failures throw {@link ShareError}. */
export interface BulkClient {
  /** `POST /api/bulk-invitations`: uploads the CSV as `text/csv`; resolves the new job (rows refused at upload included). */
  uploadBulk(token: string, file: Blob | string): Promise<BulkJob>
  /** `GET /api/bulk-invitations/{id}`: the job's counts, rate and ETA (with a fresh token, resumes a paused job). */
  getBulkJob(token: string, id: string): Promise<BulkJob>
  /** `POST /api/bulk-invitations/{id}/cancel`: pending rows are cancelled; rows in flight finish. */
  cancelBulkJob(token: string, id: string): Promise<BulkJob>
  /** `GET /api/bulk-invitations/{id}/results.csv`: every input row with its status and reason, as a CSV blob. */
  downloadBulkResults(token: string, id: string): Promise<Blob>
}

/**
 * A client for the BFF's bulk-invitation API; kept apart from {@link createBffClient} so the single-invite bundle
 * does not carry it.
 *
 * @example
 * const bulk = createBulkClient({ baseUrl: 'https://lob.contoso.com' })
 * const job = await bulk.uploadBulk(token, file)
 * const { counts } = await bulk.getBulkJob(token, job.id)
 */
export function createBulkClient(options: BffClientOptions): BulkClient {
  // Any problem document's code is taken as is: checking it against the catalogue would put the whole catalogue in
  // the bulk bundle, and <BulkInvite> has a fallback sentence for a code it does not know.
  const call = jsonCaller(
    options,
    'createBulkClient',
    (code): code is ProblemCode => typeof code === 'string',
  )
  const jobPath = (id: string) => `/api/bulk-invitations/${encodeURIComponent(id)}`
  return {
    uploadBulk: (token, file) =>
      call<BulkJob>('/api/bulk-invitations', token, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: file,
      }),
    getBulkJob: (token, id) => call<BulkJob>(jobPath(id), token, { method: 'GET' }),
    cancelBulkJob: (token, id) => call<BulkJob>(`${jobPath(id)}/cancel`, token, { method: 'POST' }),
    downloadBulkResults: (token, id) =>
      call<Blob>(
        `${jobPath(id)}/results.csv`,
        token,
        { method: 'GET', headers: { Accept: 'text/csv' } },
        true,
      ),
  }
}

/** The one way both clients call the BFF: bearer token, network failures and problem answers as {@link ShareError}. */
function jsonCaller(
  options: BffClientOptions,
  factory: string,
  isKnownCode: (code: unknown) => code is ProblemCode,
) {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '')
    throw new TypeError(`${factory}: pass \`baseUrl\`, the BFF base URL such as "https://lob.contoso.com".`)
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  return async function call<T>(path: string, token: string, init: RequestInit, blob = false): Promise<T> {
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
    if (blob && response.ok) return (await response.blob()) as T
    const body: unknown = await response.json().catch(() => undefined)
    if (response.ok && body !== undefined) return body as T
    throw problemToShareError(response, body, isKnownCode)
  }
}

/** Turns a failed answer into a {@link ShareError}: problem fields first, then the standard headers. */
function problemToShareError(
  response: Response,
  body: unknown,
  isKnownCode: (code: unknown) => code is ProblemCode,
): ShareError {
  const problem = (body ?? {}) as Partial<Problem>
  const headers = response.headers
  if (!isKnownCode(problem.code))
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
