/**
 * A fresh `Idempotency-Key`. `crypto.randomUUID` needs a secure context, so plain-http development falls back to
 * 16 random bytes in hex.
 *
 * @example
 * const key = createIdempotencyKey()
 * await bff.invite(body, { idempotencyKey: key }) // after a failure, retry with the same key
 */
export function createIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('')
}
