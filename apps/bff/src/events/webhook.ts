import type { GuestEvent } from '@entra-share/contracts'
import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import type { DeliveryAnswer, EventDeliverer } from './event-delivery.js'

export { WebhookVerificationError }

/** Standard Webhooks' secret prefix: `whsec_` then the key in base64. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_'

// Standard Webhooks asks for keys of 24 to 64 bytes.
const MIN_KEY_BYTES = 24
const MAX_KEY_BYTES = 64
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * What is wrong with a webhook secret, in one sentence, or `undefined` when it is a Standard Webhooks secret
 * (`whsec_` and the base64 of 24 to 64 random bytes).
 *
 * @example
 * webhookSecretProblem('hunter2') // 'must start with whsec_ …'
 */
export function webhookSecretProblem(secret: string): string | undefined {
  const howTo = 'generate one with: echo "whsec_$(openssl rand -base64 32)"'
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    return `must start with ${WEBHOOK_SECRET_PREFIX} followed by base64 (${howTo})`
  }
  const key = secret.slice(WEBHOOK_SECRET_PREFIX.length)
  if (!BASE64.test(key)) return `must be ${WEBHOOK_SECRET_PREFIX} followed by standard base64 (${howTo})`
  const bytes = Buffer.from(key, 'base64').length
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    return `must hold ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes of key, not ${bytes} (${howTo})`
  }
  return undefined
}

/** Request headers as Node (`IncomingHttpHeaders`), Fastify or `fetch` (`Headers`) give them. */
export type WebhookRequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * Checks a webhook request from the BFF and returns its event: the `webhook-signature` must be the HMAC-SHA256 of
 * `${webhook-id}.${webhook-timestamp}.${body}` under `secret`, and the timestamp within five minutes of now (replays
 * are refused). Pass the body exactly as received, before any JSON parsing. Throws
 * {@link WebhookVerificationError} otherwise. Deliveries are at least once: deduplicate on `event.id`.
 *
 * @example
 * app.post('/entra-share-events', { config: { rawBody: true } }, async (request, reply) => {
 *   const event = verifyWebhook(request.rawBody, request.headers, process.env.ENTRA_SHARE_WEBHOOK_SECRET)
 *   if (event.type === 'guest.accepted') await provision(event.data.invitation.invitedUserId)
 *   return reply.code(204).send()
 * })
 */
export function verifyWebhook(
  payload: string | Uint8Array,
  headers: WebhookRequestHeaders,
  secret: string,
): GuestEvent {
  const header = (name: string): string => {
    if (headers instanceof Headers) return headers.get(name) ?? ''
    const value = (headers as Record<string, string | readonly string[] | undefined>)[name]
    return (typeof value === 'string' ? value : value?.[0]) ?? ''
  }
  const event = new Webhook(secret).verify(payload, {
    'webhook-id': header('webhook-id'),
    'webhook-timestamp': header('webhook-timestamp'),
    'webhook-signature': header('webhook-signature'),
  })
  return event as GuestEvent
}

export interface WebhookDelivererOptions {
  /** The endpoint (https, or http on a loopback host in development). */
  url: string
  /** `whsec_…` */
  secret: string
  /** The clock the `webhook-timestamp` is read from. */
  clock?: () => Date
  fetch?: typeof globalThis.fetch
}

/**
 * Posts events to a Standard Webhooks endpoint: the event as JSON, signed (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256>`), afresh for each attempt so the timestamp is the attempt's. A 2xx is
 * delivered; any other answer (redirects are not followed) or no answer is a failure, retried.
 *
 * @example
 * const deliver = createWebhookDeliverer({ url: 'https://lob.contoso.com/hooks/entra-share', secret })
 * await deliver(event, AbortSignal.timeout(15_000)) // { ok: true, statusCode: 204 }
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions): EventDeliverer {
  const { url, secret } = options
  const clock = options.clock ?? (() => new Date())
  const send = options.fetch ?? globalThis.fetch
  const signer = new Webhook(secret)
  return async (event, signal): Promise<DeliveryAnswer> => {
    const body = JSON.stringify(event)
    const timestamp = clock()
    const response = await send(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'entra-share-bff',
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signer.sign(event.id, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal,
    })
    // The answer's body is not needed; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined)
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status }
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''
    return {
      ok: false,
      statusCode: response.status,
      error: `The webhook answered HTTP ${response.status}${redirect}.`,
    }
  }
}
