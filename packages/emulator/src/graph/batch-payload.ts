/**
 * Reads and checks a JSON batch body (`POST /v1.0/$batch`) the way Microsoft Graph does, before anything runs.
 * Pure: no Fastify, so the rules are tested directly.
 */

/** Graph's limit on requests in one batch. */
export const MAX_BATCH_REQUESTS = 20

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
const WRITE_METHODS = new Set<string>(['POST', 'PUT', 'PATCH'])

export type BatchMethod = (typeof METHODS)[number]

/** One request of a batch, normalised. */
export interface BatchItem {
  id: string
  method: BatchMethod
  /** Relative to the version root, always starting with `/` (`/users/{id}?$select=id`). */
  url: string
  headers: Record<string, string>
  /** The JSON (or string) body, `undefined` when the request has none. */
  body: unknown
  /** Ids of the requests this one waits for, as sent (ids compare without regard to case). */
  dependsOn: string[]
}

export type BatchPayloadResult = { ok: true; items: BatchItem[] } | { ok: false; message: string }

/** Graph's answer to a batch body it cannot read (as recorded from the real service). */
export const INVALID_BATCH_PAYLOAD = 'Invalid batch payload format.'

/**
 * Validates a batch body and returns its items, or the message of Graph's 400 `BadRequest`.
 *
 * @example
 * parseBatchPayload({ requests: [{ id: '1', method: 'GET', url: '/users/abc' }] })
 * // { ok: true, items: [{ id: '1', method: 'GET', url: '/users/abc', headers: {}, body: undefined, dependsOn: [] }] }
 */
export function parseBatchPayload(payload: unknown): BatchPayloadResult {
  const requests = isObject(payload) ? payload.requests : undefined
  if (!Array.isArray(requests) || requests.length === 0) return failure(INVALID_BATCH_PAYLOAD)
  if (requests.length > MAX_BATCH_REQUESTS) {
    return failure(`The number of batch requests exceeds the maximum allowed (${MAX_BATCH_REQUESTS}).`)
  }
  const items: BatchItem[] = []
  for (const request of requests) {
    const item = readItem(request)
    if (!item) return failure(INVALID_BATCH_PAYLOAD)
    items.push(item)
  }
  return checkIds(items) ?? checkWriteRequests(items) ?? checkDependencies(items) ?? { ok: true, items }
}

function readItem(request: unknown): BatchItem | undefined {
  if (!isObject(request)) return undefined
  const { id, method, url, headers = {}, body, dependsOn = [] } = request
  if (typeof id !== 'string' || id.trim() === '') return undefined
  const verb = typeof method === 'string' ? method.toUpperCase() : ''
  if (!(METHODS as readonly string[]).includes(verb)) return undefined
  // Item URLs are relative to the version root; an absolute URL is not a batch item.
  if (typeof url !== 'string' || url.trim() === '' || /^[a-z][a-z0-9+.-]*:/i.test(url)) return undefined
  if (!isObject(headers) || !Object.values(headers).every((value) => typeof value === 'string'))
    return undefined
  if (!Array.isArray(dependsOn) || !dependsOn.every((entry) => typeof entry === 'string')) return undefined
  return {
    id,
    method: verb as BatchMethod,
    url: url.startsWith('/') ? url : `/${url}`,
    headers: headers as Record<string, string>,
    body,
    dependsOn,
  }
}

// Graph compares request ids without regard to case.
function checkIds(items: BatchItem[]): BatchPayloadResult | undefined {
  const seen = new Set<string>()
  for (const { id } of items) {
    if (seen.has(id.toLowerCase())) return failure(`Request Id ${id} has to be unique in a batch.`)
    seen.add(id.toLowerCase())
  }
  return undefined
}

function checkWriteRequests(items: BatchItem[]): BatchPayloadResult | undefined {
  for (const item of items) {
    const hasContentType = Object.keys(item.headers).some((name) => name.toLowerCase() === 'content-type')
    if (WRITE_METHODS.has(item.method) && (item.body === undefined || !hasContentType)) {
      return failure(`Write request id : ${item.id} does not contain Content-Type header or body.`)
    }
  }
  return undefined
}

/**
 * Dependencies must name requests of the batch and must not loop, and a batch is either fully parallel (no
 * `dependsOn` at all) or sequential: then only the request that starts the chain may go without `dependsOn`.
 */
function checkDependencies(items: BatchItem[]): BatchPayloadResult | undefined {
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]))
  const independent = items.filter((item) => item.dependsOn.length === 0)
  if (independent.length === items.length) return undefined
  if (independent.length !== 1) return failure('Batch should be either fully sequential or fully parallel.')
  for (const item of items) {
    for (const dependency of item.dependsOn) {
      const target = byId.get(dependency.toLowerCase())
      if (!target || target === item) return failure(INVALID_BATCH_PAYLOAD)
    }
  }
  return hasCycle(items, byId) ? failure(INVALID_BATCH_PAYLOAD) : undefined
}

function hasCycle(items: BatchItem[], byId: Map<string, BatchItem>): boolean {
  const state = new Map<BatchItem, 'visiting' | 'done'>()
  const visit = (item: BatchItem): boolean => {
    if (state.get(item) === 'done') return false
    if (state.get(item) === 'visiting') return true
    state.set(item, 'visiting')
    const looped = item.dependsOn.some((id) => visit(byId.get(id.toLowerCase()) as BatchItem))
    state.set(item, 'done')
    return looped
  }
  return items.some(visit)
}

function failure(message: string): BatchPayloadResult {
  return { ok: false, message }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
