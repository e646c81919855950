import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GuestEvent } from '@entra-share/contracts'
import { verifyWebhook } from '../../src/index.js'

/** A request the receiver took, verified with the package's own `verifyWebhook`. */
export interface ReceivedWebhook {
  event: GuestEvent
  headers: IncomingHttpHeaders
  body: string
  /** What the receiver answered. */
  status: number
  receivedAt: number
  /** When the answer was sent (`Date.now()`); 0 while the request is held. */
  answeredAt: number
}

/** What the receiver answers for a request: a status, after an optional wait (a promise that settles later). */
export type Responder = (event: GuestEvent, attempt: number) => number | Promise<number>

export interface WebhookReceiver {
  url: string
  /** Every verified request, in the order they arrived (answered or not yet). */
  received: ReceivedWebhook[]
  /** Requests whose signature did not verify (none is expected). */
  rejected: { headers: IncomingHttpHeaders; body: string; error: string }[]
  /** The largest number of requests for one `webhook-id` the receiver held at once. */
  maxConcurrentPerId(): number
  /** The events answered 2xx, in the order they were answered. */
  delivered(): GuestEvent[]
  respond: Responder
  close(): Promise<void>
}

/**
 * A real local HTTP endpoint, as a host app would run one: each request is checked with `verifyWebhook` (a bad
 * signature is answered 401 and kept in `rejected`), then answered by `respond` (204 by default).
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const inFlight = new Map<string, number>()
  let maxConcurrent = 0
  const attempts = new Map<string, number>()
  const answered: GuestEvent[] = []
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    rejected: [],
    maxConcurrentPerId: () => maxConcurrent,
    delivered: () => [...answered],
    respond: () => 204,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let event: GuestEvent
      try {
        event = verifyWebhook(body, request.headers, secret)
      } catch (error) {
        receiver.rejected.push({ headers: request.headers, body, error: (error as Error).message })
        response.writeHead(401).end()
        return
      }
      const id = event.id
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1)
      maxConcurrent = Math.max(maxConcurrent, inFlight.get(id) ?? 0)
      const attempt = (attempts.get(id) ?? 0) + 1
      attempts.set(id, attempt)
      const entry: ReceivedWebhook = {
        event,
        headers: request.headers,
        body,
        status: 0,
        receivedAt: Date.now(),
        answeredAt: 0,
      }
      receiver.received.push(entry)
      try {
        entry.status = await receiver.respond(event, attempt)
      } catch {
        entry.status = 500
      } finally {
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1)
      }
      entry.answeredAt = Date.now()
      if (entry.status >= 200 && entry.status < 300) answered.push(event)
      if (!response.destroyed) response.writeHead(entry.status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/entra-share`
  return receiver
}

/** Polls `check` until it holds (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not reached within ${timeoutMs} ms.`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** A Standard Webhooks secret for tests: `whsec_` and 32 bytes of base64. */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('entra-share test webhook key 32b').toString('base64')}`
