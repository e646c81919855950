// A diagnostic must answer even when a host hangs: no single request may take longer than this.
const PROBE_TIMEOUT_MS = 10_000

/** What a GET answered, or why nothing answered. */
export type ProbeResult =
  | { reached: true; status: number; json: unknown }
  | { reached: false; reason: string }

/**
 * GETs a URL and reads the body as JSON (`json` is `undefined` when the body is not JSON). Never throws: a refused
 * connection, a TLS failure or a timeout comes back as `reached: false` with the underlying reason.
 *
 * @example
 * const result = await probeJson(fetch, `${graphBaseUrl}/groups/${id}?$select=id`, token)
 * if (result.reached && result.status === 404) …
 */
export async function probeJson(
  fetchImpl: typeof fetch,
  url: string,
  accessToken?: string,
): Promise<ProbeResult> {
  let response: Response
  try {
    response = await fetchImpl(url, {
      headers: {
        accept: 'application/json',
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
  } catch (error) {
    return { reached: false, reason: networkReason(error) }
  }
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { reached: true, status: response.status, json }
}

/** Graph's error code and message from an error body, for the report. */
export function graphErrorText(json: unknown): string {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
  if (!error) return 'no Graph error body'
  return `${String(error.code)}: ${String(error.message)}`
}

/**
 * The most specific reason a request failed: undici's `fetch failed` hides the system error (`ECONNREFUSED`,
 * `CERT_…`) in `cause`.
 */
export function networkReason(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  while (current instanceof Error && parts.length < 4) {
    const code = (current as { code?: unknown }).code
    parts.push(typeof code === 'string' ? `${code} ${current.message}` : current.message)
    current = current.cause
  }
  return parts.at(-1) ?? String(error)
}
